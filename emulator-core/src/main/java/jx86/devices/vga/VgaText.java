package jx86.devices.vga;

import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.memory.PhysicalMemory;

/**
 * The VGA in 80x25 colour text mode (IBM VGA Technical Reference: CRT controller, sequencer,
 * graphics controller, attribute controller, DAC, external registers), enough for guests that
 * print to the screen and move the cursor.
 *
 * <p>The text buffer is ordinary RAM at 0xB8000 (PhysicalMemory treats 0xA0000-0xBFFFF as RAM), two
 * bytes per cell (character, attribute); this class only reads it. Ports: 0x3C0-0x3CF
 * (attribute controller with its index/data flip-flop, misc output written at 0x3C2 and read at
 * 0x3CC, sequencer 0x3C4/5, DAC 0x3C6-0x3C9, graphics controller 0x3CE/F), the CRTC at
 * 0x3D4/0x3D5 (start address 0x0C/0x0D, cursor shape 0x0A/0x0B, cursor location 0x0E/0x0F) and
 * input status 1 at 0x3DA, whose retrace bits (3 and 0) toggle on every read so that
 * wait-for-retrace loops finish after a fixed number of reads, independent of time.
 *
 * <p>Not modelled: graphics modes, the font RAM, planar memory, other resolutions; register
 * writes are stored and read back but only the start address and cursor registers take effect.
 */
public final class VgaText implements IoDevice {
    public static final int COLUMNS = 80;
    public static final int ROWS = 25;
    public static final int TEXT_BASE = 0xB8000;
    private static final int TEXT_WINDOW = 0x8000; // 32 KiB at 0xB8000

    /** CRTC values of BIOS mode 3 (80x25 colour text, 720x400). */
    private static final List<Integer> CRTC_MODE3 = List.of(
        0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00,
        0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF
    );

    private final PhysicalMemory mem;
    private final int[] crtc = CRTC_MODE3.stream().mapToInt(Integer::intValue).toArray();
    private final int[] seq = {0x03, 0x00, 0x03, 0x00, 0x02};
    private final int[] gfx = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF};
    private final int[] attr = new int[0x15];
    private final byte[] dac = new byte[256 * 3];
    private int crtcIndex;
    private int seqIndex;
    private int gfxIndex;
    private int attrIndex;
    private boolean attrDataNext;
    private int misc = 0x67;
    private int dacWriteIndex;
    private int dacReadIndex;
    private int dacComponent;
    private boolean dacReading;
    private int dacMask = 0xFF;
    private int statusReads;

    public VgaText(PhysicalMemory mem) {
        this.mem = mem;
        for (int i = 0; i < 16; i++) {
            attr[i] = i < 8 ? (i == 6 ? 0x14 : i) : i + 0x30; // the EGA palette mapping of mode 3
        }
        attr[0x10] = 0x0C;
        attr[0x12] = 0x0F;
        attr[0x13] = 0x08;
    }

    /** Claims 0x3C0-0x3CF, 0x3D4-0x3D5 and 0x3DA (byte ports; word OUTs are split index-then-data). */
    public void attach(IoBus bus) {
        bus.register(0x3C0, 16, "vga", IoBus.W8, this);
        bus.register(0x3D4, 2, "vga-crtc", IoBus.W8, this);
        bus.register(0x3DA, 1, "vga-status", IoBus.W8, this);
    }

    // ---- screen contents ----------------------------------------------------------------------

    /** CRTC start address: the first cell shown, in character cells from 0xB8000. */
    public int startAddress() {
        return (crtc[0x0C] << 8) | crtc[0x0D];
    }

    private int cellAddress(int row, int col) {
        return TEXT_BASE + (((startAddress() + row * COLUMNS + col) * 2) & (TEXT_WINDOW - 1));
    }

    /** The character code (CP437) shown at {@code row}, {@code col}. */
    public int charAt(int row, int col) {
        return mem.ramRead8(cellAddress(row, col));
    }

    /** The attribute byte at {@code row}, {@code col}: foreground bits 0-3, background 4-6, blink 7. */
    public int attributeAt(int row, int col) {
        return mem.ramRead8(cellAddress(row, col) + 1);
    }

    /** The 25 screen lines as Unicode text, trailing spaces trimmed. */
    public String[] textLines() {
        String[] lines = new String[ROWS];
        StringBuilder sb = new StringBuilder(COLUMNS);
        for (int r = 0; r < ROWS; r++) {
            sb.setLength(0);
            for (int c = 0; c < COLUMNS; c++) {
                sb.append(Cp437.toUnicode(charAt(r, c)));
            }
            int end = sb.length();
            while (end > 0 && sb.charAt(end - 1) == ' ') {
                end--;
            }
            lines[r] = sb.substring(0, end);
        }
        return lines;
    }

    /** The screen as 25 lines joined by newlines (trailing spaces trimmed, trailing blank lines kept). */
    public String render() {
        return String.join("\n", textLines());
    }

    /** Cursor location register, relative to the start address (may lie off screen). */
    public int cursorOffset() {
        return ((crtc[0x0E] << 8) | crtc[0x0F]) - startAddress();
    }

    public int cursorRow() {
        return Math.floorDiv(cursorOffset(), COLUMNS);
    }

    public int cursorColumn() {
        return Math.floorMod(cursorOffset(), COLUMNS);
    }

    /** Whether the cursor is enabled (CRTC 0x0A bit 5 clear) and on screen. */
    public boolean cursorVisible() {
        int off = cursorOffset();
        return (crtc[0x0A] & 0x20) == 0 && off >= 0 && off < COLUMNS * ROWS;
    }

    /** Cursor start scan line (CRTC 0x0A bits 0-4). */
    public int cursorStart() {
        return crtc[0x0A] & 0x1F;
    }

    /** Cursor end scan line (CRTC 0x0B bits 0-4). */
    public int cursorEnd() {
        return crtc[0x0B] & 0x1F;
    }

    // ---- ports --------------------------------------------------------------------------------

    @Override
    public int ioRead(int port, int size) {
        switch (port) {
            case 0x3C0:
                return attrIndex;
            case 0x3C1:
                return (attrIndex & 0x1F) < attr.length ? attr[attrIndex & 0x1F] : 0;
            case 0x3C2:
                return 0x00; // input status 0
            case 0x3C4:
                return seqIndex;
            case 0x3C5:
                return seqIndex < seq.length ? seq[seqIndex] : 0;
            case 0x3C6:
                return dacMask;
            case 0x3C7:
                return dacReading ? 0x03 : 0x00;
            case 0x3C8:
                return dacWriteIndex;
            case 0x3C9:
                return readDac();
            case 0x3CC:
                return misc;
            case 0x3CE:
                return gfxIndex;
            case 0x3CF:
                return gfxIndex < gfx.length ? gfx[gfxIndex] : 0;
            case 0x3D4:
                return crtcIndex;
            case 0x3D5:
                return crtcIndex < crtc.length ? crtc[crtcIndex] : 0;
            case 0x3DA:
                attrDataNext = false; // reading input status 1 resets the attribute flip-flop
                statusReads++;
                return (statusReads & 1) != 0 ? 0x09 : 0x00;
            default:
                return 0xFF;
        }
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        value &= 0xFF;
        switch (port) {
            case 0x3C0 -> writeAttribute(value);
            case 0x3C2 -> misc = value;
            case 0x3C4 -> seqIndex = value & 0x07;
            case 0x3C5 -> {
                if (seqIndex < seq.length) {
                    seq[seqIndex] = value;
                }
            }
            case 0x3C6 -> dacMask = value;
            case 0x3C7 -> {
                dacReadIndex = value;
                dacComponent = 0;
                dacReading = true;
            }
            case 0x3C8 -> {
                dacWriteIndex = value;
                dacComponent = 0;
                dacReading = false;
            }
            case 0x3C9 -> writeDac(value);
            case 0x3CE -> gfxIndex = value & 0x0F;
            case 0x3CF -> {
                if (gfxIndex < gfx.length) {
                    gfx[gfxIndex] = value;
                }
            }
            case 0x3D4 -> crtcIndex = value & 0x1F;
            case 0x3D5 -> writeCrtc(value);
            default -> {
                // 0x3C1 (read-only), 0x3CA/0x3DA feature control: ignored
            }
        }
    }

    private void writeAttribute(int value) {
        if (!attrDataNext) {
            attrIndex = value & 0x3F;
        } else if ((attrIndex & 0x1F) < attr.length) {
            attr[attrIndex & 0x1F] = value;
        }
        attrDataNext = !attrDataNext;
    }

    private void writeCrtc(int value) {
        if (crtcIndex >= crtc.length) {
            return;
        }
        // CR11 bit 7 write-protects CR00-CR07 (the cursor and start address stay writable)
        if (crtcIndex <= 7 && (crtc[0x11] & 0x80) != 0) {
            if (crtcIndex == 7) {
                crtc[7] = (crtc[7] & ~0x10) | (value & 0x10); // except the line compare bit 8
            }
            return;
        }
        crtc[crtcIndex] = value;
    }

    private void writeDac(int value) {
        dac[(dacWriteIndex * 3 + dacComponent) % dac.length] = (byte) (value & 0x3F);
        if (++dacComponent == 3) {
            dacComponent = 0;
            dacWriteIndex = (dacWriteIndex + 1) & 0xFF;
        }
    }

    private int readDac() {
        int v = dac[(dacReadIndex * 3 + dacComponent) % dac.length];
        if (++dacComponent == 3) {
            dacComponent = 0;
            dacReadIndex = (dacReadIndex + 1) & 0xFF;
        }
        return v;
    }
}
