package jx86.harness;

/**
 * A run's counters at one moment (all from the machine; nothing measured on the host except
 * {@code wallNanos}).
 *
 * @param instructions guest instructions retired
 * @param cycles       virtual cycles (instructions plus the cost model's penalties and idle time)
 * @param virtualNanos {@code cycles} in virtual nanoseconds
 * @param consoleLines complete COM1 lines so far
 * @param cr3Loads     CR3 writes with paging on: a kernel's address-space switches, i.e. its
 *                     scheduler activity (the D-TLB's "CR3 flushes" counter)
 * @param itlbMisses   instruction-TLB misses
 * @param dtlbMisses   data-TLB misses
 * @param pageFaults   #PF raised (instruction and data sides)
 * @param wallNanos    host wall time spent inside the harness's run calls
 */
public record Counters(long instructions, long cycles, long virtualNanos, int consoleLines, long cr3Loads,
        long itlbMisses, long dtlbMisses, long pageFaults, long wallNanos) {
}
