package jx86.firmware;

import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/**
 * INT 10h for 80x25 colour text (mode 3) only: teletype output with scrolling, cursor position
 * (kept in the BDA and mirrored into the CRTC cursor registers at 0x3D4/0x3D5), write character,
 * scroll window, get mode, display combination. Graphics modes are not modelled.
 */
final class VideoServices {
    private static final int TEXT = 0xB8000;
    private static final int COLS = 80;
    private static final int ROWS = 25;

    private VideoServices() {
    }

    static void call(Bios bios, Cpu cpu) {
        PhysicalMemory mem = bios.memory();
        int ah = Bios.ah(cpu);
        int al = Bios.al(cpu);
        switch (ah) {
            case 0x00 -> {
                scroll(mem, 0, 0, ROWS - 1, COLS - 1, 0, 0x07);
                setCursor(bios, 0, 0);
                mem.write8(Bios.BDA + 0x49, 3);
            }
            case 0x01 -> mem.write16(Bios.BDA + 0x60, cpu.regs[Cpu.ECX]);
            case 0x02 -> setCursor(bios, (cpu.regs[Cpu.EDX] >>> 8) & 0xFF, cpu.regs[Cpu.EDX] & 0xFF);
            case 0x03 -> {
                Bios.setReg16(cpu, Cpu.EDX, mem.read16(Bios.BDA + 0x50));
                Bios.setReg16(cpu, Cpu.ECX, mem.read16(Bios.BDA + 0x60));
            }
            case 0x06, 0x07 -> {
                int ecx = cpu.regs[Cpu.ECX];
                int edx = cpu.regs[Cpu.EDX];
                int lines = al == 0 ? ROWS : al;
                scroll(mem, (ecx >>> 8) & 0xFF, ecx & 0xFF, (edx >>> 8) & 0xFF, edx & 0xFF,
                        ah == 0x06 ? lines : -lines, (cpu.regs[Cpu.EBX] >>> 8) & 0xFF);
            }
            case 0x08 -> {
                int pos = mem.read16(Bios.BDA + 0x50);
                Bios.setAx(cpu, mem.read16(TEXT + 2 * ((pos >>> 8) * COLS + (pos & 0xFF))));
            }
            case 0x09, 0x0A -> writeChars(bios, cpu, al, ah == 0x09);
            case 0x0E -> teletype(bios, al);
            case 0x0F -> {
                Bios.setAx(cpu, (COLS << 8) | 3);
                cpu.regs[Cpu.EBX] &= 0xFFFF00FF;
            }
            case 0x12 -> {
                if ((cpu.regs[Cpu.EBX] & 0xFF) == 0x10) {
                    Bios.setReg16(cpu, Cpu.EBX, 0x0003); // colour, 256 KiB
                    Bios.setReg16(cpu, Cpu.ECX, 0x0009);
                }
            }
            case 0x1A -> {
                if (al == 0) {
                    Bios.setAx(cpu, 0x001A);
                    Bios.setReg16(cpu, Cpu.EBX, 0x0008); // VGA with colour display
                }
            }
            default -> bios.unsupported(cpu, 0x10);   // e.g. VBE (AH=4Fh): AX stays, not 004Fh
        }
    }

    private static void writeChars(Bios bios, Cpu cpu, int ch, boolean withAttribute) {
        PhysicalMemory mem = bios.memory();
        int pos = mem.read16(Bios.BDA + 0x50);
        int cell = (pos >>> 8) * COLS + (pos & 0xFF);
        int count = cpu.regs[Cpu.ECX] & 0xFFFF;
        for (int i = 0; i < count && cell + i < COLS * ROWS; i++) {
            mem.write8(TEXT + 2 * (cell + i), ch);
            if (withAttribute) {
                mem.write8(TEXT + 2 * (cell + i) + 1, cpu.regs[Cpu.EBX]);
            }
        }
    }

    static void teletype(Bios bios, int ch) {
        PhysicalMemory mem = bios.memory();
        int pos = mem.read16(Bios.BDA + 0x50);
        int row = (pos >>> 8) & 0xFF;
        int col = pos & 0xFF;
        switch (ch) {
            case '\r' -> col = 0;
            case '\n' -> row++;
            case 8 -> col = Math.max(0, col - 1);
            case 7 -> { }
            default -> {
                mem.write8(TEXT + 2 * (row * COLS + col), ch);
                if (++col == COLS) {
                    col = 0;
                    row++;
                }
            }
        }
        if (row >= ROWS) {
            scroll(mem, 0, 0, ROWS - 1, COLS - 1, 1, 0x07);
            row = ROWS - 1;
        }
        setCursor(bios, row, col);
    }

    private static void setCursor(Bios bios, int row, int col) {
        bios.memory().write16(Bios.BDA + 0x50, (row << 8) | col);
        int offset = row * COLS + col;
        bios.io().out(0x3D4, 1, 0x0E);
        bios.io().out(0x3D5, 1, offset >>> 8);
        bios.io().out(0x3D4, 1, 0x0F);
        bios.io().out(0x3D5, 1, offset & 0xFF);
    }

    /** Scrolls the window up (lines > 0) or down (lines < 0); lines = ±ROWS clears it. */
    private static void scroll(PhysicalMemory mem, int top, int left, int bottom, int right, int lines, int attr) {
        bottom = Math.min(bottom, ROWS - 1);
        right = Math.min(right, COLS - 1);
        int height = bottom - top + 1;
        if (height <= 0 || right < left) {
            return;
        }
        int n = Math.min(Math.abs(lines), height);
        for (int i = 0; i < height; i++) {
            int row = lines >= 0 ? top + i : bottom - i;
            int src = lines >= 0 ? row + n : row - n;
            for (int col = left; col <= right; col++) {
                int value = (i < height - n) ? mem.read16(TEXT + 2 * (src * COLS + col)) : (attr << 8) | ' ';
                mem.write16(TEXT + 2 * (row * COLS + col), value);
            }
        }
    }
}
