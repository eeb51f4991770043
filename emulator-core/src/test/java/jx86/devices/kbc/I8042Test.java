package jx86.devices.kbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.devices.misc.A20Gate;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class I8042Test {
    private final IoBus bus = new IoBus();
    private final PhysicalMemory memory = new PhysicalMemory(2 << 20);
    private final boolean[] irq = new boolean[16];
    private int irq1Edges;
    private int resets;
    private I8042 kbc;

    @BeforeEach
    void setUp() {
        IrqSink sink = (line, level) -> {
            if (level && !irq[line] && line == 1) {
                irq1Edges++;
            }
            irq[line] = level;
        };
        kbc = new I8042(new IrqLine(new IrqSink[] {sink}, new int[] {1}),
                new IrqLine(new IrqSink[] {sink}, new int[] {12}), A20Gate.of(memory), () -> resets++);
        kbc.attach(bus);
    }

    private int status() {
        return bus.in(0x64, 1);
    }

    private List<Integer> drain() {
        List<Integer> out = new ArrayList<>();
        while ((status() & 1) != 0) {
            out.add(bus.in(0x60, 1));
        }
        return out;
    }

    @Test
    void selfTest_answers55() {
        bus.out(0x64, 1, 0xAA);
        assertThat(status() & 0x01).isEqualTo(1);
        assertThat(drain()).containsExactly(0x55);
    }

    @Test
    void interfaceTests_answerZero() {
        bus.out(0x64, 1, 0xAB);
        assertThat(drain()).containsExactly(0x00);
        bus.out(0x64, 1, 0xA9);
        assertThat(drain()).containsExactly(0x00);
    }

    @Test
    void commandByte_readAndWrite() {
        bus.out(0x64, 1, 0x20);
        assertThat(drain()).containsExactly(0x45);
        bus.out(0x64, 1, 0x60);
        bus.out(0x60, 1, 0x61);
        bus.out(0x64, 1, 0x20);
        assertThat(drain()).containsExactly(0x61);
        assertThat(status() & 0x04).isZero(); // SYS follows command byte bit 2
    }

    @Test
    void status_commandBitTracksLastPortWritten() {
        bus.out(0x64, 1, 0xAE);
        assertThat(status() & 0x08).isEqualTo(0x08);
        bus.out(0x60, 1, 0xF4);
        assertThat(status() & 0x08).isZero();
    }

    @Test
    void outputPortWrite_bit1ControlsA20() {
        bus.out(0x64, 1, 0xD1);
        bus.out(0x60, 1, 0xDD);
        assertThat(memory.a20Enabled()).isFalse();
        bus.out(0x64, 1, 0xD0);
        assertThat(drain().get(0) & 0x03).isEqualTo(0x01);
        bus.out(0x64, 1, 0xD1);
        bus.out(0x60, 1, 0xDF);
        assertThat(memory.a20Enabled()).isTrue();
        bus.out(0x64, 1, 0xD0);
        assertThat(drain().get(0) & 0x03).isEqualTo(0x03);
        assertThat(resets).isZero();
    }

    @Test
    void outputPortWrite_bit0ClearResetsCpu() {
        bus.out(0x64, 1, 0xD1);
        bus.out(0x60, 1, 0x02);
        assertThat(resets).isEqualTo(1);
    }

    @Test
    void fastA20Commands() {
        bus.out(0x64, 1, 0xDD);
        assertThat(memory.a20Enabled()).isFalse();
        bus.out(0x64, 1, 0xDF);
        assertThat(memory.a20Enabled()).isTrue();
    }

    @Test
    void pulseFE_resetsCpu_pulseFF_doesNot() {
        bus.out(0x64, 1, 0xFF);
        assertThat(resets).isZero();
        bus.out(0x64, 1, 0xFE);
        assertThat(resets).isEqualTo(1);
    }

    @Test
    void keyboardReset_answersAckThenPassed() {
        bus.out(0x60, 1, 0xFF);
        assertThat(drain()).containsExactly(0xFA, 0xAA);
    }

    @Test
    void keyboardCommands_ackEchoIdentifyLeds() {
        bus.out(0x60, 1, 0xEE);
        assertThat(drain()).containsExactly(0xEE);
        bus.out(0x60, 1, 0xF2);
        assertThat(drain()).containsExactly(0xFA, 0xAB, 0x41);
        bus.out(0x60, 1, 0xED);
        bus.out(0x60, 1, 0x05);
        assertThat(drain()).containsExactly(0xFA, 0xFA);
        assertThat(kbc.leds()).isEqualTo(5);
        bus.out(0x60, 1, 0xF0);
        bus.out(0x60, 1, 0x00);
        assertThat(drain()).containsExactly(0xFA, 0xFA, 0x41);
        bus.out(0x60, 1, 0x12);
        assertThat(drain()).containsExactly(0xFE);
    }

    @Test
    void keyPress_queuesMakeAndBreakWithIrq1PerByte() {
        kbc.pressKey(0x1E);
        assertThat(irq[1]).isTrue();
        assertThat(bus.in(0x60, 1)).isEqualTo(0x1E);
        assertThat(irq1Edges).isEqualTo(2); // the break code raised IRQ1 again after the read
        assertThat(bus.in(0x60, 1)).isEqualTo(0x9E);
        assertThat(irq[1]).isFalse();
        assertThat(status() & 1).isZero();
    }

    @Test
    void extendedKey_hasE0Prefix() {
        kbc.pressKey(0xE048);
        assertThat(drain()).containsExactly(0xE0, 0x48, 0xE0, 0xC8);
    }

    @Test
    void typeAscii_usesShiftForCapitals() {
        kbc.typeAscii('A');
        assertThat(drain()).containsExactly(0x2A, 0x1E, 0x9E, 0xAA);
        kbc.typeAscii('\n');
        assertThat(drain()).containsExactly(0x1C, 0x9C);
        kbc.typeAscii('/');
        assertThat(drain()).containsExactly(0x35, 0xB5);
        kbc.typeAscii('|');
        assertThat(drain()).containsExactly(0x2A, 0x2B, 0xAB, 0xAA);
        assertThat(kbc.typeAscii('\u00e9')).isFalse();
    }

    @Test
    void keyboardInterruptDisabledInCommandByte_noIrq1ButObf() {
        bus.out(0x64, 1, 0x60);
        bus.out(0x60, 1, 0x44);
        kbc.pressKey(0x10);
        assertThat(irq[1]).isFalse();
        assertThat(status() & 1).isEqualTo(1);
    }

    @Test
    void keyboardInterfaceDisabled_holdsKeysUntilEnabled() {
        bus.out(0x64, 1, 0xAD);
        kbc.pressKey(0x10);
        assertThat(status() & 1).isZero();
        bus.out(0x64, 1, 0xAE);
        assertThat(drain()).containsExactly(0x10, 0x90);
    }

    @Test
    void scanningDisabled_dropsKeys() {
        bus.out(0x60, 1, 0xF5);
        assertThat(drain()).containsExactly(0xFA);
        kbc.pressKey(0x10);
        assertThat(drain()).isEmpty();
        bus.out(0x60, 1, 0xF4);
        kbc.pressKey(0x10);
        assertThat(drain()).containsExactly(0xFA, 0x10, 0x90);
    }

    @Test
    void auxCommand_answersFeOnAuxPort() {
        bus.out(0x64, 1, 0xA8);
        bus.out(0x64, 1, 0xD4);
        bus.out(0x60, 1, 0xFF);
        assertThat(status() & 0x21).isEqualTo(0x21);
        assertThat(bus.in(0x60, 1)).isEqualTo(0xFE);
    }

    @Test
    void writeKeyboardOutputBuffer_appearsAsKeyboardData() {
        bus.out(0x64, 1, 0xD2);
        bus.out(0x60, 1, 0x3B);
        assertThat(irq[1]).isTrue();
        assertThat(drain()).containsExactly(0x3B);
    }

    @Test
    void controllerReply_goesAheadOfQueuedKeys() {
        bus.out(0x64, 1, 0xAD);
        kbc.pressKey(0x10);
        bus.out(0x64, 1, 0xAA);
        bus.out(0x64, 1, 0xAE);
        assertThat(drain()).containsExactly(0x55, 0x10, 0x90);
    }

    @Test
    void auxByteWhileAuxDisabled_doesNotBlockKeyboard() {
        bus.out(0x64, 1, 0xA7);
        bus.out(0x64, 1, 0xD3);
        bus.out(0x60, 1, 0x5A);
        kbc.pressKey(0x10);
        assertThat(drain()).containsExactly(0x10, 0x90);
        bus.out(0x64, 1, 0xA8);
        assertThat(status() & 0x21).isEqualTo(0x21);
        assertThat(bus.in(0x60, 1)).isEqualTo(0x5A);
    }

    @Test
    void resend_repeatsLastKeyboardByte() {
        kbc.pressKey(0x1F);
        drain();
        bus.out(0x60, 1, 0xFE);
        assertThat(drain()).containsExactly(0x9F);
    }

    @Test
    void typeString_typesEachCharacter() {
        assertThat(kbc.typeString("a1")).isEqualTo(2);
        assertThat(drain()).containsExactly(0x1E, 0x9E, 0x02, 0x82);
    }
}
