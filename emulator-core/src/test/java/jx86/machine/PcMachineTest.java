package jx86.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PcMachineTest {
    @Test
    void hello() throws Exception {
        Path elf = Path.of(System.getProperty("jx86.root"), "src-test-guests/target/guests/hello.elf");
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(elf).maxInstructions(10_000_000).build());
        System.out.println(r.report());
        System.out.println(r.serial());
        assertThat(r.serial()).contains("Hello from jx86!");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
    }
}
