package jx86.cpu;

import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.EAX;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class ExecTest {
    @Test
    void operandSizePrefix_in32BitCode_writesWord() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0xAAAA_AAAA).exec(0x66, 0xB8, 0x34, 0x12);
        assertThat(t.reg(EAX)).isEqualTo(0xAAAA_1234);
    }

    @Test
    void realMode_defaultOperandSizeIs16() {
        CpuTestSupport t = CpuTestSupport.real().set(EAX, 0xAAAA_AAAA).exec(0xB8, 0x34, 0x12);
        assertThat(t.reg(EAX)).isEqualTo(0xAAAA_1234);
    }

    @Test
    void lock_registerDestination_isUndefinedOpcode() {
        assertThat(CpuTestSupport.flat32().fault(0xF0, 0x01, 0xC0).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void lock_memoryAdd_isAllowed() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 5).exec(0xF0, 0x01, 0x05, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read32(0x20000)).isEqualTo(5);
    }

    @Test
    void lock_onMovOrCmp_isUndefinedOpcode() {
        assertThat(CpuTestSupport.flat32().fault(0xF0, 0x89, 0x05, 0, 0, 2, 0).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0xF0, 0x39, 0x05, 0, 0, 2, 0).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void fifteenByteInstruction_isAllowed_sixteenIsGeneralProtection() {
        int[] ok = new int[15];
        java.util.Arrays.fill(ok, 0x3E);
        ok[14] = 0x90;
        CpuTestSupport t = CpuTestSupport.flat32().exec(ok);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 16);
        int[] bad = new int[16];
        java.util.Arrays.fill(bad, 0x3E);
        bad[15] = 0x90;
        assertThat(CpuTestSupport.flat32().fault(bad).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void undefinedOpcodes() {
        assertThat(CpuTestSupport.flat32().fault(0x0F, 0x0B).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0x0F, 0x04).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0xFF, 0xFF).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0xC6, 0xF8, 0x00).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0x0F, 0x10, 0xC0).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void fetchBeyondCsLimit_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, CpuTestSupport.CODE, 0xC09B);
        assertThat(t.fault(0x05, 0x01, 0x00, 0x00, 0x00).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void salc_setsAlFromCarry() {
        CpuTestSupport t = CpuTestSupport.flat32().flags(CF).exec(0xD6);
        assertThat(t.reg(EAX)).isEqualTo(0xFF);
    }

    @Test
    void group1_alias82() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1FF).exec(0x82, 0xC0, 0x01);
        assertThat(t.reg(EAX)).isEqualTo(0x100);
    }

    @Test
    void multiByteNop() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x0F, 0x1F, 0x44, 0x00, 0x00);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 6);
    }

    @Test
    void firmwareHook_realModeInF000_callsBios() {
        CpuTestSupport t = CpuTestSupport.real();
        List<Integer> calls = new ArrayList<>();
        t.cpu.setFirmware((cpu, vector) -> calls.add(vector));
        t.cpu.setSegmentCache(Cpu.CS, 0xF000, 0xF0000, 0xFFFF, 0x9B);
        t.cpu.eip = 0x100;
        t.exec(0x0F, 0xFF, 0x42);
        assertThat(calls).containsExactly(0x42);
    }

    @Test
    void firmwareHook_outsideF000_isUndefinedOpcode() {
        CpuTestSupport t = CpuTestSupport.real();
        t.cpu.setFirmware((cpu, vector) -> { });
        assertThat(t.fault(0x0F, 0xFF, 0x42).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void protectedMode16BitCode_defaultsTo16BitOperandsAndAddresses() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x0300, 0x1111_2222).set(EAX, 0xAAAA_AAAA)
                .set(Cpu.EBX, 0xFFFF_0300);
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF, 0x009B);
        t.exec(0x8B, 0x07, 0x66, 0xB9, 0x78, 0x56, 0x34, 0x12); // mov ax, [bx]; mov ecx, 0x12345678
        assertThat(t.reg(EAX)).isEqualTo(0xAAAA_2222);
        assertThat(t.reg(Cpu.ECX)).isEqualTo(0x1234_5678);
    }

    @Test
    void lock_twoByteOpcodes() {
        CpuTestSupport t = CpuTestSupport.flat32().set(Cpu.EBX, 3).exec(0xF0, 0x0F, 0xAB, 0x1D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read32(0x20000)).isEqualTo(8);
        assertThat(CpuTestSupport.flat32().fault(0xF0, 0x0F, 0xA3, 0x1D, 0, 0, 2, 0).vector).isEqualTo(Vectors.UD);
    }
}
