package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each VM has an x87 FPU of its own (the hypervisor saves and restores it at the world switch) and
 * the CR0.TS/EM/MP it set (guests/fpu.c). The guest reads one byte from its console and keeps
 * state derived from it in the FPU over many time slices: a count, a rounding mode, a register
 * stack depth, a pending unmasked exception.
 */
class FpuIsolationTest {
    private static final Path FPU = Path.of("target/guests/fpu.elf");

    @TempDir
    Path tmp;

    /** The guest's lines for console byte c ('a': rounding up, two registers; 'b': down, three). */
    private static List<String> expected(char c) {
        int start = c * 1000 + 24;
        boolean up = (c & 1) != 0;
        int depth = (c & 3) + 1;
        return List.of("fpu: ready",
                "fpu: " + c + ": ok count in st(0) kept (" + Integer.toHexString(start) + ")",
                "fpu: " + c + ": ok control word kept (" + (up ? "b7f" : "77f") + ")",
                "fpu: " + c + ": ok register stack depth kept (" + (8 - depth) + ")",
                "fpu: " + c + ": ok rounding mode of my control word (" + (up ? 4 : 3) + ")",
                "fpu: " + c + ": ok zero divide pending (ES, ZE) (b884)",
                "fpu: " + c + ": ok #MF at my FWAIT (10)",
                "fpu: " + c + ": ok no exception after FNCLEX (0)",
                "fpu: " + c + ": ok CR0.TS: fld1 raises #NM (7)",
                "fpu: " + c + ": ok CR0.MP+TS: fwait raises #NM (7)",
                "fpu: " + c + ": ok CR0.TS without MP: fwait runs (ffffffff)",
                "fpu: " + c + ": ok CLTS: fld1 runs (ffffffff)",
                "fpu: " + c + ": ok CR0.EM: fld1 raises #NM (7)",
                "fpu: " + c + ": ok EM clear: fld1 runs (ffffffff)",
                "fpu: " + c + ": all passed");
    }

    /**
     * The guest's lines. On COM1 the hypervisor's own lines ("vmm: VM 1 powered off", its exit
     * table) may come in the middle of one of VM 0's: they are taken out and the line joined again.
     */
    private static List<String> fpuLines(String console) {
        StringBuilder guest = new StringBuilder();
        for (String l : console.lines().toList()) {
            int k = l.indexOf("vmm: ");
            if (k < 0) {
                guest.append(l).append('\n');
            } else {
                guest.append(l, 0, k);          // the rest of this guest line comes after the block
            }
        }
        return guest.toString().lines().filter(l -> l.startsWith("fpu: ")).toList();
    }

    @Test
    void bare_theGuestsChecksPass() {
        for (char c : new char[] {'a', 'b'}) {
            RunResult r = PcMachine.run(MachineConfig.builder().kernel(FPU).serialInput(String.valueOf(c))
                    .maxInstructions(400_000_000L).build());
            assertThat(fpuLines(r.serial())).as(r.serial()).isEqualTo(expected(c));
            assertThat(r.exitPortValue()).isZero();
        }
    }

    /** Both VMs run the guest at once, switched many times while their FPUs hold their state. */
    @Test
    void twoVms_eachSeesOnlyItsOwnFpu() {
        TwoVms t = TwoVms.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).module(FPU).module(FPU)
                .append("vm1=1 stats").serialInput("a").serial2("buffer").serial2Input("b")
                .maxInstructions(1_500_000_000L).build());
        String com1 = t.run().serial();

        assertThat(fpuLines(com1)).as(com1).isEqualTo(expected('a'));
        assertThat(fpuLines(t.com2())).as(t.com2()).isEqualTo(expected('b'));
        assertThat(com1).contains("vmm: VM 0 powered off (status 0)", "vmm: VM 1 powered off (status 0)");
        // the checks spanned many world switches each way
        assertThat(Counters.get(com1, "world switches in")).isGreaterThan(20);
        assertThat(t.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(t.run().exitPortValue()).isZero();
    }

    /** One VM: the guest's CR0.TS/EM/MP reach the real CPU as well (no world switch involved). */
    @Test
    void oneVm_theGuestsCr0FpuBitsAreHonoured() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).module(FPU).append("stats")
                .serialInput("b").maxInstructions(600_000_000L).build());
        assertThat(fpuLines(r.serial())).as(r.serial()).isEqualTo(expected('b'));
        assertThat(r.exitPortValue()).isZero();
    }

    /**
     * The same two VMs on QEMU, the oracle (its x87 and CR0 model, skipped without
     * qemu-system-i386): COM1 is QEMU's stdio, COM2 a pipe chardev (two FIFOs) for VM 1's byte
     * and lines. QEMU's isa-debug-exit exits with (value << 1) | 1.
     */
    @Test
    void twoVms_onQemu_eachSeesOnlyItsOwnFpu() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-i386")),
                "qemu-system-i386 not installed");
        Path pipe = tmp.resolve("com2");
        Process mk = new ProcessBuilder("mkfifo", pipe + ".in", pipe + ".out").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
        Process p = new ProcessBuilder("/usr/bin/qemu-system-i386", "-m", "128", "-display", "none",
                "-serial", "stdio", "-chardev", "pipe,id=c2,path=" + pipe, "-serial", "chardev:c2",
                "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", Guest.HYPERVISOR.toString(), "-initrd", FPU + "," + FPU, "-append", "vm1=1 stats")
                .redirectErrorStream(true).start();
        // each byte goes in once its guest says it is ready: QEMU's UART drops what comes before
        ByteArrayOutputStream com1Out = new ByteArrayOutputStream(), com2 = new ByteArrayOutputStream();
        Thread vm1 = new Thread(() -> {
            try (InputStream in = Files.newInputStream(Path.of(pipe + ".out"));
                 OutputStream in2 = Files.newOutputStream(Path.of(pipe + ".in"))) {
                pump(in, com2, in2, 'b');
            } catch (java.io.IOException e) {
                // the run's end closes it
            }
        });
        vm1.setDaemon(true);
        vm1.start();
        Thread vm0 = new Thread(() -> {
            try (InputStream in = p.getInputStream(); OutputStream keys = p.getOutputStream()) {
                pump(in, com1Out, keys, 'a');
            } catch (java.io.IOException e) {
                // the run's end closes it
            }
        });
        vm0.setDaemon(true);
        vm0.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);      // a hang guard only
        if (!ended) {
            p.destroyForcibly();
        }
        vm0.join(10_000);
        vm1.join(10_000);
        String com1 = com1Out.toString(StandardCharsets.ISO_8859_1);

        assertThat(ended).isTrue();
        assertThat(fpuLines(com1)).as(com1).isEqualTo(expected('a'));
        assertThat(fpuLines(com2.toString(StandardCharsets.ISO_8859_1))).as(com2.toString()).isEqualTo(expected('b'));
        // QEMU's timer is real time and its CPU fast: a few switches only; the guests' own checks
        // and jx86's run above are what show the FPU kept over many
        assertThat(Counters.get(com1, "world switches in")).isPositive();
        assertThat(p.exitValue()).isEqualTo(1);
    }

    /** Copies in to out; once out shows "fpu: ready", sends key once. Returns at the end of in. */
    private static void pump(InputStream in, ByteArrayOutputStream out, OutputStream keys, char key)
            throws java.io.IOException {
        byte[] buf = new byte[4096];
        boolean sent = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            synchronized (out) {
                out.write(buf, 0, n);
            }
            if (!sent && out.toString(StandardCharsets.ISO_8859_1).contains("fpu: ready")) {
                keys.write(key);
                keys.flush();
                sent = true;
            }
        }
    }
}
