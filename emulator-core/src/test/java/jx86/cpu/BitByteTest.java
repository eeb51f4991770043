package jx86.cpu;

import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BitByteTest {
    @Test
    void bt_register_offsetMaskedToWidth() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x10).set(EBX, 36).exec(0x0F, 0xA3, 0xD8);
        assertThat(t.flags() & CF).isEqualTo(CF);
        assertThat(t.reg(EAX)).isEqualTo(0x10);
    }

    @Test
    void bt_leavesZfUnchanged() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).set(EBX, 3).flags(ZF | CF).exec(0x0F, 0xA3, 0xD8);
        assertThat(t.flags() & (CF | ZF)).isEqualTo(ZF);
    }

    @Test
    void bts_memory_bitOffsetAddressesBeyondOperand() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, 35).exec(0x0F, 0xAB, 0x1D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read32(0x20000)).isZero();
        assertThat(t.read32(0x20004)).isEqualTo(8);
        assertThat(t.flags() & CF).isZero();
    }

    @Test
    void btr_memory_negativeOffsetAddressesBelow() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x1FFFC, 0x8000_0001).set(EBX, -1)
                .exec(0x0F, 0xB3, 0x1D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read32(0x1FFFC)).isEqualTo(1);
        assertThat(t.flags() & CF).isEqualTo(CF);
    }

    @Test
    void bt16_memory_negativeOffset() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(0x1FFFE, 0x8000).set(EBX, 0xFFFF)
                .exec(0x66, 0x0F, 0xA3, 0x1D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.flags() & CF).isEqualTo(CF);
    }

    @Test
    void btc_immediate() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).flags(CF).exec(0x0F, 0xBA, 0xF8, 0x05);
        assertThat(t.reg(EAX)).isEqualTo(0x20);
        assertThat(t.flags() & CF).isZero();
    }

    @Test
    void bsf_findsLowestSetBit() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, 0x0180).flags(ZF).exec(0x0F, 0xBC, 0xC3);
        assertThat(t.reg(EAX)).isEqualTo(7);
        assertThat(t.flags() & ZF).isZero();
    }

    @Test
    void bsr_findsHighestSetBit() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, 0x8000_0001).exec(0x0F, 0xBD, 0xC3);
        assertThat(t.reg(EAX)).isEqualTo(31);
    }

    @Test
    void bsf_zeroSource_setsZfKeepsDestination() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1234).set(EBX, 0).exec(0x0F, 0xBC, 0xC3);
        assertThat(t.reg(EAX)).isEqualTo(0x1234);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
    }

    @Test
    void setcc_memoryDestination() {
        CpuTestSupport t = CpuTestSupport.flat32().flags(CF).exec(0x0F, 0x92, 0x05, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read8(0x20000)).isEqualTo(1);
    }
}
