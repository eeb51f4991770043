package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** user/iotest.c: I/O permission bitmaps per task, and IRQ 4 delivered as IPC. */
class IoTest {
    static final String[] CHECKS = {
        "ungranted-port-raises-gp-exception-ipc",
        "root-grants-ports-0x5a0-0x5af",
        "granted-port-works-without-exception",
        "port-outside-the-grant-still-faults",
        "root-grants-itself-com1",
        "driver-attached-to-irq4",
        "irq-arrives-as-message-from-interrupt-thread",
        "handler-acknowledges-by-sending",
        "ack-from-a-non-handler-is-refused",
    };

    @Test
    void portsAndInterrupts_allChecksPass() {
        RunResult r = Mk.boot(50_000_000L, "iotest");

        Mk.assertAllOk(r, "iotest", CHECKS);
        // on jx86 the granted port is the perf-counter device: its signature "JXPC"
        assertThat(r.serial()).contains("iotest: perf-counter id read by the child: 4350584a");
    }

    /** With "mktrace" every interrupt message and acknowledgement shows on COM1. */
    @Test
    void mktrace_showsInterruptsAndAcknowledgements() {
        RunResult r = Mk.bootWith("mktrace", 50_000_000L, "iotest");

        assertThat(r.serial()).contains("trace: irq 4 -> handler t023 (5c001)", "trace: irq 4 acknowledged by t023 (5c001)",
                "iotest: all passed");
    }
}
