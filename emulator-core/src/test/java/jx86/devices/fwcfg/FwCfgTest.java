package jx86.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QEMU fw_cfg's traditional interface, as a guest driver reads it (QEMU docs/specs/fw_cfg.rst). */
class FwCfgTest {
    IoBus bus;
    FwCfg fw;

    @BeforeEach
    void setUp() {
        bus = new IoBus();
        fw = new FwCfg(128L << 20, 1, "console=ttyS0");
        fw.addFile("etc/e820", new byte[] {1, 2, 3, 4, 5});
        fw.attach(bus);
    }

    private int[] read(int key, int n) {
        bus.out(0x510, 2, key);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = bus.in(0x511, 1);
        }
        return out;
    }

    @Test
    void signature_readsQemu() {
        assertThat(read(0x00, 4)).containsExactly('Q', 'E', 'M', 'U');
    }

    @Test
    void id_saysTraditionalInterfaceWithoutDma() {
        assertThat(read(0x01, 4)).containsExactly(1, 0, 0, 0);
    }

    @Test
    void ramSize_isLittleEndian64Bit() {
        assertThat(read(0x03, 8)).containsExactly(0, 0, 0, 8, 0, 0, 0, 0);
    }

    @Test
    void cpuCount_andMaximum_areOne() {
        assertThat(read(0x05, 2)).containsExactly(1, 0);
        assertThat(read(0x0F, 2)).containsExactly(1, 0);
    }

    @Test
    void commandLine_sizeCountsTheNul_dataEndsWithIt() {
        assertThat(read(0x14, 4)).containsExactly(14, 0, 0, 0);
        int[] data = read(0x15, 14);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            s.append((char) data[i]);
        }
        assertThat(s.toString()).isEqualTo("console=ttyS0");
        assertThat(data[13]).isZero();
    }

    @Test
    void fileDirectory_isBigEndianCountThenSizeSelectNameEntries() {
        int[] dir = read(0x19, 4 + 64);
        assertThat(dir).startsWith(0, 0, 0, 1, 0, 0, 0, 5, 0, 0x20, 0, 0, 'e', 't', 'c', '/', 'e', '8', '2', '0', 0);
        assertThat(read(0x20, 6)).containsExactly(1, 2, 3, 4, 5, 0);
    }

    @Test
    void unknownKey_andReadsPastTheEnd_giveZero_selectingRewinds() {
        assertThat(read(0x1234, 2)).containsExactly(0, 0);
        assertThat(read(0x00, 6)).containsExactly('Q', 'E', 'M', 'U', 0, 0);
        assertThat(read(0x00, 1)).containsExactly('Q');
    }
}
