package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import org.junit.jupiter.api.Test;

class GdbCommandsTest {
    private final VirtualClock clock = new VirtualClock();
    private final PhysicalMemory phys = new PhysicalMemory(4 << 20);
    private final Mmu mmu = new Mmu(phys, clock);
    private final Cpu cpu = new Cpu(mmu, new IoBus(), clock);
    private final Breakpoints breakpoints = new Breakpoints();
    private final GdbCommands commands = new GdbCommands(cpu, new LinearMemory(mmu), breakpoints);

    private String reply(String packet) {
        GdbCommands.Reply r = commands.handle(packet);
        assertThat(r.action()).isEqualTo(GdbCommands.Action.REPLY);
        return r.text();
    }

    @Test
    void stopReason_isTheLastSignal() {
        assertThat(reply("?")).isEqualTo("S05");
        commands.setLastSignal(2);
        assertThat(reply("?")).isEqualTo("S02");
    }

    @Test
    void qSupported_advertisesPacketSizeAndNoAckMode() {
        assertThat(reply("qSupported:multiprocess+;swbreak+;hwbreak+")).isEqualTo("PacketSize=4000;QStartNoAckMode+");
        GdbCommands.Reply r = commands.handle("QStartNoAckMode");
        assertThat(r.text()).isEqualTo("OK");
        assertThat(r.enterNoAck()).isTrue();
    }

    @Test
    void threadQueries_describeOneThread() {
        assertThat(reply("qAttached")).isEqualTo("1");
        assertThat(reply("qC")).isEqualTo("QC1");
        assertThat(reply("qfThreadInfo")).isEqualTo("m1");
        assertThat(reply("qsThreadInfo")).isEqualTo("l");
        assertThat(reply("Hg0")).isEqualTo("OK");
    }

    @Test
    void unsupportedPackets_getTheEmptyReply() {
        assertThat(reply("vCont?")).isEmpty();
        assertThat(reply("vMustReplyEmpty")).isEmpty();
        assertThat(reply("qTStatus")).isEmpty();
        assertThat(reply("Z2,1000,4")).isEmpty();        // write watchpoint
        assertThat(reply("X1000,0:")).isEmpty();
        assertThat(reply("!")).isEmpty();
    }

    @Test
    void singleRegister_readAndWriteInGdbNumbering() {
        cpu.eip = 0x00100010;
        assertThat(reply("p8")).isEqualTo("10001000");
        assertThat(reply("P0=78563412")).isEqualTo("OK");
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0x12345678);
        assertThat(reply("P3=ffffffff")).isEqualTo("OK");
        assertThat(cpu.regs[Cpu.EBX]).isEqualTo(-1);
        assertThat(reply("p29")).isEqualTo("E01");        // 0x29 = 41: past mxcsr
        assertThat(reply("P10=00000000")).isEqualTo("E01"); // 0x10 = 16: st0 cannot be written
        assertThat(reply("P1=12")).isEqualTo("E01");      // too short
    }

    @Test
    void x87AndSseRegisters_areReportedUnavailableWithGdbsSizes() {
        assertThat(reply("p10")).isEqualTo("xx".repeat(10));   // st0: 80 bits
        assertThat(reply("p18")).isEqualTo("xx".repeat(4));    // fctrl
        assertThat(reply("p20")).isEqualTo("xx".repeat(16));   // xmm0
        assertThat(reply("p28")).isEqualTo("xx".repeat(4));    // mxcsr
    }

    @Test
    void memory_readAndWriteAtLinearAddresses() {
        phys.write32(0x2000, 0xDDCCBBAA);
        assertThat(reply("m2000,4")).isEqualTo("aabbccdd");
        assertThat(reply("M2001,2:1122")).isEqualTo("OK");
        assertThat(phys.read32(0x2000)).isEqualTo(0xDD2211AA);
        assertThat(reply("M2000,2:11")).isEqualTo("E01");  // length and data disagree
    }

    @Test
    void memory_unmappedPageIsE14() {
        phys.write32(0x10000 + 4, 0);          // empty page directory at 0x10000
        mmu.setCr3(0x10000);
        mmu.setCr0(0x8000_0001);
        assertThat(reply("m400000,4")).isEqualTo("E14");
        assertThat(reply("M400000,1:00")).isEqualTo("E14");
    }

    @Test
    void monitorDisas_disassemblesWithTheOpcodeTable() {
        phys.write32(0x2000, 0x00F4_C390);     // NOP; RET; HLT (the same in 16- and 32-bit code)
        String reply = reply("qRcmd," + RspCodec.hexText("disas 0x2000 3"));
        assertThat(reply).isEqualTo(RspCodec.hexText(String.format(
                "0x00002000:  nop%n0x00002001:  ret%n0x00002002:  hlt%n")));
        assertThat(reply("qRcmd," + RspCodec.hexText("frobnicate"))).isEqualTo(RspCodec.hexText(
                "jx86: unknown monitor command 'frobnicate'; try: disas [ADDR [COUNT]]\n"));
    }

    @Test
    void malformedArguments_areE01() {
        assertThat(reply("mzz,4")).isEqualTo("E01");
        assertThat(reply("m1000")).isEqualTo("E01");
        assertThat(reply("Z0")).isEqualTo("E01");
    }

    @Test
    void breakpointPackets_editTheSet() {
        assertThat(reply("Z0,100010,1")).isEqualTo("OK");
        assertThat(reply("Z1,100020,1")).isEqualTo("OK");
        assertThat(breakpoints.contains(0x100010)).isTrue();
        assertThat(breakpoints.contains(0x100020)).isTrue();
        assertThat(reply("z0,100010,1")).isEqualTo("OK");
        assertThat(breakpoints.contains(0x100010)).isFalse();
        assertThat(reply("z1,100020,1")).isEqualTo("OK");
        assertThat(breakpoints.isEmpty()).isTrue();
    }

    @Test
    void runControl_returnsActionsAndOptionalResumeAddress() {
        assertThat(commands.handle("c").action()).isEqualTo(GdbCommands.Action.CONTINUE);
        assertThat(commands.handle("s").action()).isEqualTo(GdbCommands.Action.STEP);
        assertThat(commands.handle("c100040").action()).isEqualTo(GdbCommands.Action.CONTINUE);
        assertThat(cpu.eip).isEqualTo(0x100040);
        assertThat(commands.handle("S05;100050").action()).isEqualTo(GdbCommands.Action.STEP);
        assertThat(cpu.eip).isEqualTo(0x100050);
        assertThat(commands.handle("C02").action()).isEqualTo(GdbCommands.Action.CONTINUE);
        assertThat(commands.handle("k").action()).isEqualTo(GdbCommands.Action.KILL);
        assertThat(commands.handle("D").action()).isEqualTo(GdbCommands.Action.DETACH);
    }

    @Test
    void gAndG_roundTripTheRegisterBlock() {
        cpu.regs[Cpu.ECX] = 0xCAFE;
        String g = reply("g");
        cpu.regs[Cpu.ECX] = 0;
        assertThat(reply("G" + g)).isEqualTo("OK");
        assertThat(cpu.regs[Cpu.ECX]).isEqualTo(0xCAFE);
        assertThat(g.substring(8, 16)).isEqualTo("feca0000");
    }
}
