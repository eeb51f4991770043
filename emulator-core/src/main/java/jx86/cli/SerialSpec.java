package jx86.cli;

/** Checks a --serial back-end spec before anything is opened (the back-end itself parses it later). */
final class SerialSpec {
    private SerialSpec() {
    }

    /** stdio, none, file:PATH, tcp:PORT, or QEMU's tcp:[HOST]:PORT,server[,wait|,nowait]. */
    static boolean valid(String spec) {
        return spec.equals("stdio") || spec.equals("none") || spec.startsWith("file:") && spec.length() > 5
                || spec.matches("tcp:[0-9]{1,5}")
                || spec.matches("tcp:(|localhost|127\\.0\\.0\\.1):[0-9]{1,5}(,(server|server=on|wait|wait=on|nowait|wait=off))*")
                        && spec.contains(",server");
    }
}
