package jx86.devices.vga;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VgaTextTest {
    PhysicalMemory mem;
    VgaText vga;
    IoBus bus;

    @BeforeEach
    void setUp() {
        mem = new PhysicalMemory(1 << 20);
        vga = new VgaText(mem);
        bus = new IoBus();
        vga.attach(bus);
        for (int i = 0; i < 80 * 25; i++) {
            mem.write16(0xB8000 + 2 * i, 0x0720); // blank, grey on black
        }
    }

    void put(int row, int col, String s, int attr) {
        for (int i = 0; i < s.length(); i++) {
            mem.write8(0xB8000 + 2 * (row * 80 + col + i), s.charAt(i));
            mem.write8(0xB8000 + 2 * (row * 80 + col + i) + 1, attr);
        }
    }

    @Test
    void textLines_readCellsFromB8000AndTrimTrailingSpaces() {
        put(0, 0, "Hello", 0x07);
        put(24, 75, "end", 0x1F);
        put(3, 2, "x", 0x07);
        String[] lines = vga.textLines();
        assertThat(lines).hasSize(25);
        assertThat(lines[0]).isEqualTo("Hello");
        assertThat(lines[1]).isEmpty();
        assertThat(lines[3]).isEqualTo("  x");
        assertThat(lines[24]).isEqualTo(" ".repeat(75) + "end");
        assertThat(vga.attributeAt(24, 76)).isEqualTo(0x1F);
        assertThat(vga.render()).startsWith("Hello\n\n\n  x\n");
    }

    @Test
    void cp437Characters_mapToUnicode() {
        put(0, 0, "\u00C9\u00B3\u0001", 0x07); // box vertical, smiley
        assertThat(vga.textLines()[0]).isEqualTo("\u2554\u2502\u263A");
    }

    @Test
    void cursorLocationRegisters_giveRowAndColumn() {
        // cursor at offset 2*80+5 = 165 = 0x00A5; word OUT: index in AL, data in AH
        bus.out(0x3D4, 2, 0x000E);
        bus.out(0x3D4, 2, 0xA50F);
        assertThat(vga.cursorRow()).isEqualTo(2);
        assertThat(vga.cursorColumn()).isEqualTo(5);
        assertThat(vga.cursorVisible()).isTrue();
        bus.out(0x3D4, 1, 0x0F);
        assertThat(bus.in(0x3D5, 1)).isEqualTo(0xA5);
        bus.out(0x3D4, 1, 0x0A);
        bus.out(0x3D5, 1, 0x20); // cursor disable bit
        assertThat(vga.cursorVisible()).isFalse();
    }

    @Test
    void startAddress_scrollsTheVisibleWindow() {
        put(1, 0, "second", 0x07);
        bus.out(0x3D4, 1, 0x0C);
        bus.out(0x3D5, 1, 0x00);
        bus.out(0x3D4, 1, 0x0D);
        bus.out(0x3D5, 1, 80); // start at row 1
        assertThat(vga.textLines()[0]).isEqualTo("second");
    }

    @Test
    void inputStatus1_togglesRetraceAndResetsAttributeFlipFlop() {
        int a = bus.in(0x3DA, 1) & 0x08;
        int b = bus.in(0x3DA, 1) & 0x08;
        assertThat(a ^ b).isEqualTo(0x08);
        bus.out(0x3C0, 1, 0x01); // index 1
        bus.in(0x3DA, 1); // back to "index next"
        bus.out(0x3C0, 1, 0x02); // index 2 again, not data
        bus.out(0x3C0, 1, 0x3F); // data for index 2
        bus.out(0x3C0, 1, 0x02);
        assertThat(bus.in(0x3C1, 1)).isEqualTo(0x3F);
    }

    @Test
    void miscOutput_readsBackAtThe3CCPort() {
        assertThat(bus.in(0x3CC, 1)).isEqualTo(0x67);
        bus.out(0x3C2, 1, 0x63);
        assertThat(bus.in(0x3CC, 1)).isEqualTo(0x63);
    }

    @Test
    void dacPalette_autoIncrementsThroughComponents() {
        bus.out(0x3C8, 1, 5);
        for (int v : new int[] {1, 2, 3, 4, 5, 6}) {
            bus.out(0x3C9, 1, v);
        }
        bus.out(0x3C7, 1, 6);
        assertThat(bus.in(0x3C9, 1)).isEqualTo(4);
        assertThat(bus.in(0x3C9, 1)).isEqualTo(5);
    }
}
