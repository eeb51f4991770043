package jx86.kernel.monolithic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A guest script's output cut into named parts: a line "==NAME" starts part NAME, which holds
 * every following line (each with its '\n') up to the next "==" line or the end. Lines before the
 * first marker are dropped. Used by the tests that compare a script's parts with other runs.
 */
final class ConsoleSections {
    private ConsoleSections() {
    }

    static Map<String, String> split(String serial) {
        Map<String, String> m = new LinkedHashMap<>();
        String name = null;
        StringBuilder sb = new StringBuilder();
        for (String line : serial.split("\n", -1)) {
            if (line.startsWith("==")) {
                if (name != null) {
                    m.put(name, sb.toString());
                }
                name = line.substring(2);
                sb.setLength(0);
            } else if (name != null) {
                sb.append(line).append('\n');
            }
        }
        if (name != null) {
            m.put(name, sb.toString());
        }
        return m;
    }
}
