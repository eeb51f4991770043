package jx86.idl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on jx86: a bare-metal multiboot guest (src/test/resources/idl/guest) links the client
 * stubs and the server skeleton generated from rt.idl with a loopback l4_call that hands each
 * message to rt_dispatch through a second, poisoned UTCB. The guest prints one line per check;
 * this test builds it with gcc and ld (outputs under target/idl-test/guest), boots it with
 * PcMachine and asserts every line.
 */
class IdlLoopbackGuestTest {
    private static final Path GUEST_SRC = Idlc.TEST_RES.resolve("guest");
    private static final long MAX_INSTRUCTIONS = 20_000_000L;

    /** Every check the guest makes, in the order it prints them. */
    private static final List<String> CHECKS = List.of(
            "scalars-result", "scalars-word", "scalars-int", "scalars-request-words",
            "string-0", "string-1", "string-4", "string-12", "string-13", "string-13-request-words",
            "string-packing", "string-padding", "string-too-long", "string-too-long-not-sent",
            "mixed", "mixed-request-words", "mixed-word-first", "full-63-words", "full-request-words",
            "server-overrun",
            "negative-result", "negative-result-no-outs", "positive-result", "no-params",
            "fpage", "fpage-request-tag", "fpage-map-item", "fpage-item-fpage",
            "unknown-label", "foreign-label", "malformed-short", "malformed-long", "malformed-string-bound",
            "malformed-string-short", "malformed-no-item", "malformed-item-type",
            "ipc-error", "ipc-error-value", "ipc-error-no-outs", "malformed-reply",
            "later-immediate", "noreply-dispatch", "reply-builder", "reply-builder-error", "owns",
            "loop-replies", "loop-reply-scalars", "loop-reply-unknown", "loop-waits", "loop-later-caller");

    private static Path elf;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(Idlc.onPath("gcc") && Idlc.onPath("ld"), "gcc or ld not installed: skipping the IDL loopback guest");
        Path out = Idlc.scratch("guest");
        Idlc.Result r = Idlc.run("--out", out.toString(), GUEST_SRC.resolve("rt.idl").toString());
        assertThat(r.errLines()).isEmpty();
        assertThat(r.status()).isZero();

        List<Path> objects = new ArrayList<>();
        List<String> as = List.of("gcc", "-m32", "-c", GUEST_SRC.resolve("start.S").toString(), "-o",
                out.resolve("start.o").toString());
        run(out, as);
        objects.add(out.resolve("start.o"));
        for (Path src : List.of(GUEST_SRC.resolve("main.c"), GUEST_SRC.resolve("io.c"), GUEST_SRC.resolve("loopback.c"),
                GUEST_SRC.resolve("rt_impl.c"), out.resolve("rt_client.c"), out.resolve("rt_server.c"))) {
            Path obj = out.resolve(src.getFileName().toString().replace(".c", ".o"));
            run(out, Idlc.gccCommand(src, obj, out, GUEST_SRC));
            objects.add(obj);
        }
        List<String> ld = new ArrayList<>(List.of("ld", "-m", "elf_i386", "-nostdlib", "--no-warn-rwx-segments",
                "-T", GUEST_SRC.resolve("guest.ld").toString(), "-o", out.resolve("rt.elf").toString()));
        objects.forEach(o -> ld.add(o.toString()));
        run(out, ld);
        elf = out.resolve("rt.elf");
    }

    private static void run(Path dir, List<String> cmd) throws Exception {
        Idlc.Result r = Idlc.exec(dir, cmd);
        assertThat(r.errLines()).as("%s", cmd).isEmpty();
        assertThat(r.status()).as("%s", cmd).isZero();
    }

    @Test
    void everyTypeRoundTripsThroughStubAndSkeleton() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(elf).maxInstructions(MAX_INSTRUCTIONS).build());
        System.out.println("idl loopback guest: " + r.report());
        List<String> lines = checkLines(r.serial(), true);
        assertThat(lines).as("guest output:%n%s", r.serial()).containsExactlyElementsOf(expectedLines());
        assertThat(r.event()).as("run ended by (%s):%n%s", r.report(), r.serial()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    /** The same guest on QEMU, the oracle: the same lines, so a difference points at jx86. */
    @Test
    void sameChecksPassOnQemu() throws Exception {
        assumeTrue(Idlc.onPath("qemu-system-i386"), "qemu-system-i386 not installed: skipping the QEMU run");
        Idlc.Result r = Idlc.exec(Idlc.MODULE, List.of("qemu-system-i386", "-m", "32", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", elf.toString()));
        String out = String.join("\n", r.errLines());
        assertThat(checkLines(out, false)).as("QEMU output:%n%s", out).containsExactlyElementsOf(expectedLines());
        assertThat(r.status()).as("QEMU exit status: isa-debug-exit gives (0 << 1) | 1").isEqualTo(1);
    }

    /** The guest's lines without the info lines (measurements: printed for the record, never asserted). */
    private static List<String> checkLines(String serial, boolean print) {
        List<String> all = Arrays.asList(serial.replace("\r", "").split("\n"));
        if (print) {
            all.stream().filter(l -> l.startsWith("idl: info ")).forEach(System.out::println);
        }
        return all.stream().filter(l -> l.startsWith("idl: ") && !l.startsWith("idl: info ")).toList();
    }

    private static List<String> expectedLines() {
        List<String> expected = new ArrayList<>();
        expected.add("idl: loopback guest");
        CHECKS.forEach(c -> expected.add("idl: ok " + c));
        expected.add("idl: done, all passed");
        return expected;
    }
}
