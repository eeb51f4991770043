package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.EDI;
import static jx86.cpu.Cpu.EDX;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ESP;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataTransferTest {
    @Test
    void pushPop_register() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0xCAFE_BABE);
        t.exec(0x50, 0x5B); // push eax; pop ebx
        assertThat(t.reg(EBX)).isEqualTo(0xCAFE_BABE);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 4)).isEqualTo(0xCAFE_BABE);
    }

    @Test
    void pushEsp_pushesValueBeforeDecrement() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x54);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 4)).isEqualTo(CpuTestSupport.STACK_TOP);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP - 4);
    }

    @Test
    void popEsp_loadsPoppedValue() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(CpuTestSupport.STACK_TOP, 0x1234);
        t.exec(0x5C);
        assertThat(t.reg(ESP)).isEqualTo(0x1234);
    }

    @Test
    void popMemoryEspBased_usesIncrementedEsp() {
        CpuTestSupport t = CpuTestSupport.flat32().set(ESP, 0x8FF8);
        t.poke32(0x8FF8, 0x1111_1111).poke32(0x8FFC, 0x2222_2222);
        t.exec(0x8F, 0x04, 0x24); // pop dword [esp]
        assertThat(t.reg(ESP)).isEqualTo(0x8FFC);
        assertThat(t.read32(0x8FFC)).isEqualTo(0x1111_1111);
    }

    @Test
    void pushImm8_signExtends() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x6A, 0xFE);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 4)).isEqualTo(-2);
    }

    @Test
    void pushaPopa_roundTripSkipsEsp() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int r = 0; r < 8; r++) {
            if (r != ESP) {
                t.set(r, 0x100 + r);
            }
        }
        // pusha; mov dword [esp+12], 0x777 (saved ESP slot); xor eax,eax; popa
        t.exec(0x60, 0xC7, 0x44, 0x24, 0x0C, 0x77, 0x07, 0x00, 0x00, 0x31, 0xC0, 0x61);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 4)).isEqualTo(0x100);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 16)).isEqualTo(0x103); // EBX above the ESP slot
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 32)).isEqualTo(0x107);
        assertThat(t.reg(EAX)).isEqualTo(0x100);
        assertThat(t.reg(EDI)).isEqualTo(0x107);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @Test
    void pusha_savesOriginalEsp() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x60);
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 20)).isEqualTo(CpuTestSupport.STACK_TOP);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP - 32);
    }

    @Test
    void xchg_swapsRegisters() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1).set(EBX, 2).exec(0x87, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(2);
        assertThat(t.reg(EBX)).isEqualTo(1);
    }

    @Test
    void xchg8_highByteRegisters() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1122).set(EBX, 0x3344).exec(0x86, 0xFC); // xchg ah, bh
        assertThat(t.reg(EAX)).isEqualTo(0x3322);
        assertThat(t.reg(EBX)).isEqualTo(0x1144);
    }

    @Test
    void cmpxchg_equal_storesSource() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 5).set(ECX, 5).set(EBX, 9).exec(0x0F, 0xB1, 0xD9);
        assertThat(t.reg(ECX)).isEqualTo(9);
        assertThat(t.reg(EAX)).isEqualTo(5);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
    }

    @Test
    void cmpxchg_notEqual_loadsAccumulator() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 5).set(ECX, 7).set(EBX, 9).exec(0x0F, 0xB1, 0xD9);
        assertThat(t.reg(ECX)).isEqualTo(7);
        assertThat(t.reg(EAX)).isEqualTo(7);
        assertThat(t.flags() & ZF).isZero();
    }

    @Test
    void xadd_exchangesAndAdds() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1).set(EBX, 2).exec(0x0F, 0xC1, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(3);
        assertThat(t.reg(EBX)).isEqualTo(1);
    }

    @Test
    void xadd_sameRegister_keepsSum() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 3).exec(0x0F, 0xC1, 0xC0);
        assertThat(t.reg(EAX)).isEqualTo(6);
    }

    @Test
    void cmpxchg8b_equal_storesEcxEbx() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x20000, 1).poke32(0x20004, 2);
        t.set(EAX, 1).set(EDX, 2).set(EBX, 3).set(ECX, 4).exec(0x0F, 0xC7, 0x0D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.read32(0x20000)).isEqualTo(3);
        assertThat(t.read32(0x20004)).isEqualTo(4);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
    }

    @Test
    void cmpxchg8b_notEqual_loadsEdxEax() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x20000, 1).poke32(0x20004, 2);
        t.set(EAX, 0).set(EDX, 2).exec(0x0F, 0xC7, 0x0D, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.reg(EDX)).isEqualTo(2);
        assertThat(t.flags() & ZF).isZero();
    }

    @Test
    void movzxMovsx() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, 0x8081).exec(
                0x0F, 0xB6, 0xC3, // movzx eax, bl
                0x0F, 0xBE, 0xCB, // movsx ecx, bl
                0x0F, 0xBF, 0xD3); // movsx edx, bx
        assertThat(t.reg(EAX)).isEqualTo(0x81);
        assertThat(t.reg(ECX)).isEqualTo(0xFFFF_FF81);
        assertThat(t.reg(EDX)).isEqualTo(0xFFFF_8081);
    }

    @Test
    void lea_sibWithScaleAndDisplacement() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, 0x1000).set(ECX, 3).exec(0x8D, 0x44, 0x8B, 0x08);
        assertThat(t.reg(EAX)).isEqualTo(0x1014);
    }

    @Test
    void lea_registerOperand_isUndefinedOpcode() {
        assertThat(CpuTestSupport.flat32().fault(0x8D, 0xC0).vector).isEqualTo(jx86.arch.Vectors.UD);
    }

    @Test
    void movMoffs_loadAndStore() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x20000, 0xDEAD_BEEF);
        t.exec(0xA1, 0x00, 0x00, 0x02, 0x00, 0xA2, 0x10, 0x00, 0x02, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0xDEAD_BEEF);
        assertThat(t.read8(0x20010)).isEqualTo(0xEF);
    }

    @Test
    void signExtensions() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x0000_8000).exec(0x98, 0x99); // cwde; cdq
        assertThat(t.reg(EAX)).isEqualTo(0xFFFF_8000);
        assertThat(t.reg(EDX)).isEqualTo(-1);
        CpuTestSupport u = CpuTestSupport.flat32().set(EAX, 0x1234_0080).set(EDX, 0x5555_5555)
                .exec(0x66, 0x98, 0x66, 0x99); // cbw; cwd
        assertThat(u.reg(EAX)).isEqualTo(0x1234_FF80);
        assertThat(u.reg(EDX)).isEqualTo(0x5555_FFFF);
    }

    @Test
    void bswap() {
        CpuTestSupport t = CpuTestSupport.flat32().set(ESI, 0x1122_3344).exec(0x0F, 0xCE);
        assertThat(t.reg(ESI)).isEqualTo(0x4433_2211);
    }

    @Test
    void movToSegmentRegister_realMode_setsBase() {
        CpuTestSupport t = CpuTestSupport.real().set(EAX, 0x1234).exec(0x8E, 0xC0); // mov es, ax
        assertThat(t.cpu.segSel[Cpu.ES]).isEqualTo(0x1234);
        assertThat(t.cpu.segBase[Cpu.ES]).isEqualTo(0x12340);
    }

    @Test
    void movToCs_isUndefinedOpcode() {
        assertThat(CpuTestSupport.real().fault(0x8E, 0xC8).vector).isEqualTo(jx86.arch.Vectors.UD);
    }

    @Test
    void movFromSegment_toRegister32_zeroExtends() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, -1).exec(0x8C, 0xD8); // mov eax, ds
        assertThat(t.reg(EAX)).isEqualTo(0x10);
    }

    @Test
    void lds_realMode_loadsPointer() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x100, 0xABCD).poke16(0x102, 0x2000);
        t.exec(0xC5, 0x1E, 0x00, 0x01); // lds bx, [0x100]
        assertThat(t.reg(EBX)).isEqualTo(0xABCD);
        assertThat(t.cpu.segSel[Cpu.DS]).isEqualTo(0x2000);
        assertThat(t.cpu.segBase[Cpu.DS]).isEqualTo(0x20000);
    }

    @Test
    void pushPopSegment_realMode() {
        CpuTestSupport t = CpuTestSupport.real();
        t.cpu.setSegmentCache(Cpu.DS, 0x4321, 0x43210, 0xFFFF, 0x93);
        t.exec(0x1E, 0x07); // push ds; pop es
        assertThat(t.cpu.segSel[Cpu.ES]).isEqualTo(0x4321);
        assertThat(t.reg(ESP) & 0xFFFF).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @Test
    void cmov_conditionFalse_keepsDestination() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1).set(EBX, 2).flags(0).exec(0x0F, 0x44, 0xC3);
        assertThat(t.reg(EAX)).isEqualTo(1);
        CpuTestSupport u = CpuTestSupport.flat32().set(EAX, 1).set(EBX, 2).flags(ZF).exec(0x0F, 0x44, 0xC3);
        assertThat(u.reg(EAX)).isEqualTo(2);
    }

    @Test
    void xlat_usesUnsignedAl() {
        CpuTestSupport t = CpuTestSupport.flat32().poke8(0x20000 + 0xF0, 0x5A).set(EBX, 0x20000).set(EAX, 0xF0)
                .exec(0xD7);
        assertThat(t.reg(EAX)).isEqualTo(0x5A);
    }

    @Test
    void movEbpFrame_leaveRestores() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBP, 0x4444).exec(0x55, 0x89, 0xE5, 0x83, 0xEC, 0x10, 0xC9);
        assertThat(t.reg(EBP)).isEqualTo(0x4444);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @Test
    void push_sixteenBitStackSegment_wrapsSp() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0xABCD_1234).set(ESP, 0x5555_0000);
        t.cpu.setSegmentCache(Cpu.SS, 0x18, 0x10000, 0xFFFF, 0x0093); // B = 0
        t.exec(0x66, 0x50); // push ax
        assertThat(t.reg(ESP)).isEqualTo(0x5555_FFFE);
        assertThat(t.read16(0x1FFFE)).isEqualTo(0x1234);
    }
}
