package jx86.devices.vga;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import jx86.host.OutputFile;

/**
 * {@code --screenshot FILE.png}: the 80x25 text screen as a 720x400 PNG (9x16 character cells, as
 * the VGA shows mode 3), in the 16 CGA colours. Attribute bit 7 is taken as blink (the VGA
 * default), so backgrounds use 8 colours and blinking characters are drawn visible. The block
 * and shade characters (0xB0-0xB2, 0xDB-0xDF) are drawn as pixels; other characters use the
 * host's monospaced font (AWT, headless), or a solid box when no font can be rendered. The cursor
 * is drawn as its scan lines in the cell's foreground colour.
 */
public final class Screenshot {
    public static final int CELL_WIDTH = 9;
    public static final int CELL_HEIGHT = 16;
    public static final int WIDTH = VgaText.COLUMNS * CELL_WIDTH;
    public static final int HEIGHT = VgaText.ROWS * CELL_HEIGHT;

    /** The 16 CGA/EGA text colours (RGB). */
    private static final List<Integer> PALETTE = List.of(
        0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
        0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF
    );

    private Screenshot() {
    }

    /** The RGB value of CGA colour {@code index} (0-15). */
    public static int colour(int index) {
        return PALETTE.get(index & 0x0F);
    }

    /** Writes the screen of {@code vga} to {@code file} as PNG (through a temporary file, see {@link OutputFile}). */
    public static void write(VgaText vga, Path file) throws IOException {
        BufferedImage img = render(vga);
        OutputFile.replace(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Renders the screen into a new 720x400 RGB image. */
    public static BufferedImage render(VgaText vga) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        boolean fontOk = true;
        try {
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        } catch (RuntimeException | Error e) {
            fontOk = false;
        }
        for (int r = 0; r < VgaText.ROWS; r++) {
            for (int c = 0; c < VgaText.COLUMNS; c++) {
                fontOk = drawCell(g, img, vga.charAt(r, c), vga.attributeAt(r, c), c * CELL_WIDTH, r * CELL_HEIGHT, fontOk);
            }
        }
        if (vga.cursorVisible() && vga.cursorStart() <= vga.cursorEnd()) {
            int x = vga.cursorColumn() * CELL_WIDTH;
            int y = vga.cursorRow() * CELL_HEIGHT;
            int fg = PALETTE.get(vga.attributeAt(vga.cursorRow(), vga.cursorColumn()) & 0x0F);
            int end = Math.min(CELL_HEIGHT - 1, vga.cursorEnd());
            fill(img, x, y + vga.cursorStart(), CELL_WIDTH, end - vga.cursorStart() + 1, fg);
        }
        g.dispose();
        return img;
    }

    private static boolean drawCell(Graphics2D g, BufferedImage img, int ch, int attribute, int x, int y, boolean fontOk) {
        int fg = PALETTE.get(attribute & 0x0F);
        int bg = PALETTE.get((attribute >> 4) & 0x07);
        fill(img, x, y, CELL_WIDTH, CELL_HEIGHT, bg);
        switch (ch) {
            case 0xDB -> fill(img, x, y, CELL_WIDTH, CELL_HEIGHT, fg);
            case 0xDC -> fill(img, x, y + 8, CELL_WIDTH, 8, fg);
            case 0xDF -> fill(img, x, y, CELL_WIDTH, 8, fg);
            case 0xDD -> fill(img, x, y, 4, CELL_HEIGHT, fg);
            case 0xDE -> fill(img, x + 4, y, 5, CELL_HEIGHT, fg);
            case 0xB0, 0xB1, 0xB2 -> shade(img, x, y, ch - 0xAF, fg);
            case 0x00, 0x20, 0xFF -> {
                // blank
            }
            default -> {
                return drawGlyph(g, img, Cp437.toUnicode(ch), fg, x, y, fontOk);
            }
        }
        return fontOk;
    }

    private static boolean drawGlyph(Graphics2D g, BufferedImage img, char c, int fg, int x, int y, boolean fontOk) {
        if (fontOk) {
            try {
                g.setColor(new Color(fg));
                g.drawString(String.valueOf(c), x, y + 12);
                return true;
            } catch (RuntimeException | Error e) {
                // no usable font on this host: fall through to the box
            }
        }
        fill(img, x + 2, y + 4, CELL_WIDTH - 4, CELL_HEIGHT - 8, fg);
        return false;
    }

    /** Shade characters: density 1 (light, 1 in 4), 2 (medium, 1 in 2), 3 (dark, 3 in 4). */
    private static void shade(BufferedImage img, int x, int y, int density, int fg) {
        for (int dy = 0; dy < CELL_HEIGHT; dy++) {
            for (int dx = 0; dx < CELL_WIDTH; dx++) {
                int phase = (dx + 2 * (dy & 1)) & 3;
                boolean on = density == 2 ? ((dx + dy) & 1) == 0 : density == 1 ? phase == 0 : phase != 0;
                if (on) {
                    img.setRGB(x + dx, y + dy, fg);
                }
            }
        }
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int dy = 0; dy < h; dy++) {
            for (int dx = 0; dx < w; dx++) {
                img.setRGB(x + dx, y + dy, rgb);
            }
        }
    }
}
