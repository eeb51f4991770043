package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.EDI;
import static jx86.cpu.Cpu.EDX;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import org.junit.jupiter.api.Test;

class StringOpsTest {
    private static final int SRC = 0x20000;
    private static final int DST = 0x30000;

    @Test
    void repMovsd_copiesAndAdvances() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int i = 0; i < 16; i++) {
            t.poke8(SRC + i, 0x10 + i);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 4).exec(0xF3, 0xA5);
        assertThat(t.read32(DST)).isEqualTo(0x1312_1110);
        assertThat(t.read32(DST + 12)).isEqualTo(0x1F1E_1D1C);
        assertThat(t.reg(ECX)).isZero();
        assertThat(t.reg(ESI)).isEqualTo(SRC + 16);
        assertThat(t.reg(EDI)).isEqualTo(DST + 16);
    }

    @Test
    void repMovsb_longCountAcrossManyBatches() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int i = 0; i < 5000; i++) {
            t.poke8(SRC + i, i * 7);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 5000).exec(0xF3, 0xA4);
        for (int i = 0; i < 5000; i += 499) {
            assertThat(t.read8(DST + i)).isEqualTo((i * 7) & 0xFF);
        }
        assertThat(t.reg(ECX)).isZero();
    }

    @Test
    void repMovsb_directionFlagSet_copiesBackwards() {
        CpuTestSupport t = CpuTestSupport.flat32().poke8(SRC, 1).poke8(SRC + 1, 2).poke8(SRC + 2, 3);
        t.set(ESI, SRC + 2).set(EDI, DST + 2).set(ECX, 3).exec(0xFD, 0xF3, 0xA4);
        assertThat(t.read8(DST)).isEqualTo(1);
        assertThat(t.read8(DST + 2)).isEqualTo(3);
        assertThat(t.reg(ESI)).isEqualTo(SRC - 1);
        assertThat(t.reg(EDI)).isEqualTo(DST - 1);
    }

    @Test
    void rep_countZero_doesNothing() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EDI, DST).set(ECX, 0).set(EAX, 0x77).exec(0xF3, 0xAA);
        assertThat(t.read8(DST)).isZero();
        assertThat(t.reg(EDI)).isEqualTo(DST);
    }

    @Test
    void repeCmpsb_stopsAtFirstDifference() {
        CpuTestSupport t = CpuTestSupport.flat32();
        byte[] a = "abcdef".getBytes();
        byte[] b = "abcxef".getBytes();
        for (int i = 0; i < 6; i++) {
            t.poke8(SRC + i, a[i]).poke8(DST + i, b[i]);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 6).exec(0xF3, 0xA6);
        assertThat(t.reg(ECX)).isEqualTo(2);
        assertThat(t.reg(ESI)).isEqualTo(SRC + 4);
        assertThat(t.flags() & ZF).isZero();
    }

    @Test
    void repneScasb_findsByte() {
        CpuTestSupport t = CpuTestSupport.flat32();
        byte[] s = "hello\0".getBytes();
        for (int i = 0; i < s.length; i++) {
            t.poke8(DST + i, s[i]);
        }
        t.set(EDI, DST).set(ECX, -1).set(EAX, 0).exec(0xF2, 0xAE);
        assertThat(t.reg(EDI)).isEqualTo(DST + 6);
        assertThat(t.reg(ECX)).isEqualTo(-7);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
    }

    @Test
    void stosw_addressSize16_usesDiAndCx() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EDI, 0xABCD_0100).set(ECX, 0x5555_0002).set(EAX, 0xBEEF);
        t.exec(0x66, 0x67, 0xF3, 0xAB);
        assertThat(t.read16(0x100)).isEqualTo(0xBEEF);
        assertThat(t.read16(0x102)).isEqualTo(0xBEEF);
        assertThat(t.reg(EDI)).isEqualTo(0xABCD_0104);
        assertThat(t.reg(ECX)).isEqualTo(0x5555_0000);
    }

    @Test
    void lodsb_sourceSegmentOverride() {
        CpuTestSupport t = CpuTestSupport.flat32().poke8(0x50010, 0x42);
        t.cpu.setSegmentCache(Cpu.FS, 0x18, 0x50000, 0xFFFF, 0xC093);
        t.set(ESI, 0x10).exec(0x64, 0xAC);
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0x42);
        assertThat(t.reg(ESI)).isEqualTo(0x11);
    }

    @Test
    void movsb_realMode_siWrapsAt64k() {
        CpuTestSupport t = CpuTestSupport.real().poke8(0xFFFF, 0x99).set(ESI, 0xFFFF).set(EDI, 0x500);
        t.exec(0xA4);
        assertThat(t.read8(0x500)).isEqualTo(0x99);
        assertThat(t.reg(ESI)).isZero();
        assertThat(t.reg(EDI)).isEqualTo(0x501);
    }

    @Test
    void repOutsb_andInsb_realMode() {
        CpuTestSupport t = CpuTestSupport.real();
        List<Integer> written = new ArrayList<>();
        t.io.register(0x300, 1, "test", IoBus.W8, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return 0x5A;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                written.add(value);
            }
        });
        t.poke8(0x600, 1).poke8(0x601, 2).poke8(0x602, 3);
        t.set(EDX, 0x300).set(ESI, 0x600).set(ECX, 3).set(EDI, 0x700);
        t.exec(0xF3, 0x6E, 0xB1, 0x02, 0xF3, 0x6C); // rep outsb; mov cl,2; rep insb
        assertThat(written).containsExactly(1, 2, 3);
        assertThat(t.read8(0x700)).isEqualTo(0x5A);
        assertThat(t.read8(0x701)).isEqualTo(0x5A);
        assertThat(t.read8(0x702)).isZero();
    }

    @Test
    void repMovsd_faultMidway_leavesCompletedIterationsCommitted() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.ES, 0x18, 0, DST + 7, 0xC093); // third dword crosses the limit
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 5);
        jx86.arch.CpuFault f = t.fault(0xF3, 0xA5);
        assertThat(f.vector).isEqualTo(jx86.arch.Vectors.GP);
        assertThat(t.reg(ECX)).isEqualTo(3);
        assertThat(t.reg(EDI)).isEqualTo(DST + 8);
        assertThat(t.reg(ESI)).isEqualTo(SRC + 8);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE);
    }

    @Test
    void ins_destinationFault_doesNotReadThePort() {
        CpuTestSupport t = CpuTestSupport.real();
        int[] reads = {0};
        t.io.register(0x300, 1, "test", IoBus.W8, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                reads[0]++;
                return 0;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
            }
        });
        t.set(EDX, 0x300).set(EDI, 0xFFFF);
        assertThat(t.fault(0x6D).vector).isEqualTo(jx86.arch.Vectors.GP); // insw at ES:FFFF
        assertThat(reads[0]).isZero();
    }
}
