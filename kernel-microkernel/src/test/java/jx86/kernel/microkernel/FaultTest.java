package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** user/faulttest.c: page faults to a user-level pager, exceptions and int $0x80 to a handler. */
class FaultTest {
    static final String[] CHECKS = {
        "child-ran-on-pager-supplied-pages",
        "three-heap-faults-reached-the-pager",
        "read-fault-label-and-address",
        "write-fault-label-and-address",
        "fault-message-carries-the-ip",
        "demand-zero-pages-read-zero-and-keep-writes",
        "child-exited-and-its-space-is-gone",
        "ud2-reaches-handler-and-resumes",
        "int80-reaches-handler-which-sets-eax",
        "gp-reaches-handler-and-resumes",
        "de-reaches-handler",
        "handler-kills-the-thread",
        "pagefault-without-pager-becomes-exception-ipc",
        "unhandled-exception-kills-the-thread",
    };

    @Test
    void faultsAndExceptions_allChecksPass() {
        RunResult r = Mk.boot(50_000_000L, "faulttest");

        Mk.assertAllOk(r, "faulttest", CHECKS);
    }

    /** With "mktrace" the kernel prints every page-fault and exception IPC it sends. */
    @Test
    void mktrace_showsPageFaultAndExceptionIpc() {
        RunResult r = Mk.bootWith("mktrace", 50_000_000L, "faulttest");

        assertThat(r.serial()).containsPattern(
                "trace: page fault t020 \\(50001\\) addr 40000010 ip 8[0-9a-f]{7} -> pager 4c001, label ffe4");
        assertThat(r.serial()).containsPattern(
                "trace: page fault t020 \\(50001\\) addr 40001014 ip 8[0-9a-f]{7} -> pager 4c001, label ffe2");
        assertThat(r.serial()).containsPattern("trace: exception 6 exc-child \\(54001\\) ip 8[0-9a-f]{7} -> handler 58001");
        assertThat(r.serial()).contains("faulttest: all passed");
    }

    @Test
    void killedThreads_areReportedByName() {
        RunResult r = Mk.boot(50_000_000L, "faulttest");

        assertThat(r.serial()).containsPattern(
                "mk: thread exc-child \\(54001\\) killed: by its exception handler \\(trap 0, err 0\\) at eip 8[0-9a-f]{7}");
        assertThat(r.serial()).containsPattern(
                "mk: thread nopager \\(60001\\) killed: by its exception handler \\(trap 14, err 4\\)");
        assertThat(r.serial()).containsPattern(
                "mk: thread orphan \\(5c001\\) killed: #UD invalid opcode \\(trap 6, err 0\\) at eip 8[0-9a-f]{7}");
    }
}
