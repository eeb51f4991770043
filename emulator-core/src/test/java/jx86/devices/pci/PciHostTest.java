package jx86.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import org.junit.jupiter.api.Test;

/** Configuration mechanism #1 at 0xCF8/0xCFC as a PCI PC with only its host bridge answers it. */
class PciHostTest {
    private final IoBus io = new IoBus();

    PciHostTest() {
        new PciHost().attach(io);
    }

    private static int address(int bus, int dev, int fn, int reg) {
        return 0x8000_0000 | bus << 16 | dev << 11 | fn << 8 | reg;
    }

    @Test
    void configAddress_readsBackADoublewordWrite_withReservedBitsZero() {
        io.out(0xCF8, 4, 0x8000_0000);
        assertThat(io.in(0xCF8, 4)).isEqualTo(0x8000_0000);
        io.out(0xCF8, 4, 0xFFFF_FFFF);
        assertThat(io.in(0xCF8, 4)).as("bits 30:24 and 1:0 reserved").isEqualTo(0x80FF_FFFC);
        io.out(0xCF8, 4, 0x0000_1234);
        assertThat(io.in(0xCF8, 4)).isEqualTo(0x0000_1234);
    }

    @Test
    void byteAndWordAccessesToCf8_areNotTheAddressRegister() {
        io.out(0xCF8, 4, 0x8000_0000);
        io.out(0xCFB, 1, 0x01);            // Linux's pci_check_type1 does this first
        io.out(0xCF8, 2, 0x0000);
        assertThat(io.in(0xCF8, 4)).isEqualTo(0x8000_0000);
        assertThat(io.in(0xCF8, 1)).isEqualTo(0xFF);
        assertThat(io.in(0xCFA, 2)).isEqualTo(0xFFFF);
    }

    @Test
    void hostBridge_atBus0Device0_isAn82441fx() {
        io.out(0xCF8, 4, address(0, 0, 0, 0x00));
        assertThat(io.in(0xCFC, 4)).as("device:vendor").isEqualTo(0x1237_8086);
        assertThat(io.in(0xCFC, 2)).isEqualTo(0x8086);
        assertThat(io.in(0xCFE, 2)).isEqualTo(0x1237);
        assertThat(io.in(0xCFD, 1)).isEqualTo(0x80);
        io.out(0xCF8, 4, address(0, 0, 0, 0x08));
        assertThat(io.in(0xCFC, 4)).as("class 060000, revision 02").isEqualTo(0x0600_0002);
        assertThat(io.in(0xCFE, 2)).as("Linux's PCI_CLASS_DEVICE read").isEqualTo(0x0600);
        io.out(0xCF8, 4, address(0, 0, 0, 0x0C));
        assertThat(io.in(0xCFE, 1)).as("header type 0: single function").isZero();
        io.out(0xCF8, 4, address(0, 0, 0, 0x04));
        assertThat(io.in(0xCFC, 4)).as("status:command").isEqualTo(0x0280_0006);
    }

    @Test
    void hostBridge_isReadOnly_andHasNoBars() {
        io.out(0xCF8, 4, address(0, 0, 0, 0x10));
        io.out(0xCFC, 4, 0xFFFF_FFFF);     // BAR sizing
        assertThat(io.in(0xCFC, 4)).isZero();
        io.out(0xCF8, 4, address(0, 0, 0, 0x00));
        io.out(0xCFC, 2, 0x1234);
        assertThat(io.in(0xCFC, 4)).isEqualTo(0x1237_8086);
    }

    @Test
    void absentFunctions_otherBuses_andTheDisabledDataPort_readAllOnes() {
        int[][] absent = {{0, 0, 1}, {0, 1, 0}, {0, 31, 7}, {1, 0, 0}, {255, 0, 0}};
        for (int[] a : absent) {
            io.out(0xCF8, 4, address(a[0], a[1], a[2], 0));
            assertThat(io.in(0xCFC, 4)).as("%02x:%02x.%d", a[0], a[1], a[2]).isEqualTo(0xFFFF_FFFF);
            assertThat(io.in(0xCFE, 2)).isEqualTo(0xFFFF);
            assertThat(io.in(0xCFF, 1)).isEqualTo(0xFF);
            io.out(0xCFC, 4, 0);               // master abort: the write vanishes
            assertThat(io.in(0xCFC, 4)).isEqualTo(0xFFFF_FFFF);
        }
        io.out(0xCF8, 4, 0x0000_0000);         // enable bit clear: no configuration cycle
        assertThat(io.in(0xCFC, 4)).isEqualTo(0xFFFF_FFFF);
    }
}
