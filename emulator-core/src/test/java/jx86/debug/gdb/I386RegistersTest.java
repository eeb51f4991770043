package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import org.junit.jupiter.api.Test;

class I386RegistersTest {
    private final VirtualClock clock = new VirtualClock();
    private final Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(4 << 20), clock), new IoBus(), clock);

    private void flatProtectedMode() {
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE);
        cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFFFFFF, 0xC09B);
        for (int s : new int[] {Cpu.SS, Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS}) {
            cpu.setSegmentCache(s, 0x10, 0, 0xFFFFFFFF, 0xC093);
        }
    }

    @Test
    void encode_isSixteenLittleEndianWordsInGdbOrder() {
        flatProtectedMode();
        for (int i = 0; i < 8; i++) {
            cpu.regs[i] = 0x11111111 * (i + 1);    // eax=11111111 ecx=22222222 ... edi=88888888
        }
        cpu.eip = 0x00100010;
        cpu.setEflags(0x246);                      // ZF PF IF + reserved bit 1
        cpu.setSegmentCache(Cpu.FS, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        String g = I386Registers.encode(cpu);
        assertThat(g).hasSize(128);
        assertThat(g.substring(0, 64)).isEqualTo(
                "11111111" + "22222222" + "33333333" + "44444444" + "55555555" + "66666666" + "77777777" + "88888888");
        assertThat(g.substring(64, 72)).isEqualTo("10001000");  // eip 0x00100010
        assertThat(g.substring(72, 80)).isEqualTo("46020000");  // eflags 0x246
        // cs ss ds es fs gs
        assertThat(g.substring(80)).isEqualTo("08000000" + "10000000" + "10000000" + "10000000" + "23000000" + "10000000");
    }

    @Test
    void decode_setsGeneralRegistersEipAndEflags() {
        flatProtectedMode();
        String block = "78563412" + "00000000".repeat(3) + "f0ff0900" + "00000000".repeat(3)
                + "20001000" + "83000000" + "08000000" + "10000000".repeat(5);
        I386Registers.decode(cpu, block);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0x12345678);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x0009FFF0);
        assertThat(cpu.eip).isEqualTo(0x00100020);
        assertThat(cpu.getEflags()).isEqualTo(0x83);    // CF SF + reserved bit 1
    }

    @Test
    void protectedModeSelectorChange_isRefusedAndLeavesTheCache() {
        flatProtectedMode();
        assertThat(I386Registers.write(cpu, 12, 0x2B)).isFalse();   // ds
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(0x10);
        assertThat(I386Registers.write(cpu, 12, 0x10)).isTrue();    // unchanged: fine
    }

    @Test
    void realModeSelectorWrite_movesTheBaseToSixteenTimesTheSelector() {
        assertThat(I386Registers.write(cpu, 13, 0x1234)).isTrue();  // es
        assertThat(cpu.segSel[Cpu.ES]).isEqualTo(0x1234);
        assertThat(cpu.segBase[Cpu.ES]).isEqualTo(0x12340);
    }

    @Test
    void read_mapsGdbNumbersToCpuRegisters() {
        cpu.regs[Cpu.EBX] = 0xB;
        assertThat(I386Registers.read(cpu, 3)).isEqualTo(0xB);
        assertThat(I386Registers.read(cpu, 8)).isEqualTo(0xFFF0);    // reset EIP
        assertThat(I386Registers.read(cpu, 10)).isEqualTo(0xF000);   // reset CS
    }
}
