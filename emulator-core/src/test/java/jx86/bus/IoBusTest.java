package jx86.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoBusTest {
    /** Records every access it sees; reads return port + size. */
    static final class Recorder implements IoDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public int ioRead(int port, int size) {
            log.add("r" + size + "@" + Integer.toHexString(port));
            return port + size;
        }

        @Override
        public void ioWrite(int port, int size, int value) {
            log.add("w" + size + "@" + Integer.toHexString(port) + "=" + Integer.toHexString(value));
        }
    }

    @Test
    void unclaimedPort_readsAllOnesForEveryWidth() {
        IoBus bus = new IoBus();
        assertThat(bus.in(0x1234, 1)).isEqualTo(0xFF);
        assertThat(bus.in(0x1234, 2)).isEqualTo(0xFFFF);
        assertThat(bus.in(0x1234, 4)).isEqualTo(0xFFFF_FFFF);
        assertThat(bus.ownerName(0x1234)).isEqualTo("unclaimed");
    }

    @Test
    void overlappingRegistration_isRejectedAtWiringTime() {
        IoBus bus = new IoBus();
        bus.register(0x3F8, 8, "COM1", IoBus.W8, new Recorder());
        assertThatThrownBy(() -> bus.register(0x3FF, 2, "bogus", IoBus.W8, new Recorder()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0x03ff").hasMessageContaining("COM1");
    }

    @Test
    void wordAccessToByteOnlyDevice_isSplitIntoByteAccessesLowPortFirst() {
        IoBus bus = new IoBus();
        Recorder dev = new Recorder();
        bus.register(0x70, 2, "cmos", IoBus.W8, dev);
        bus.out(0x70, 2, 0xBEEF);
        int v = bus.in(0x70, 2);
        assertThat(dev.log).containsExactly("w1@70=ef", "w1@71=be", "r1@70", "r1@71");
        assertThat(v).isEqualTo((0x70 + 1) | ((0x71 + 1) << 8));
    }

    @Test
    void declaredWidth_isPassedThroughWhole() {
        IoBus bus = new IoBus();
        Recorder dev = new Recorder();
        bus.register(0x1F0, 8, "ata", IoBus.W8 | IoBus.W16, dev);
        bus.out(0x1F0, 2, 0x12345);
        assertThat(dev.log).containsExactly("w2@1f0=2345");
    }
}
