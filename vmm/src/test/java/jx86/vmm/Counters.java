package jx86.vmm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one row of the hypervisor's exit-statistics table ("vmm:   NAME   COUNT") from a transcript. */
final class Counters {
    private Counters() {
    }

    static long get(String serial, String name) {
        Matcher m = Pattern.compile("(?m)^vmm:   " + Pattern.quote(name) + " +(\\d+)\\s*$").matcher(serial);
        if (!m.find()) {
            throw new AssertionError("no counter '" + name + "' in the transcript:\n" + serial);
        }
        return Long.parseLong(m.group(1));
    }
}
