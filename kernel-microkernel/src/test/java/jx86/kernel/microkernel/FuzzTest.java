package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * user/fuzz.c: 100,000 system calls with random arguments (fixed seed) from the privileged root
 * task and 20,000 from an unprivileged space; the kernel must neither panic nor stop serving.
 * Threads the fuzzer starts at random instruction pointers die, and the kernel reports each one.
 */
class FuzzTest {
    @Test
    void randomSystemCalls_neverCrashTheKernel() {
        RunResult r = Mk.boot(1_000_000_000L, "fuzz");

        Mk.assertAllOk(r, "fuzz",
                "root-made-100000-random-system-calls",
                "unprivileged-child-made-20000-random-system-calls",
                "echo-server-survived",
                "sigma0-survived");
        assertThat(r.serial()).doesNotContain("panic:");
    }
}
