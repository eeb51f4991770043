package jx86.mmu;

import java.util.Locale;

/** Renders the TLB counters as the text table {@code jx86 boot --stats} prints. */
final class TlbStatsFormatter {
    private TlbStatsFormatter() {
    }

    static String format(Tlb itlb, Tlb dtlb) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %14s %14s %14s%n", "TLB counter", "supervisor", "user", "total"));
        for (Tlb tlb : new Tlb[] {itlb, dtlb}) {
            TlbGeometry g = tlb.geometry();
            sb.append(String.format(Locale.ROOT, "%s (4K: %d entries %d-way, 4M: %d entries %d-way)%n", tlb.name(),
                    g.entries4k(), g.ways4k(), g.entries4m(), g.ways4m()));
            for (TlbEvent ev : TlbEvent.values()) {
                sb.append(String.format(Locale.ROOT, "  %-32s %14d %14d %14d%n", ev.label(),
                        tlb.counter(ev, false), tlb.counter(ev, true), tlb.total(ev)));
            }
            long hits = tlb.total(TlbEvent.HITS);
            long lookups = hits + tlb.total(TlbEvent.MISSES);
            String rate = lookups == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * hits / lookups);
            sb.append(String.format(Locale.ROOT, "  %-32s %44s%n", "hit rate", rate));
        }
        return sb.toString();
    }
}
