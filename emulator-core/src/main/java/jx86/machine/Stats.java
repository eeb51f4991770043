package jx86.machine;

/** The {@code --stats} report (jx86 boot prints it on stderr when a run ends): instructions, cycles, TLB counters. */
public final class Stats {
    private Stats() {
    }

    public static String format(PcMachine machine) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("jx86 stats: %,d instructions, %,d cycles (%.3f s virtual at %d MHz)%n",
                machine.cpu().instructions, machine.clock().cycles,
                machine.clock().cycles / (double) machine.clock().hz(), machine.clock().hz() / 1_000_000));
        sb.append(machine.mmu().formatStats());
        if (sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        return sb.toString();
    }
}
