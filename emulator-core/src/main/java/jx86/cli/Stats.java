package jx86.cli;

import jx86.machine.PcMachine;

/** The {@code --stats} report printed on stderr when a run ends. */
final class Stats {
    private Stats() {
    }

    static String format(PcMachine machine) {
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
