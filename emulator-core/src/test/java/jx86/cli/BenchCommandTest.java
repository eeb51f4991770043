package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private static RunResult run(MachineEvent event, int value, String serial, long instructions) {
        return new RunResult(event, value, serial, "", instructions, instructions);
    }

    @Test
    void checksumLine_findsTheLastChecksumLine() {
        assertThat(BenchCommand.checksumLine("ok\nbench checksum=0x1\nbench checksum=0xAbC9\ndone\n"))
                .isEqualTo("bench checksum=0xAbC9");
        assertThat(BenchCommand.checksumLine("ok\ndone\n")).isNull();
    }

    @Test
    void median_ofOddAndEvenCounts() {
        assertThat(BenchCommand.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(BenchCommand.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void verify_acceptsMatchingRunsAndReturnsTheChecksum() {
        String c = BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 5), null, -1);
        assertThat(BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 5), c, 5))
                .isEqualTo("bench checksum=0x12");
    }

    @Test
    void verify_rejectsMissingOrDifferentChecksumsAndFailedRuns() {
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "done\n", 5), null, -1))
                .isInstanceOf(UserError.class).hasMessageContaining("no 'bench checksum");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x13\n", 5),
                "bench checksum=0x12", 5)).isInstanceOf(UserError.class).hasMessageContaining("differs");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 6),
                "bench checksum=0x12", 5)).isInstanceOf(UserError.class).hasMessageContaining("instruction count");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 3, "bench checksum=0x12\n", 5),
                null, -1)).isInstanceOf(UserError.class).hasMessageContaining("run failed");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.TRIPLE_FAULT, 0, "bench checksum=0x12\n", 5),
                null, -1)).isInstanceOf(UserError.class);
    }
}
