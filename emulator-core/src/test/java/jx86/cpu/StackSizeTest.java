package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.ESP;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The stack-size attribute (SS.B) of implicit stack operations when the code size and the stack
 * size differ (SDM Vol. 1 6.2.3, Vol. 3A 3.4.5): a 16-bit stack moves only SP (ESP's upper word is
 * kept) whatever the operand size, and POP SS moves the stack pointer by the old stack's rules.
 */
class StackSizeTest {
    /** Selector of a 16-bit (B = 0) data segment, base 0, limit 0xFFFF, in the system GDT. */
    private static final int DATA16 = 0x30;

    /** 32-bit code on a 16-bit stack (SS base 0, limit 0xFFFF, B = 0). */
    private static CpuTestSupport flat32Stack16(int esp) {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0xFFFF, 0x0093);
        t.cpu.regs[ESP] = esp;
        return t;
    }

    private static SystemTestSupport system() {
        SystemTestSupport t = new SystemTestSupport().protectedMode();
        t.setGdt(6, SystemTestSupport.seg(0, 0xFFFF, 0x0093));
        t.cpu.eip = 0x5000;
        return t;
    }

    private static void run(SystemTestSupport t, int... code) {
        for (int i = 0; i < code.length; i++) {
            t.mem.poke8(0x5000 + i, code[i]);
        }
        t.mem.poke8(0x5000 + code.length, 0xF4);
        assertThat(t.cpu.run(20)).isEqualTo(StopReason.HALTED_FOREVER);
    }

    @Test
    void popSs_from16BitStackTo32BitSegment_wrapsSp() {
        SystemTestSupport t = system();
        t.cpu.setSegmentCache(Cpu.SS, DATA16, 0, 0xFFFF, 0x0093);
        t.cpu.regs[ESP] = 0x2_FFFC;
        t.mem.write32(0xFFFC, SystemTestSupport.DATA0);
        run(t, 0x17); // pop ss (32-bit operand)
        assertThat(t.cpu.segSel[Cpu.SS]).isEqualTo(SystemTestSupport.DATA0);
        assertThat(t.cpu.regs[ESP]).as("SP wraps 0xFFFC -> 0x0000 on the old 16-bit stack").isEqualTo(0x2_0000);
    }

    @Test
    void popSs_16BitOperand_from16BitStackTo32BitSegment_wrapsSp() {
        SystemTestSupport t = system();
        t.cpu.setSegmentCache(Cpu.SS, DATA16, 0, 0xFFFF, 0x0093);
        t.cpu.regs[ESP] = 0x2_FFFE;
        t.mem.write16(0xFFFE, SystemTestSupport.DATA0);
        run(t, 0x66, 0x17); // pop ss (16-bit operand)
        assertThat(t.cpu.regs[ESP]).isEqualTo(0x2_0000);
    }

    @Test
    void popSs_from32BitStackTo16BitSegment_incrementsEsp() {
        SystemTestSupport t = system();
        t.cpu.regs[ESP] = 0x1_FFFC;
        t.mem.write32(0x1_FFFC, DATA16);
        run(t, 0x17);
        assertThat(t.cpu.segSel[Cpu.SS]).isEqualTo(DATA16);
        assertThat(t.cpu.regs[ESP]).as("the old stack is 32-bit: ESP carries into the upper word").isEqualTo(0x2_0000);
    }

    @Test
    void popSs_faultingLoad_leavesEspUnchanged() {
        SystemTestSupport t = system();
        t.cpu.regs[ESP] = 0x1_FFFC;
        t.mem.write32(0x1_FFFC, 0); // null selector into SS: #GP(0)
        SystemTestSupport.assertFault(() -> Exec.execute(prepared(t, 0x17)), Vectors.GP, 0);
        assertThat(t.cpu.regs[ESP]).isEqualTo(0x1_FFFC);
    }

    private static Cpu prepared(SystemTestSupport t, int... code) {
        for (int i = 0; i < code.length; i++) {
            t.mem.poke8(0x5000 + i, code[i]);
        }
        return t.cpu;
    }

    @Test
    void enter32_on16BitStack_keepsEspUpperWordInEbp() {
        CpuTestSupport t = flat32Stack16(0x1_0000).set(EBP, 0x5555).exec(0xC8, 0x08, 0x00, 0x00);
        assertThat(t.read32(0xFFFC)).isEqualTo(0x5555);
        assertThat(t.reg(EBP)).as("EBP = FrameTemp = ESP after the push").isEqualTo(0x1_FFFC);
        assertThat(t.reg(ESP)).isEqualTo(0x1_FFF4);
    }

    @Test
    void enter32_on16BitStack_nested_storesFrameTempAndCopiesThroughBp() {
        CpuTestSupport t = flat32Stack16(0x1_0000).set(EBP, 0x7_8800).poke32(0x87FC, 0xAAAA);
        t.exec(0xC8, 0x04, 0x00, 0x02);
        assertThat(t.read32(0xFFFC)).isEqualTo(0x7_8800);
        assertThat(t.read32(0xFFF8)).as("copied from SS:BP-4").isEqualTo(0xAAAA);
        assertThat(t.read32(0xFFF4)).isEqualTo(0x1_FFFC);
        assertThat(t.reg(EBP)).isEqualTo(0x1_FFFC);
        assertThat(t.reg(ESP)).isEqualTo(0x1_FFF0);
    }

    @Test
    void enter16_on32BitStack_setsBpOnly() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBP, 0xABCD_5555).exec(0x66, 0xC8, 0x08, 0x00, 0x00);
        assertThat(t.read16(0x8FFE)).isEqualTo(0x5555);
        assertThat(t.reg(EBP)).isEqualTo(0xABCD_8FFE);
        assertThat(t.reg(ESP)).isEqualTo(0x8FF6);
    }

    @Test
    void enter_finalStackPointerOutsideExpandDownStack_isSsFault_beforeAnyWrite() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBP, 0x1111).poke32(0x8FFC, 0xDEAD);
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0x7FFF, 0xC097); // expand-down: valid 0x8000..
        CpuFault f = t.fault(0xC8, 0x00, 0x10, 0x00); // enter 0x1000, 0: final ESP 0x7FFC
        assertThat(f.vector).isEqualTo(Vectors.SS);
        assertThat(f.errorCode).isZero();
        assertThat(t.reg(EBP)).isEqualTo(0x1111);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
        assertThat(t.read32(0x8FFC)).as("EBP not pushed").isEqualTo(0xDEAD);
    }

    @Test
    void enter_ring3FrameReachingSupervisorPage_isPageFault_withNothingChanged() {
        CpuTestSupport t = CpuTestSupport.flat32();
        int dir = 0x10_0000;
        int table = 0x10_1000;
        for (int i = 0; i < 1024; i++) {
            t.poke32(dir + 4 * i, 0);
            t.poke32(table + 4 * i, i < 256 ? (i << 12) | 7 : 0);
        }
        t.poke32(dir, table | 7);
        t.poke32(table + 4 * 8, 0x8000 | 3); // page 0x8000: supervisor
        t.cpu.setCr0(t.cpu.cr0 | 0x8000_0000);
        t.mmu.setCr3(dir);
        t.mmu.setCr0(t.cpu.cr0);
        t.cpu.setSegmentCache(Cpu.CS, 0x1B, 0, 0xFFFF_FFFF, 0xC0FB);
        t.cpu.setSegmentCache(Cpu.SS, 0x23, 0, 0xFFFF_FFFF, 0xC0F3);
        t.cpu.setCpl(3);
        t.set(ESP, 0x9010).set(EBP, 0x4444).poke32(0x900C, 0xBEEF);
        CpuFault f = t.fault(0xC8, 0x20, 0x00, 0x00); // enter 0x20, 0: push at 0x900C, final ESP 0x8FEC
        assertThat(f.vector).isEqualTo(Vectors.PF);
        assertThat(f.errorCode).as("user, write, protection").isEqualTo(7);
        assertThat(t.reg(EBP)).isEqualTo(0x4444);
        assertThat(t.reg(ESP)).isEqualTo(0x9010);
        assertThat(t.read32(0x900C)).as("nothing written").isEqualTo(0xBEEF);
    }

    @Test
    void leave32_on16BitStack_usesBpAndKeepsEspUpperWord() {
        CpuTestSupport t = flat32Stack16(0x3_1234).set(EBP, 0x7_FFFC).poke32(0xFFFC, 0x9ABC_5678);
        t.exec(0xC9); // leave: SP = BP = 0xFFFC; pop EBP; SP wraps to 0x0000
        assertThat(t.reg(ESP)).isEqualTo(0x3_0000);
        assertThat(t.reg(EBP)).isEqualTo(0x9ABC_5678);
    }

    @Test
    void push32AndPop32_on16BitStack_wrapSp() {
        CpuTestSupport t = flat32Stack16(0x3_0000).set(EAX, 0x1122_3344);
        t.exec(0x50, 0x8B, 0xD4, 0x59); // push eax; mov edx, esp; pop ecx
        assertThat(t.read32(0xFFFC)).isEqualTo(0x1122_3344);
        assertThat(t.reg(Cpu.EDX)).as("ESP after the push").isEqualTo(0x3_FFFC);
        assertThat(t.reg(ECX)).isEqualTo(0x1122_3344);
        assertThat(t.reg(ESP)).isEqualTo(0x3_0000);
    }

    @Test
    void push32_straddlingThe16BitStackLimit_isStackFault() {
        CpuTestSupport t = flat32Stack16(0x3_0002);
        CpuFault f = t.fault(0x50); // push eax at SP 0xFFFE: bytes 0xFFFE..0x10001
        assertThat(f.vector).isEqualTo(Vectors.SS);
        assertThat(t.reg(ESP)).isEqualTo(0x3_0002);
    }

    @Test
    void pushadPopad_on16BitStack_wrapSp() {
        CpuTestSupport t = flat32Stack16(0x3_0010).set(EAX, 0xA).set(ECX, 0xC);
        t.exec(0x60, 0x31, 0xC0, 0x31, 0xC9, 0x61); // pushad; xor eax,eax; xor ecx,ecx; popad
        assertThat(t.read32(0x0C)).as("EAX, the first slot, at SP 0x0010-4").isEqualTo(0xA);
        assertThat(t.read32(0xFFFC)).as("the original ESP, fifth slot, wrapped to 0xFFFC").isEqualTo(0x3_0010);
        assertThat(t.reg(EAX)).isEqualTo(0xA);
        assertThat(t.reg(ECX)).isEqualTo(0xC);
        assertThat(t.reg(ESP)).isEqualTo(0x3_0010);
    }

    @Test
    void pushfdPopfd_callRet_on16BitStack_wrapSp() {
        CpuTestSupport t = flat32Stack16(0x3_0000);
        // pushfd; popfd; call +1 (to the ret); hlt; ret
        t.code(0x9C, 0x9D, 0xE8, 0x01, 0x00, 0x00, 0x00, 0xF4, 0xC3);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.read32(0xFFFC)).as("return address written at SP 0xFFFC").isEqualTo(CpuTestSupport.CODE + 7);
        assertThat(t.reg(ESP)).isEqualTo(0x3_0000);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 8);
    }

    @Test
    void intAndIret_on16BitStack_wrapSp() {
        CpuTestSupport t = flat32Stack16(0x3_0004).handler(0x30, 0x3000);
        t.poke8(0x3000, 0xCF); // the handler is an IRET
        t.code(0xCD, 0x30, 0xF4);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.read32(0xFFF8)).as("saved EIP at SP 0x0004-12 wrapped").isEqualTo(CpuTestSupport.CODE + 2);
        assertThat(t.reg(ESP)).isEqualTo(0x3_0004);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 3);
    }

    /** Push/pop/call/ret/leave have fast forms in the decode cache: both engines must agree. */
    @Test
    void implicitStackOps_on16BitStack_sameWithAndWithoutDecodeCache() {
        int[] code = {
            0x50, 0x53, 0x60, 0x9C, // push eax; push ebx; pushad; pushfd
            0xE8, 0x06, 0x00, 0x00, 0x00, // call +6
            0x9D, 0x61, 0x5B, 0x58, 0xEB, 0x08, // popfd; popad; pop ebx; pop eax; jmp +8
            0x55, 0x8B, 0xEC, 0x6A, 0x07, 0xC9, 0xC3, 0x90, // push ebp; mov ebp, esp; push 7; leave; ret; nop
            0x66, 0x50, 0x66, 0x58, // push ax; pop ax
        };
        CpuTestSupport cached = flat32Stack16(0x5_0008).set(EAX, 0xA0A0_A0A0).set(EBX, 0xB0B0_B0B0).set(EBP, 0x9_1234);
        CpuTestSupport plain = flat32Stack16(0x5_0008).set(EAX, 0xA0A0_A0A0).set(EBX, 0xB0B0_B0B0).set(EBP, 0x9_1234);
        plain.cpu.setDecodeCache(false);
        cached.exec(code);
        plain.exec(code);
        for (int r = 0; r < 8; r++) {
            assertThat(cached.reg(r)).as("register %d", r).isEqualTo(plain.reg(r));
        }
        assertThat(cached.reg(ESP)).isEqualTo(0x5_0008);
        assertThat(cached.reg(EAX)).isEqualTo(0xA0A0_A0A0);
        assertThat(cached.cpu.eip).isEqualTo(plain.cpu.eip);
        for (int a = 0xFFC0; a < 0x1_0000; a += 4) {
            assertThat(cached.read32(a)).as("stack at 0x%x", a).isEqualTo(plain.read32(a));
        }
        assertThat(cached.read32(0)).as("EBX pushed at SP 0x0000").isEqualTo(0xB0B0_B0B0);
        assertThat(cached.read32(4)).as("EAX pushed at SP 0x0004").isEqualTo(0xA0A0_A0A0);
        assertThat(plain.read32(0)).isEqualTo(0xB0B0_B0B0);
        assertThat(cached.read32(0xFFD8)).as("return address of the call").isEqualTo(CpuTestSupport.CODE + 9);
    }
}
