package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.EDX;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ESP;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

/**
 * Opcode-table rows that no other unit test ran through the decoder (found by recording which rows
 * each CPU test executes; see {@code op-coverage.txt} and {@code OpTableCoverageTest}): each is
 * executed here from its bytes, and its effect checked against the SDM.
 */
class TableRowsTest {
    /** flat32 with the GDT of {@link CpuTestSupport#handler} (0x08 code, 0x10 data) and a HLT handler for {@code vector}. */
    private static CpuTestSupport withGdt(int vector) {
        return CpuTestSupport.flat32().handler(vector, 0x3000);
    }

    @Test
    void systemTableRegisters_lldtSldtLtrStr() {
        CpuTestSupport t = withGdt(13);
        // GDT[3] = LDT at 0x4000 (limit 7), GDT[4] = available 32-bit TSS at 0x5000
        t.mem.poke32(CpuTestSupport.GDT + 24, 0x4000_0007);
        t.mem.poke32(CpuTestSupport.GDT + 28, 0x0000_8200);
        t.mem.poke32(CpuTestSupport.GDT + 32, 0x5000_0067);
        t.mem.poke32(CpuTestSupport.GDT + 36, 0x0000_8900);
        t.cpu.gdtrLimit = 5 * 8 - 1;
        // mov ax,0x18; lldt ax; sldt ebx; mov ax,0x20; ltr ax; str ecx
        t.exec(0x66, 0xB8, 0x18, 0x00, 0x0F, 0x00, 0xD0, 0x0F, 0x00, 0xC3,
                0x66, 0xB8, 0x20, 0x00, 0x0F, 0x00, 0xD8, 0x0F, 0x00, 0xC9);
        assertThat(t.reg(EBX)).isEqualTo(0x18);
        assertThat(t.cpu.ldtrBase).isEqualTo(0x4000);
        assertThat(t.reg(ECX)).isEqualTo(0x20);
        assertThat(t.cpu.trBase).isEqualTo(0x5000);
        assertThat(t.mem.read32(CpuTestSupport.GDT + 36) & 0xF00).as("TSS now busy").isEqualTo(0xB00);
    }

    @Test
    void verrVerwLarLsl_readTheDescriptor() {
        CpuTestSupport t = withGdt(13).set(EAX, 0x10).set(EBX, 0x08);
        // verr ax; setz cl; verw bx; setz dl; lar esi,eax; lsl edi,eax
        t.exec(0x0F, 0x00, 0xE0, 0x0F, 0x94, 0xC1, 0x0F, 0x00, 0xEB, 0x0F, 0x94, 0xC2,
                0x0F, 0x02, 0xF0, 0x0F, 0x03, 0xF8);
        assertThat(t.reg(ECX) & 0xFF).as("data segment readable").isEqualTo(1);
        assertThat(t.reg(EDX) & 0xFF).as("code segment not writable").isEqualTo(0);
        assertThat(t.reg(ESI) & 0x00F0_FF00).isEqualTo(0x00C0_9300);
        assertThat(t.reg(Cpu.EDI)).isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void sidtLmswClts_andMovesOfControlAndDebugRegisters() {
        CpuTestSupport t = withGdt(13);
        t.cpu.setCr0(t.cpu.cr0 | Cpu.CR0_TS);
        // sidt [0x20000]; mov ax,3; lmsw ax; clts
        // mov eax,0x12345000; mov cr2,eax; mov ebx,cr2; mov eax,0x10; mov cr4,eax; mov edx,cr4
        // mov eax,0x1000; mov dr0,eax; mov esi,dr0; mov ecx,cr3
        t.exec(0x0F, 0x01, 0x0D, 0x00, 0x00, 0x02, 0x00, 0x66, 0xB8, 0x03, 0x00, 0x0F, 0x01, 0xF0, 0x0F, 0x06,
                0xB8, 0x00, 0x50, 0x34, 0x12, 0x0F, 0x22, 0xD0, 0x0F, 0x20, 0xD3,
                0xB8, 0x10, 0x00, 0x00, 0x00, 0x0F, 0x22, 0xE0, 0x0F, 0x20, 0xE2,
                0xB8, 0x00, 0x10, 0x00, 0x00, 0x0F, 0x23, 0xC0, 0x0F, 0x21, 0xC6, 0x0F, 0x20, 0xD9);
        assertThat(t.mem.read16(0x20000)).isEqualTo(256 * 8 - 1);
        assertThat(t.mem.read32(0x20002)).isEqualTo(CpuTestSupport.IDT);
        assertThat(t.cpu.cr0 & Cpu.CR0_MP).as("LMSW set MP").isNotZero();
        assertThat(t.cpu.cr0 & Cpu.CR0_TS).as("CLTS").isZero();
        assertThat(t.reg(EBX)).isEqualTo(0x1234_5000);
        assertThat(t.reg(EDX)).isEqualTo(0x10);
        assertThat(t.reg(ESI)).isEqualTo(0x1000);
        assertThat(t.reg(ECX)).isEqualTo(t.cpu.cr3);
    }

    @Test
    void rdmsrRdpmc_andTheCpl0RuleOfInvdWbinvd() {
        CpuTestSupport t = withGdt(13).set(ECX, 0x174).set(EAX, 0x08).set(EDX, 0);
        // wrmsr; xor eax,eax; rdmsr; mov esi,eax; xor ecx,ecx; dec eax; rdpmc; invd; wbinvd
        t.exec(0x0F, 0x30, 0x31, 0xC0, 0x0F, 0x32, 0x89, 0xC6, 0x31, 0xC9, 0x48, 0x0F, 0x33, 0x0F, 0x08, 0x0F, 0x09);
        assertThat(t.reg(ESI)).isEqualTo(0x08);
        assertThat(t.reg(EAX)).as("RDPMC counter 0 reads 0 after RESET").isZero();
        CpuTestSupport u = withGdt(13);
        u.cpu.setCpl(3);
        assertThat(u.fault(0x0F, 0x09).vector).as("WBINVD at CPL 3").isEqualTo(Vectors.GP);
    }

    @Test
    void hintsAndReservedNops_touchNothing() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x7FFF_FFF0);
        // 0F 18 /4../7 and 0F 19..1E with memory operands at EAX+... far outside RAM: no access
        t.exec(0x0F, 0x18, 0x20, 0x0F, 0x18, 0x28, 0x0F, 0x18, 0x30, 0x0F, 0x18, 0x38,
                0x0F, 0x19, 0x00, 0x0F, 0x1A, 0x00, 0x0F, 0x1B, 0x00, 0x0F, 0x1C, 0x00, 0x0F, 0x1D, 0x00, 0x0F, 0x1E, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x7FFF_FFF0);
        assertThat(t.cpu.instructions).isEqualTo(11);
    }

    @Test
    void segmentLoads_popMovAndFarPointers() {
        CpuTestSupport t = withGdt(13).set(EAX, 0x10);
        t.mem.poke32(0x20000, 0x1234);
        t.mem.poke16(0x20004, 0x10);
        t.cpu.setSegmentCache(Cpu.FS, 0, 0, 0, 0);
        t.cpu.setSegmentCache(Cpu.GS, 0, 0, 0, 0);
        // mov fs,ax; mov gs,ax; push 0x10; pop fs; push 0x10; pop gs; push 0x10; pop ds;
        // lfs ecx,[0x20000]; lgs edx,[0x20000]; lss ebx,[0x20000]; les esi,[0x20000]
        t.exec(0x8E, 0xE0, 0x8E, 0xE8, 0x6A, 0x10, 0x0F, 0xA1, 0x6A, 0x10, 0x0F, 0xA9, 0x6A, 0x10, 0x1F,
                0x0F, 0xB4, 0x0D, 0x00, 0x00, 0x02, 0x00, 0x0F, 0xB5, 0x15, 0x00, 0x00, 0x02, 0x00,
                0x0F, 0xB2, 0x1D, 0x00, 0x00, 0x02, 0x00, 0xC4, 0x35, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.cpu.segSel[Cpu.FS]).isEqualTo(0x10);
        assertThat(t.cpu.segSel[Cpu.GS]).isEqualTo(0x10);
        assertThat(t.cpu.segSel[Cpu.SS]).isEqualTo(0x10);
        assertThat(t.cpu.segSel[Cpu.ES]).isEqualTo(0x10);
        assertThat(t.reg(ECX)).isEqualTo(0x1234);
        assertThat(t.reg(EDX)).isEqualTo(0x1234);
        assertThat(t.reg(EBX)).isEqualTo(0x1234);
        assertThat(t.reg(ESI)).isEqualTo(0x1234);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @Test
    void farTransfers_lretAndIndirectLcallLjmp() {
        CpuTestSupport t = withGdt(13);
        int target = CpuTestSupport.CODE + 0x40;
        t.mem.poke32(0x20000, target);
        t.mem.poke16(0x20004, 0x08);
        t.mem.poke8(target, 0xFF); // ljmp *[0x20000] lands here: lcall again? no: jmp to 0x60
        t.mem.poke8(target + 1, 0x2D);
        t.mem.poke32(target + 2, 0x20008);
        t.mem.poke32(0x20008, CpuTestSupport.CODE + 0x60);
        t.mem.poke16(0x2000C, 0x08);
        t.mem.poke8(CpuTestSupport.CODE + 0x60, 0xF4);
        // push 0x08; push CODE+0x10; lret  -> CODE+0x10: lcall *[0x20000] -> target: ljmp *[0x20008] -> HLT
        t.code(0x6A, 0x08, 0x68, (CpuTestSupport.CODE + 0x10) & 0xFF, (CpuTestSupport.CODE + 0x10) >>> 8, 0, 0, 0xCB);
        t.mem.poke8(CpuTestSupport.CODE + 0x10, 0xFF);
        t.mem.poke8(CpuTestSupport.CODE + 0x11, 0x1D);
        t.mem.poke32(CpuTestSupport.CODE + 0x12, 0x20000);
        t.cpu.run(100);
        assertThat(t.cpu.halted()).isTrue();
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 0x61);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP - 8);
        assertThat(t.mem.read32(CpuTestSupport.STACK_TOP - 8)).as("lcall's return EIP").isEqualTo(CpuTestSupport.CODE + 0x16);
        assertThat(t.mem.read32(CpuTestSupport.STACK_TOP - 4) & 0xFFFF).as("lcall's CS").isEqualTo(0x08);
    }

    @Test
    void softwareExceptions_int3IntoInt1() {
        for (int[] c : new int[][] {{3, 0xCC}, {4, 0xCE}, {1, 0xF1}}) {
            CpuTestSupport t = withGdt(c[0]);
            t.cpu.setEflags(t.cpu.getEflags() | Cpu.OF);
            t.exec(0x90, c[1]);
            assertThat(t.cpu.eip).as("vector %d handler", c[0]).isEqualTo(0x3001);
            assertThat(t.mem.read32(t.reg(ESP))).as("return EIP after %02X", c[1]).isEqualTo(CpuTestSupport.CODE + 2);
        }
    }

    @Test
    void salAliases_bswapEsp_xchgEsp_testAliases() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x4000_0001).set(EBX, 3).set(ECX, 4).set(EDX, 0x0F);
        // sal eax,1 (D1 /6); sal ebx,cl (D3 /6); test dl,0xF0 (F6 /1); setz ch; test edx,0x1 (F7 /1)
        t.exec(0xD1, 0xF0, 0xD3, 0xF3, 0xF6, 0xCA, 0xF0, 0x0F, 0x94, 0xC5, 0xF7, 0xCA, 0x01, 0x00, 0x00, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0002);
        assertThat(t.reg(EBX)).isEqualTo(0x30);
        assertThat(t.reg(ECX) >>> 8 & 0xFF).as("ZF of test dl,0xF0").isEqualTo(1);
        assertThat(t.flags() & Cpu.ZF).as("test edx,1").isZero();
        CpuTestSupport u = CpuTestSupport.flat32().set(EAX, 0x1122_3344);
        u.cpu.regs[ESP] = 0x7856_3412;
        u.exec(0x0F, 0xCC, 0x94); // bswap esp; xchg esp,eax
        assertThat(u.reg(EAX)).isEqualTo(0x1234_5678);
        assertThat(u.reg(ESP)).isEqualTo(0x1122_3344);
    }

    @Test
    void portIo_immediateAndDxForms_andOutsd() {
        CpuTestSupport t = CpuTestSupport.flat32();
        java.util.List<String> log = new java.util.ArrayList<>();
        t.io.register(0x60, 4, "t", jx86.bus.IoBus.W_ALL, new jx86.bus.IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return 0xA0 + size;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                log.add(String.format("%X/%d=%X", port, size, value));
            }
        });
        t.mem.poke32(0x20000, 0xCAFE_F00D);
        t.set(EDX, 0x61).set(ESI, 0x20000).set(EBX, 0x5555);
        // in al,0x60; mov bl,al; in eax,0x60; mov ecx,eax; in al,dx; out 0x62,eax; out dx,al; out dx,eax; outsd
        t.exec(0xE4, 0x60, 0x88, 0xC3, 0xE5, 0x60, 0x89, 0xC1, 0xEC, 0xE7, 0x62, 0xEE, 0xEF, 0x6F);
        assertThat(t.reg(EBX) & 0xFF).isEqualTo(0xA1);
        assertThat(t.reg(ECX)).isEqualTo(0xA4);
        assertThat(t.reg(EAX)).isEqualTo(0xA1);
        assertThat(log).containsExactly("62/4=A1", "61/1=A1", "61/4=A1", "61/4=CAFEF00D");
        assertThat(t.reg(ESI)).isEqualTo(0x20004);
    }
}
