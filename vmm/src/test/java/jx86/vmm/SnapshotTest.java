package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.image.Ext2Check;
import jx86.image.HostTools;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VM snapshots on the hypervisor console (snapshot.c): VM 0 is saved, writes files, is restored
 * twice; VM 1 runs beside it throughout. One scripted run (COM1 paced: each line when the
 * machine idles, so the console's commands and the shell's arrive the way typing would) is
 * shared by the tests, each asserting one property of it.
 */
class SnapshotTest {
    static final String ESC = "\u001d";
    /** The commands typed after each restore: the transcripts they give must be identical. */
    static final String AFTER_RESTORE = "ls /\rcat /gone /kept\recho again > /again\rcat /again\r";

    @TempDir
    static Path tmp;
    static Path d0, d1, e1;
    static String com1, com2, other;
    static TwoVms run, otherRun;

    @BeforeAll
    static void runOnce() throws Exception {
        d0 = tmp.resolve("vm0.img");
        d1 = tmp.resolve("vm1.img");
        Files.copy(Guest.DISK, d0);
        Files.copy(Guest.DISK, d1);
        String in0 = "echo kept > /kept\r"
                + ESC + "snapshot 0\rl\rc\r"
                + "echo gone > /gone\rcat /gone\r"
                + ESC + "restore 0\rc\r"
                + AFTER_RESTORE
                + ESC + "loadvm 0\rl\rc\r"                      // QEMU's name for it
                + AFTER_RESTORE
                + ESC + "l\rf 1\rc\r"                           // VM 1's console on COM1
                + "cat /o1\rls /\rsync\r"
                + ESC + "f 0\rk 1\rc\r"
                + "ls /\rpoweroff\r";
        String in1 = "echo one > /o1\rcat /o1\r";
        run = TwoVms.run(TwoVms.config("snap=16", in0, in1, d0, d1, false, 6_000_000_000L).build());
        com1 = run.run().serial();
        com2 = run.com2();

        // VM 1 saved and restored from VM 0's console: VM 1's own thread puts the snapshot back
        // when it is next switched to (not on the console's thread)
        Path e0 = tmp.resolve("other0.img");
        e1 = tmp.resolve("other1.img");
        Files.copy(Guest.DISK, e0);
        Files.copy(Guest.DISK, e1);
        String in = ESC + "f 1\rc\r"
                + "echo kept1 > /k1\r"
                + ESC + "f 0\rc\r"
                + ESC + "savevm 1\rc\r"                          // on VM 0's thread
                + ESC + "f 1\rc\r"
                + "echo gone1 > /g1\rcat /g1\r"
                + ESC + "f 0\rc\r"
                + ESC + "restore 1\rl\rc\r"                      // on VM 0's thread
                + ESC + "f 1\rc\r"
                + "ls /\rcat /g1 /k1\r"
                + ESC + "delvm 1\rl\rk 0\rc\r"
                + "echo after1 > /a1\rpoweroff\r";
        otherRun = TwoVms.run(TwoVms.config("snap=16", in, "", e0, e1, false, 6_000_000_000L).build());
        other = otherRun.run().serial();
        // the figures for docs/vmm.md (target/surefire-reports/jx86.vmm.SnapshotTest-output.txt)
        (com1 + other).lines().filter(l -> l.matches("vmm: VM \\d (saved|restored).*|vmm: snapshot store.*"))
                .forEach(System.out::println);
        System.out.println("vmm: run 1: " + run.run().instructions() + " instructions, " + run.run().cycles() + " cycles");
    }

    @Test
    void snapshotAndRestore_filesWrittenAfterTheSnapshotAreGone_theVmRunsOn() {
        assertThat(com1).contains("vmm: snapshot store: 16 MiB at host 7000000");
        assertThat(com1).contains("vmm: snapshots: snapshot N (savevm N), restore N (loadvm N), delvm N");
        assertThat(TwoVms.lines(com1)).containsSubsequence("echo kept > /kept", "vmm> snapshot 0")
                .anyMatch(l -> l.matches("vmm: VM 0 saved: \\d+ of 10240 memory pages, \\d+ window pages stored.*"))
                .anyMatch(l -> l.matches("vmm: VM 0 snapshot: \\d+ memory \\+ \\d+ window pages, overlay 0 sector\\(s\\), "
                        + "restored 0 time\\(s\\)"));
        // before the restore /gone is there; after it, not
        assertThat(TwoVms.lines(com1)).containsSubsequence(
                "cat /gone",
                "gone",
                "vmm> restore 0",
                "vmm: VM 0 goes back to its snapshot when it next runs",
                "vmm: console closed")
                .anyMatch(l -> l.matches("vmm: VM 0 restored \\(1\\), [1-9]\\d* overlay sector\\(s\\) dropped, eip .*"))
                .anyMatch(l -> l.matches("vmm: VM 0 restored \\(2\\), [1-9]\\d* overlay sector\\(s\\) dropped, eip .*"))
                .anyMatch(l -> l.matches("vmm: VM 0 snapshot: .*overlay [1-9]\\d* sector\\(s\\), restored 1 time\\(s\\), restore pending"));
        assertThat(TwoVms.lines(afterRestore(1))).containsSubsequence("ls /", "-rw-r--r--  1        5 kept",
                "cat /gone /kept", "cat: /gone: No such file or directory", "kept", "cat /again", "again")
                .noneMatch(l -> l.endsWith(" gone"));
        // the VM runs on after the second restore too, and to its power-off
        assertThat(TwoVms.lines(com1.substring(com1.indexOf("vmm: VM 0 restored (2)")))).containsSubsequence(
                "cat /again", "again", "vmm: VM 1 killed from the console", "ls /", "-rw-r--r--  1        6 again",
                "reboot: power down", "vmm: VM 0 powered off (status 0)");
        assertThat(com1).doesNotContain("panic:").doesNotContain("vm0:");
        assertThat(run.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(run.run().exitPortValue()).isZero();
    }

    @Test
    void theSameSnapshotRestoredTwice_givesTheSameConsoleOutput() {
        String first = afterRestore(1), second = afterRestore(2);
        assertThat(first).contains("ls /").contains("cat /again");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void theOtherVm_isUnaffectedThroughout() {
        // VM 1's kernel code is the same in every list, before and after VM 0's restores
        Matcher m = Pattern.compile("vmm: VM 1 running(?: \\(idle\\))? switches \\d+ ticks \\d+ exits \\d+ code ([0-9a-f]+)")
                .matcher(com1);
        List<String> sums = m.results().map(r -> r.group(1)).toList();
        assertThat(sums).hasSize(3);
        assertThat(sums).containsOnly(sums.get(0));
        assertThat(TwoVms.lines(com2)).containsSubsequence("cat /o1", "one");
        // on COM1 after "f 1": VM 1's shell answers, its file is there, VM 0's are not
        String vm1 = com1.substring(com1.indexOf("vmm: VM 1's console is on COM1 now"));
        vm1 = vm1.substring(0, vm1.indexOf("vmm: VM 0's console is on COM1 now"));
        assertThat(TwoVms.lines(vm1)).containsSubsequence("cat /o1", "one", "ls /", "-rw-r--r--  1        4 o1")
                .noneMatch(l -> l.endsWith(" kept") || l.endsWith(" again") || l.endsWith(" gone"));
    }

    @Test
    void atTheEnd_theOverlayIsCommitted_andTheDisksAreClean() {
        assertThat(TwoVms.lines(com1)).anyMatch(l -> l.matches("vmm: VM 0: [1-9]\\d* overlay sector\\(s\\) committed to its disk"));
        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(d0);
        Ext2Check.assertClean(d1);
        assertThat(new String(Ext2Check.readFile(d0, "/kept"), StandardCharsets.UTF_8)).isEqualTo("kept\n");
        assertThat(new String(Ext2Check.readFile(d0, "/again"), StandardCharsets.UTF_8)).isEqualTo("again\n");
        assertThatThrownBy(() -> Ext2Check.readFile(d0, "/gone")).isInstanceOf(AssertionError.class);
        assertThat(new String(Ext2Check.readFile(d1, "/o1"), StandardCharsets.UTF_8)).isEqualTo("one\n");
    }

    @Test
    void theOtherVmRestoredFromThisVmsConsole_goesBackWhenItNextRuns() {
        List<String> lines = TwoVms.lines(other);
        assertThat(lines).containsSubsequence(
                "vmm> savevm 1",
                "cat /g1", "gone1",
                "vmm> restore 1",
                "vmm: VM 1 goes back to its snapshot when it next runs",
                "vmm> l")
                .anyMatch(l -> l.matches("vmm: VM 1 saved: \\d+ of 10240 memory pages, .*"))
                .anyMatch(l -> l.matches("vmm: VM 1 snapshot: .*, restored 0 time\\(s\\), restore pending"));
        String after = other.substring(other.indexOf("vmm: VM 1 restored (1), "));
        assertThat(TwoVms.lines(after)).containsSubsequence(
                "ls /", "-rw-r--r--  1        6 k1",
                "cat /g1 /k1", "cat: /g1: No such file or directory", "kept1",
                "vmm> delvm 1", "vmm: VM 1's snapshot deleted", "vmm> l",
                "vmm> k 0", "vmm: VM 0 killed from the console",
                "echo after1 > /a1", "poweroff", "reboot: power down", "vmm: VM 1 powered off (status 0)")
                .noneMatch(l -> l.endsWith(" g1") || l.startsWith("vmm: VM 1 snapshot:"));
        assertThat(other).doesNotContain("panic:").doesNotContain("vm1:");
        assertThat(otherRun.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(otherRun.run().exitPortValue()).isZero();
        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(e1);
        assertThat(new String(Ext2Check.readFile(e1, "/k1"), StandardCharsets.UTF_8)).isEqualTo("kept1\n");
        assertThat(new String(Ext2Check.readFile(e1, "/a1"), StandardCharsets.UTF_8)).isEqualTo("after1\n");
        assertThatThrownBy(() -> Ext2Check.readFile(e1, "/g1")).isInstanceOf(AssertionError.class);
    }

    @Test
    void withoutAStoreOrWithOneTooSmall_theCommandsSaySo_andTheVmRunsOn() {
        String in = ESC + "snapshot 0\rrestore 0\rsavevm 7\rloadvm\rc\recho still here\rpoweroff\r";
        String in1 = "poweroff\r";
        String off = TwoVms.run(TwoVms.config("", in, in1, Guest.DISK, Guest.DISK, true, 3_000_000_000L).build())
                .run().serial();
        assertThat(TwoVms.lines(off)).containsSubsequence(
                "vmm> snapshot 0", "vmm: snapshots are off (boot the hypervisor with snap=M for an M MiB store)",
                "vmm> restore 0", "vmm: snapshots are off (boot the hypervisor with snap=M for an M MiB store)",
                "vmm> savevm 7", "vmm: which VM? (0..1)",
                "vmm> loadvm", "vmm: which VM? (0..1)",
                "still here", "vmm: VM 0 powered off (status 0)");
        assertThat(off).doesNotContain("snapshot store");

        TwoVms small = TwoVms.run(TwoVms.config("snap=1", in, in1, Guest.DISK, Guest.DISK, true, 3_000_000_000L).build());
        String full = small.run().serial();
        assertThat(TwoVms.lines(full)).containsSubsequence(
                "vmm> snapshot 0", "vmm: VM 0: the snapshot store is full (1 MiB): no snapshot",
                "vmm> restore 0", "vmm: VM 0 has no snapshot",
                "still here", "vmm: VM 0 powered off (status 0)")
                .anyMatch(l -> l.matches("vmm: snapshot store: 1 MiB at host 7f00000 \\(\\d+ pages free\\)"));
        assertThat(full).contains("vmm: VM 0: 45056 KiB guest memory");   // (128 - 32 - 1) / 2, in 4 MiB steps
        assertThat(small.run().exitPortValue()).isZero();
    }

    /**
     * The same on QEMU, the oracle (skipped without qemu-system-i386): each line is typed when the
     * output it waits for has appeared (QEMU's time is the host's, so a script cannot be paced by
     * virtual time); waiting is guarded against a hang, never timed.
     */
    @Test
    void onQemu_filesWrittenAfterTheSnapshotAreGone_andTheTwoRestoresLookAlike() throws Exception {
        assumeThat(HostTools.find("qemu-system-i386")).as("qemu-system-i386 installed").isPresent();
        Path q0 = tmp.resolve("qemu0.img"), q1 = tmp.resolve("qemu1.img");
        Files.copy(Guest.DISK, q0);
        Files.copy(Guest.DISK, q1);
        Process p = new ProcessBuilder("qemu-system-i386", "-m", "128", "-display", "none", "-serial", "stdio",
                "-serial", "null", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", Guest.HYPERVISOR.toString(), "-append", "vm1=1 snap=16 -- console=ttyS0 panic=exit init=/bin/sh",
                "-initrd", Guest.KERNEL + "," + Guest.KERNEL,
                "-drive", "file=" + q0 + ",format=raw,index=0,media=disk",
                "-drive", "file=" + q1 + ",format=raw,index=1,media=disk").redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                for (int c; (c = in.read()) >= 0; ) {
                    out.append((char) c);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        String prompt = "/$ ", closed = "vmm: console closed";
        String[][] script = {
            { null, prompt },
            { "echo kept > /kept\r", prompt },
            { ESC + "snapshot 0\r", "vmm: VM 0 saved" }, { "c\r", closed },
            { "echo gone > /gone\r", prompt }, { "cat /gone\r", prompt },
            { ESC + "restore 0\r", "vmm> " }, { "c\r", "vmm: VM 0 restored (1)" },
            { "ls /\r", prompt }, { "cat /gone /kept\r", prompt }, { "echo again > /again\r", prompt },
            { ESC + "loadvm 0\r", "vmm> " }, { "c\r", "vmm: VM 0 restored (2)" },
            { "ls /\r", prompt }, { "cat /gone /kept\r", prompt }, { "echo again > /again\r", prompt },
            { ESC + "k 1\r", "vmm> " }, { "c\r", closed },
            { "poweroff\r", "vmm: VM 0 powered off" },
        };
        try (var stdin = p.getOutputStream()) {
            for (String[] step : script) {
                int from = out.length();
                if (step[0] != null) {
                    stdin.write(step[0].getBytes(StandardCharsets.ISO_8859_1));
                    stdin.flush();
                }
                for (int i = 0; i < 3000 && out.indexOf(step[1], from) < 0 && p.isAlive(); i++) {
                    Thread.sleep(100);                      // a hang guard of 5 minutes a step
                }
                assertThat(out.indexOf(step[1], from)).as("after %s: %s in%n%s", step[0], step[1], out).isGreaterThanOrEqualTo(0);
            }
        } finally {
            p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            p.destroyForcibly();
            reader.join();
        }
        String q = out.toString();
        String first = q.substring(q.indexOf("vmm: VM 0 restored (1)"), q.indexOf("vmm> loadvm 0"));
        String second = q.substring(q.indexOf("vmm: VM 0 restored (2)"), q.indexOf("vmm> k 1"));
        assertThat(TwoVms.lines(first)).containsSubsequence("ls /", "-rw-r--r--  1        5 kept",
                "cat /gone /kept", "cat: /gone: No such file or directory", "kept")
                .noneMatch(l -> l.endsWith(" gone"));
        assertThat(second.substring(second.indexOf('\n'))).isEqualTo(first.substring(first.indexOf('\n')));
        assertThat(q).contains("vmm: VM 0 powered off (status 0)").doesNotContain("panic:");
        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(q0);
        assertThat(new String(Ext2Check.readFile(q0, "/again"), StandardCharsets.UTF_8)).isEqualTo("again\n");
        assertThatThrownBy(() -> Ext2Check.readFile(q0, "/gone")).isInstanceOf(AssertionError.class);
    }

    /** COM1 from the end of the n-th restore's line to the next opening of the console. */
    static String afterRestore(int n) {
        int at = com1.indexOf("vmm: VM 0 restored (" + n + ")");
        assertThat(at).as("restore " + n).isGreaterThanOrEqualTo(0);
        at = com1.indexOf('\n', at) + 1;
        int end = com1.indexOf("vmm: hypervisor console", at);
        assertThat(end).isGreaterThan(at);
        return com1.substring(at, end);
    }
}
