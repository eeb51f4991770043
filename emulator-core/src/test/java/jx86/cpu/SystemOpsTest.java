package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.EDX;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class SystemOpsTest {
    @Test
    void cpuid_leaf0_vendor() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).exec(0x0F, 0xA2);
        byte[] v = new byte[12];
        int[] regs = {t.reg(EBX), t.reg(EDX), t.reg(ECX)};
        for (int i = 0; i < 12; i++) {
            v[i] = (byte) (regs[i / 4] >>> (8 * (i % 4)));
        }
        assertThat(new String(v, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GenuineIntel");
        assertThat(t.reg(EAX)).isEqualTo(1);
    }

    @Test
    void cpuid_leaf1_signatureAndFeatures() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1).exec(0x0F, 0xA2);
        assertThat(t.reg(EAX)).isEqualTo(0x663);
        int edx = t.reg(EDX);
        assertThat(edx & 1).as("FPU").isOne();
        assertThat(edx & (1 << 4)).as("TSC").isNotZero();
        assertThat(edx & (1 << 8)).as("CX8").isNotZero();
        assertThat(edx & (1 << 15)).as("CMOV").isNotZero();
        assertThat(edx & (1 << 6)).as("PAE").isZero();
    }

    @Test
    void rdtsc_readsVirtualCycles() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x90, 0x90, 0x0F, 0x31);
        assertThat(t.reg(EAX)).isEqualTo(2);
        assertThat(t.reg(EDX)).isZero();
    }

    @Test
    void rdtsc_timeStampDisableAtCpl3_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCr4(t.cpu.cr4 | Cpu.CR4_TSD);
        t.cpu.setCpl(3);
        assertThat(t.fault(0x0F, 0x31).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void lgdtSgdt_roundTrip() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(0x20000, 0x27).poke32(0x20002, 0x1234_5678);
        t.exec(0x0F, 0x01, 0x15, 0x00, 0x00, 0x02, 0x00, 0x0F, 0x01, 0x05, 0x10, 0x00, 0x02, 0x00);
        assertThat(t.cpu.gdtrLimit).isEqualTo(0x27);
        assertThat(t.cpu.gdtrBase).isEqualTo(0x1234_5678);
        assertThat(t.read16(0x20010)).isEqualTo(0x27);
        assertThat(t.read32(0x20012)).isEqualTo(0x1234_5678);
    }

    @Test
    void lidt16_masksBaseTo24Bits() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(0x20000, 0x3FF).poke32(0x20002, 0x1234_5678);
        t.exec(0x66, 0x0F, 0x01, 0x1D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.cpu.idtrLimit).isEqualTo(0x3FF);
        assertThat(t.cpu.idtrBase).isEqualTo(0x0034_5678);
    }

    @Test
    void lgdt_atCpl3_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCpl(3);
        assertThat(t.fault(0x0F, 0x01, 0x15, 0x00, 0x00, 0x02, 0x00).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void smsw_register32_readsCr0() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x0F, 0x01, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(t.cpu.cr0);
    }

    @Test
    void sldt_realMode_isUndefinedOpcode() {
        assertThat(CpuTestSupport.real().fault(0x0F, 0x00, 0xC0).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void str_protectedMode_readsTaskRegister() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.trSel = 0x28;
        t.exec(0x0F, 0x00, 0xC8);
        assertThat(t.reg(EAX)).isEqualTo(0x28);
    }

    @Test
    void invlpg_atCpl3_isGeneralProtection_registerForm_isUndefined() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCpl(3);
        assertThat(t.fault(0x0F, 0x01, 0x38).vector).isEqualTo(Vectors.GP);
        assertThat(CpuTestSupport.flat32().fault(0x0F, 0x01, 0xF8).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void movCr1_isUndefinedOpcode() {
        assertThat(CpuTestSupport.flat32().fault(0x0F, 0x20, 0xC8).vector).isEqualTo(Vectors.UD);
    }
}
