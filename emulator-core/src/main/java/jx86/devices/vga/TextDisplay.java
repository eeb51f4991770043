package jx86.devices.vga;

import java.io.PrintStream;
import java.util.Arrays;
import jx86.clock.VirtualClock;

/**
 * {@code --display text}: shows the VGA text screen on a terminal. A virtual-time timer samples
 * the screen (by default 25 times per virtual second) and, only when the text or the cursor
 * changed, redraws it with ANSI escapes: home, the 25 lines each cleared to the end of line, and
 * the cursor placed where the guest put it. Attributes (colours) are not shown.
 */
public final class TextDisplay {
    private final VgaText vga;
    private final PrintStream out;
    private final VirtualClock.Timer timer;
    private final long periodCycles;
    private String[] shown;
    private int shownCursor = -1;

    public TextDisplay(VgaText vga, PrintStream out, VirtualClock clock) {
        this(vga, out, clock, clock.hz() / 25);
    }

    public TextDisplay(VgaText vga, PrintStream out, VirtualClock clock, long periodCycles) {
        this.vga = vga;
        this.out = out;
        this.periodCycles = Math.max(1, periodCycles);
        this.timer = clock.newTimer("text-display", this::tick);
    }

    /** Starts the periodic refresh. */
    public void start() {
        timer.setDelay(periodCycles);
    }

    public void stop() {
        timer.cancel();
    }

    private void tick() {
        refresh();
        timer.setDelay(periodCycles);
    }

    /** Redraws the screen if it changed since the last redraw; returns whether it did. */
    public boolean refresh() {
        String[] lines = vga.textLines();
        int cursor = vga.cursorVisible() ? vga.cursorOffset() : -1;
        if (Arrays.equals(lines, shown) && cursor == shownCursor) {
            return false;
        }
        StringBuilder sb = new StringBuilder(2200);
        sb.append("\033[H");
        for (int r = 0; r < lines.length; r++) {
            sb.append(lines[r]).append("\033[K");
            if (r < lines.length - 1) {
                sb.append("\r\n");
            }
        }
        if (cursor >= 0) {
            sb.append("\033[").append(cursor / VgaText.COLUMNS + 1).append(';')
                    .append(cursor % VgaText.COLUMNS + 1).append("H\033[?25h");
        } else {
            sb.append("\033[?25l");
        }
        if (shown == null) {
            sb.insert(0, "\033[2J");
        }
        out.print(sb);
        out.flush();
        shown = lines;
        shownCursor = cursor;
        return true;
    }
}
