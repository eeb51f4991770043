package jx86.devices.vga;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenshotTest {
    @TempDir
    Path tmp;

    @Test
    void png_is720x400WithCellColoursFromTheAttributes() throws IOException {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        VgaText vga = new VgaText(mem);
        mem.write8(0xB8000, 0xDB); // full block, yellow (14) on blue (1)
        mem.write8(0xB8001, 0x1E);
        mem.write8(0xB8002, ' '); // blank, background red (4)
        mem.write8(0xB8003, 0x4F);
        mem.write8(0xB8000 + 2 * 81, 'W'); // row 1 col 1: white on green
        mem.write8(0xB8000 + 2 * 81 + 1, 0x2F);
        Path png = tmp.resolve("screen.png");
        Screenshot.write(vga, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(720);
        assertThat(img.getHeight()).isEqualTo(400);
        assertThat(img.getRGB(4, 8) & 0xFFFFFF).isEqualTo(0xFFFF55);
        assertThat(img.getRGB(9 + 4, 8) & 0xFFFFFF).isEqualTo(0xAA0000);
        assertThat(img.getRGB(719, 399) & 0xFFFFFF).isEqualTo(0x000000);
        // the 'W' cell: background green in its corner, some white glyph pixels inside
        assertThat(img.getRGB(9, 16) & 0xFFFFFF).isEqualTo(0x00AA00);
        int white = 0;
        for (int y = 16; y < 32; y++) {
            for (int x = 9; x < 18; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
                    white++;
                }
            }
        }
        assertThat(white).isPositive();
    }
}
