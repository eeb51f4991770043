package jx86.devices.misc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import org.junit.jupiter.api.Test;

class ExitPortF4Test {
    @Test
    void writesOfEveryWidth_deliverTheValue() {
        IoBus bus = new IoBus();
        List<Integer> exits = new ArrayList<>();
        new ExitPortF4(exits::add).attach(bus);
        bus.out(0xF4, 1, 0x31);
        bus.out(0xF4, 2, 0x1234);
        bus.out(0xF4, 4, 0xCAFEBABE);
        assertThat(exits).containsExactly(0x31, 0x1234, 0xCAFEBABE);
    }
}
