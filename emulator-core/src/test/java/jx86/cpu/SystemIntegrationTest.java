package jx86.cpu;

import static jx86.cpu.SystemTestSupport.gate;
import static jx86.cpu.SystemTestSupport.seg;
import static jx86.cpu.SystemTestSupport.system;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

/**
 * End-to-end protected-mode scenarios through the decoder and run loop: hand-assembled guest code
 * at 0x11000.. (the tables of {@link SystemTestSupport} live below 0x10000).
 */
class SystemIntegrationTest {
    private final SystemTestSupport t = new SystemTestSupport().protectedMode();
    private final Cpu cpu = t.cpu;

    private void code(int at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            t.mem.poke8(at + i, bytes[i]);
        }
    }

    private StopReason runFrom(int eip) {
        cpu.eip = eip;
        cpu.setEflags(2);
        return cpu.run(1000);
    }

    /** #GP handler at 0x13100: ECX = error code, EDX = EIP, ESI = CS, EDI = [ESP+20]; HLT with IF=0. */
    private void gpHandler() {
        t.setIdt(Vectors.GP, gate(Descriptor.INTERRUPT_GATE32, 0, SystemTestSupport.CODE0, 0x13100, 0));
        code(0x13100, 0x8B, 0x0C, 0x24, 0x8B, 0x54, 0x24, 0x04, 0x8B, 0x74, 0x24, 0x08, 0x8B, 0x7C, 0x24, 0x14, 0xF4);
    }

    /** Ring-0 code at 0x11000 that IRETs to ring 3 at 0x12000 with ESP 0x7000 and IF set. */
    private void iretToRing3() {
        code(0x11000, 0x6A, 0x23, 0x68, 0x00, 0x70, 0, 0, 0x68, 0x02, 0x02, 0, 0, 0x6A, 0x1B,
                0x68, 0x00, 0x20, 0x01, 0, 0xCF);
    }

    @Test
    void ring3_softwareInterrupts_callGate_thenHltFaults() {
        t.setIdt(0x80, gate(Descriptor.TRAP_GATE32, 3, SystemTestSupport.CODE0, 0x13000, 0));
        t.setGdt(8, gate(Descriptor.CALL_GATE32, 3, SystemTestSupport.CODE0, 0x13200, 1));
        gpHandler();
        iretToRing3();
        code(0x12000,
                0xB8, 5, 0, 0, 0, // mov eax,5
                0xCD, 0x80, 0xCD, 0x80, // int 0x80 (twice)
                0x68, 0x99, 0, 0, 0, // push 0x99
                0x9A, 0, 0, 0, 0, 0x43, 0, // call far 0x43:0
                0x89, 0xC3, // mov ebx,eax
                0xF4); // hlt: #GP(0) at CPL 3
        code(0x13000, 0x40, 0xCF); // inc eax; iret
        code(0x13200, 0x8B, 0x74, 0x24, 0x08, 0x01, 0xF0, 0xCA, 0x04, 0x00); // mov esi,[esp+8]; add eax,esi; retf 4

        assertThat(runFrom(0x11000)).isEqualTo(StopReason.HALTED_FOREVER);

        assertThat(cpu.regs[Cpu.EBX]).isEqualTo(7 + 0x99);
        assertThat(cpu.regs[Cpu.ECX]).isZero();
        assertThat(cpu.regs[Cpu.EDX]).isEqualTo(0x12000 + 5 + 4 + 5 + 7 + 2);
        assertThat(cpu.regs[Cpu.ESI]).isEqualTo(0x1B);
        assertThat(cpu.regs[Cpu.EDI]).as("user SS").isEqualTo(0x23);
        assertThat(cpu.cpl()).isZero();
        assertThat(t.read32(0x8000 - 8)).as("user ESP in the #GP frame").isEqualTo(0x7000);
    }

    @Test
    void v86Task_intWithIopl0_exitsToMonitorWithV86Frame() {
        gpHandler();
        code(0x11000,
                0x6A, 0x00, 0x6A, 0x00, 0x6A, 0x00, 0x6A, 0x00, // GS FS DS ES = 0
                0x68, 0x00, 0x20, 0, 0, // SS 0x2000
                0x68, 0xFE, 0xFF, 0, 0, // ESP 0xFFFE
                0x68, 0x02, 0x00, 0x02, 0x00, // EFLAGS VM|2
                0x68, 0x00, 0x14, 0, 0, // CS 0x1400
                0x6A, 0x00, // EIP 0
                0xCF); // iretd
        code(0x14000, 0xB8, 0x34, 0x12, 0xCD, 0x21); // mov ax,0x1234; int 0x21

        assertThat(runFrom(0x11000)).isEqualTo(StopReason.HALTED_FOREVER);

        assertThat(cpu.v86Mode()).isFalse();
        assertThat(cpu.regs[Cpu.EAX] & 0xFFFF).isEqualTo(0x1234);
        assertThat(cpu.regs[Cpu.ECX]).isZero();
        assertThat(cpu.regs[Cpu.EDX]).as("faulting IP").isEqualTo(3);
        assertThat(cpu.regs[Cpu.ESI]).isEqualTo(0x1400);
        assertThat(cpu.regs[Cpu.EDI]).as("V86 SS").isEqualTo(0x2000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 40);
        assertThat(cpu.segSel[Cpu.DS]).isZero();
    }

    @Test
    void doubleFault_runsInItsOwnTask() {
        int dfTss = 0x5000;
        t.setGdt(6, system(dfTss, 0x67, Descriptor.TSS32_AVAILABLE, 0));
        t.mem.write32(dfTss + 0x20, 0x15000);
        t.mem.write32(dfTss + 0x24, 2);
        t.mem.write32(dfTss + 0x28 + 4 * Cpu.ESP, 0x6F00);
        t.mem.write16(dfTss + 0x4C, SystemTestSupport.CODE0);
        t.mem.write16(dfTss + 0x50, SystemTestSupport.DATA0);
        t.mem.write16(dfTss + 0x54, SystemTestSupport.DATA0);
        t.setIdt(Vectors.DF, gate(Descriptor.TASK_GATE, 0, 0x30, 0, 0));
        // #GP handler gate not present: the #GP becomes #NP, then #DF.
        long g = gate(Descriptor.INTERRUPT_GATE32, 0, SystemTestSupport.CODE0, 0x13100, 0);
        t.setIdt(Vectors.GP, Descriptor.of(Descriptor.low(g), Descriptor.high(g) & ~0x8000));
        code(0x11000, 0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD8); // mov ax,0x30; mov ds,ax (TSS -> #GP)
        code(0x15000, 0x8B, 0x04, 0x24, 0x0F, 0x20, 0xC3, 0xF4); // mov eax,[esp]; mov ebx,cr0; hlt

        assertThat(runFrom(0x11000)).isEqualTo(StopReason.HALTED_FOREVER);

        assertThat(cpu.trSel).isEqualTo(0x30);
        assertThat(cpu.regs[Cpu.EAX]).as("#DF error code").isZero();
        assertThat(cpu.regs[Cpu.EBX] & Cpu.CR0_TS).isNotZero();
        assertThat(t.read32(SystemTestSupport.TSS + 0x20)).as("faulting EIP saved").isEqualTo(0x11004);
        assertThat(t.mem.read16(dfTss)).as("back link").isEqualTo(SystemTestSupport.TSS_SEL);
    }

    @Test
    void sysenterSysexit_roundTripFromRing3() {
        gpHandler();
        code(0x11000,
                0xB9, 0x74, 0x01, 0, 0, 0xB8, 0x08, 0, 0, 0, 0x31, 0xD2, 0x0F, 0x30, // SYSENTER_CS = 8
                0x41, 0xB8, 0x00, 0x88, 0, 0, 0x0F, 0x30, // SYSENTER_ESP = 0x8800
                0x41, 0xB8, 0x00, 0x60, 0x01, 0, 0x0F, 0x30, // SYSENTER_EIP = 0x16000
                0x6A, 0x23, 0x68, 0x00, 0x70, 0, 0, 0x68, 0x02, 0x02, 0, 0, 0x6A, 0x1B,
                0x68, 0x00, 0x20, 0x01, 0, 0xCF);
        code(0x12000, 0x0F, 0x34); // sysenter
        code(0x16000, 0x89, 0xE3, // mov ebx,esp
                0xB9, 0x00, 0x71, 0, 0, // mov ecx,0x7100
                0xBA, 0x00, 0x21, 0x01, 0, // mov edx,0x12100
                0x0F, 0x35); // sysexit
        code(0x12100, 0x89, 0xE5, 0xF4); // mov ebp,esp; hlt -> #GP

        assertThat(runFrom(0x11000)).isEqualTo(StopReason.HALTED_FOREVER);

        assertThat(cpu.regs[Cpu.EBX]).as("ring-0 ESP from SYSENTER_ESP").isEqualTo(0x8800);
        assertThat(cpu.regs[Cpu.EBP]).as("ring-3 ESP from ECX").isEqualTo(0x7100);
        assertThat(cpu.regs[Cpu.EDX]).as("#GP at the ring-3 HLT").isEqualTo(0x12102);
        assertThat(cpu.regs[Cpu.ESI]).isEqualTo(0x1B);
    }

    @Test
    void realModeBoot_lgdtMovCr0FarJump_entersProtectedMode() {
        cpu.reset();
        t.setGdt(1, seg(0, 0xFFFFF, SystemTestSupport.AR_CODE0));
        t.setGdt(2, seg(0, 0xFFFFF, SystemTestSupport.AR_DATA0));
        t.mem.write16(0x7D00, 0xFF);
        t.mem.write32(0x7D02, SystemTestSupport.GDT);
        t.mem.write32(0x7D10, 0xCAFEBABE);
        // cli; lgdt [0x7D00]; mov eax,cr0; or al,1; mov cr0,eax; jmp 0x08:0x7C20
        code(0x7C00, 0xFA, 0x0F, 0x01, 0x16, 0x00, 0x7D, 0x0F, 0x20, 0xC0, 0x0C, 0x01, 0x0F, 0x22, 0xC0,
                0xEA, 0x20, 0x7C, 0x08, 0x00);
        // 32-bit: mov ax,0x10; mov ds,ax; mov ss,ax; mov esp,0x9000; mov eax,[0x7D10]; hlt
        code(0x7C20, 0x66, 0xB8, 0x10, 0x00, 0x8E, 0xD8, 0x8E, 0xD0, 0xBC, 0x00, 0x90, 0, 0,
                0xA1, 0x10, 0x7D, 0, 0, 0xF4);
        cpu.setSegmentCache(Cpu.CS, 0, 0, 0xFFFF, 0x9B);
        for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.SS}) {
            cpu.setSegmentCache(s, 0, 0, 0xFFFF, 0x93);
        }
        cpu.eip = 0x7C00;
        cpu.regs[Cpu.ESP] = 0x7000;
        StopReason r = cpu.run(100);
        assertThat(r).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0xCAFEBABE);
        assertThat(cpu.codeSize32()).isTrue();
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x10);
        assertThat(cpu.stackSize32()).isTrue();
    }

    @Test
    void protectedMode_through16BitSegment_backToRealMode() {
        cpu.reset();
        t.setGdt(1, seg(0, 0xFFFFF, SystemTestSupport.AR_CODE0));
        t.setGdt(2, seg(0, 0xFFFFF, SystemTestSupport.AR_DATA0));
        t.setGdt(3, seg(0, 0xFFFF, 0x9B));
        t.setGdt(4, seg(0, 0xFFFF, 0x93));
        cpu.gdtrBase = SystemTestSupport.GDT;
        cpu.gdtrLimit = 0xFF;
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE);
        t.mmu.setCr0(cpu.cr0);
        cpu.setSegmentCache(Cpu.CS, 8, 0, -1, SystemTestSupport.AR_CODE0);
        for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.SS}) {
            cpu.setSegmentCache(s, 0x10, 0, -1, SystemTestSupport.AR_DATA0);
        }
        t.mem.write16(0x7D10, 0xBEEF);
        // 32-bit: jmp far 0x18:0x7C40
        code(0x7C00, 0xEA, 0x40, 0x7C, 0, 0, 0x18, 0x00);
        // 16-bit PM: mov ax,0x20; mov ds,ax; mov ss,ax; mov eax,cr0; and al,0xFE; mov cr0,eax; jmp 0:0x7C60
        code(0x7C40, 0xB8, 0x20, 0x00, 0x8E, 0xD8, 0x8E, 0xD0, 0x0F, 0x20, 0xC0, 0x24, 0xFE, 0x0F, 0x22, 0xC0,
                0xEA, 0x60, 0x7C, 0x00, 0x00);
        // real: xor ax,ax; mov ds,ax; mov ax,[0x7D10]; hlt
        code(0x7C60, 0x31, 0xC0, 0x8E, 0xD8, 0xA1, 0x10, 0x7D, 0xF4);
        cpu.eip = 0x7C00;
        cpu.regs[Cpu.ESP] = 0x7000;
        StopReason r = cpu.run(100);
        assertThat(r).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(cpu.protectedMode()).isFalse();
        assertThat(cpu.regs[Cpu.EAX] & 0xFFFF).isEqualTo(0xBEEF);
        assertThat(cpu.segBase[Cpu.CS]).isZero();
        assertThat(cpu.eip).isEqualTo(0x7C68);
    }
}
