package jx86.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a {@link LiveModel.Snapshot} out on a terminal of a given size as plain rows (pure, so it
 * is tested without a terminal): a title row with N and the keys, then the kernels side by side,
 * each with its name, its state and its last console lines. {@link Frame#highlights} says where
 * the outcomes are, for colour.
 */
final class LiveRender {
    private LiveRender() {
    }

    /** A pane's status text at {@code row}, {@code col}, {@code length} long, coloured by {@code outcome}. */
    record Highlight(int row, int col, int length, Outcome outcome) {
    }

    record Frame(List<String> rows, List<Highlight> highlights) {
    }

    static final int HEADER_ROWS = 5;

    static Frame render(LiveModel.Snapshot s, int cols, int rows) {
        char[][] grid = new char[rows][cols];
        for (char[] r : grid) {
            java.util.Arrays.fill(r, ' ');
        }
        List<Highlight> highlights = new ArrayList<>();
        // the pause state first, so a narrow terminal still shows it
        String title = String.format(java.util.Locale.ROOT,
                "%sjx86 crash demo   N = %d words every %d s, seed %d   (round %d of %d)   [p] pause  [n] next N  [q] quit",
                s.paused() ? "[PAUSED] " : "", s.n(), s.period(), s.seed(), s.round(), s.rounds());
        put(grid, 0, 0, cols, title);
        put(grid, 1, 0, cols, s.message());
        int k = Math.max(1, s.panes().size());
        int width = Math.max(10, (cols - (k - 1)) / k);
        for (int i = 0; i < s.panes().size(); i++) {
            LiveModel.Pane p = s.panes().get(i);
            int col = i * (width + 1);
            if (col >= cols) {
                break;
            }
            int w = Math.min(width, cols - col);
            put(grid, 2, col, w, p.kernel());
            put(grid, 3, col, w, p.status());
            if (p.outcome() != null) {
                highlights.add(new Highlight(3, col, Math.min(w, p.status().length()), p.outcome()));
            }
            put(grid, 4, col, w, "-".repeat(w));
            int space = rows - HEADER_ROWS;
            List<String> lines = p.lines();
            int first = Math.max(0, lines.size() - space);
            for (int r = 0; r < space && first + r < lines.size(); r++) {
                put(grid, HEADER_ROWS + r, col, w, lines.get(first + r));
            }
            if (i > 0) {
                for (int r = 2; r < rows; r++) {
                    grid[r][col - 1] = '|';
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (char[] r : grid) {
            out.add(new String(r));
        }
        return new Frame(out, highlights);
    }

    /** Writes {@code text} at row, col, cut to {@code width} (tabs and control characters as spaces). */
    private static void put(char[][] grid, int row, int col, int width, String text) {
        if (row >= grid.length) {
            return;
        }
        for (int i = 0; i < text.length() && i < width && col + i < grid[row].length; i++) {
            char c = text.charAt(i);
            grid[row][col + i] = c < 0x20 || c == 0x7F ? ' ' : c;
        }
    }
}
