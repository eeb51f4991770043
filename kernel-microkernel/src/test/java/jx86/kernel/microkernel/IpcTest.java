package jx86.kernel.microkernel;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** user/ipctest.c: IPC semantics between threads of two spaces and of one space. */
class IpcTest {
    static final String[] CHECKS = {
        "kip-mapped-with-magic-version-and-vectors",
        "kip-names-sigma0-root-and-memory",
        "utcb-through-gs",
        "call-replywait-registers-other-space",
        "call-replywait-empty-message",
        "call-replywait-63-words-other-space",
        "call-replywait-registers-same-space",
        "call-replywait-40-words-same-space",
        "fastpath-taken-only-when-enabled",
        "fastpath-and-slowpath-identical",
        "blocked-send-delivered",
        "blocked-receive-delivered",
        "closed-receive-picks-named-sender",
        "open-receive-takes-queued-sender",
        "send-timeout-zero-to-busy-thread",
        "receive-timeout-zero-nothing-queued",
        "relative-receive-timeout-expires",
        "call-to-invalid-thread-fails",
        "call-to-garbage-id-fails",
        "send-to-deleted-thread-fails",
        "call-with-stale-version-fails",
        "receive-from-deleted-thread-fails",
        "threadcontrol-refused-unprivileged",
        "time-slices-preempt-a-spinning-thread",
        "exregs-halt",
        "halted-thread-does-not-run",
        "exregs-reads-ip-and-sp",
        "exregs-writes-ip-and-sp",
        "thread-resumes-at-the-new-ip",
        "lower-priority-runs-only-while-higher-blocks",
        "server-still-answers",
    };

    @Test
    void ipcSemantics_allChecksPass() {
        RunResult r = Mk.boot(50_000_000L, "ipctest");

        Mk.assertAllOk(r, "ipctest", CHECKS);
    }
}
