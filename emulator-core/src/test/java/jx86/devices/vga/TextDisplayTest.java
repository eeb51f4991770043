package jx86.devices.vga;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class TextDisplayTest {
    @Test
    void refresh_drawsOnlyWhenTheScreenChanged() {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        VgaText vga = new VgaText(mem);
        VirtualClock clock = new VirtualClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TextDisplay display = new TextDisplay(vga, out, clock, 1000);
        mem.write8(0xB8000, 'A');
        display.start();
        clock.cycles = 1000;
        clock.runDueEvents();
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertThat(first).startsWith("\033[2J\033[HA\033[K\r\n");
        bytes.reset();
        clock.cycles = 2000;
        clock.runDueEvents();
        assertThat(bytes.size()).isZero();
        mem.write8(0xB8002, 'B');
        clock.cycles = 3000;
        clock.runDueEvents();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\033[HAB\033[K");
    }
}
