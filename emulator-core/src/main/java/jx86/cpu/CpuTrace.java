package jx86.cpu;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A QEMU-style execution log ({@code jx86 boot -d in_asm,exec,int,cpu_reset,mmu -D FILE}
 * [{@code --dfilter RANGES}]), after QEMU's {@code -d} items:
 * <ul>
 * <li>{@code in_asm}: each block of guest code the first time it runs ({@code IN:} and the
 *     disassembly of its straight-line instructions up to the first control transfer);</li>
 * <li>{@code exec}: every block as it runs ({@code Trace 0: [csbase/eip/eflags]});</li>
 * <li>{@code int}: every interrupt and exception delivered ({@code v= e= i= cpl= IP= pc= SP=
 *     CR2=}) with a register dump, and a triple fault;</li>
 * <li>{@code cpu_reset}: the register dump at a CPU reset;</li>
 * <li>{@code mmu}: every CR0/CR3/CR4 load and INVLPG.</li>
 * </ul>
 * The filter keeps in_asm, exec and int lines whose linear PC lies in one of its ranges
 * ({@code START..END} inclusive or {@code START+LENGTH}, comma-separated, hex with 0x or decimal).
 *
 * <p>With a trace set, {@link Cpu#run} takes its traced loop (the plain interpreter, no decoded-
 * instruction cache; same results and virtual time); without one it costs one field test per
 * {@code run} call, outside the instruction loop.
 */
public final class CpuTrace {
    /** The log items, named as in QEMU. */
    public enum Item {
        IN_ASM, EXEC, INT, CPU_RESET, MMU;

        String qemuName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Set<Item> items;
    private final List<long[]> ranges;
    private final PrintStream out;
    private final Set<Long> seenBlocks = new HashSet<>();
    /** Where the last instruction falls through to, or -1 after a control transfer (a block ends there). */
    private long expectedNext = -1;
    private long lastPc = -1;
    private long interruptCount;

    private CpuTrace(Set<Item> items, List<long[]> ranges, PrintStream out) {
        this.items = items;
        this.ranges = ranges;
        this.out = out;
    }

    /**
     * Parses QEMU's {@code -d} list and {@code -dfilter} ranges; throws IllegalArgumentException
     * with a one-line message for a bad item or range.
     */
    public static CpuTrace parse(String itemList, String filter, PrintStream out) {
        EnumSet<Item> items = EnumSet.noneOf(Item.class);
        for (String s : itemList.split(",")) {
            Item found = null;
            for (Item i : Item.values()) {
                if (i.qemuName().equals(s.trim())) {
                    found = i;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown log item '" + s.trim()
                        + "' (expected in_asm, exec, int, cpu_reset, mmu)");
            }
            items.add(found);
        }
        List<long[]> ranges = new ArrayList<>();
        if (filter != null && !filter.isBlank()) {
            for (String r : filter.split(",")) {
                ranges.add(range(r.trim()));
            }
        }
        return new CpuTrace(items, ranges, out);
    }

    private static long[] range(String r) {
        try {
            int dots = r.indexOf("..");
            int plus = r.indexOf('+');
            if (dots > 0) {
                return new long[] {number(r.substring(0, dots)), number(r.substring(dots + 2))};
            }
            if (plus > 0) {
                long start = number(r.substring(0, plus));
                long len = number(r.substring(plus + 1));
                if (len <= 0) {
                    throw new NumberFormatException();
                }
                return new long[] {start, start + len - 1};
            }
            long a = number(r);
            return new long[] {a, a};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad address range '" + r + "' (expected START..END or START+LENGTH)");
        }
    }

    private static long number(String s) {
        s = s.trim();
        long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new NumberFormatException();
        }
        return v;
    }

    public boolean has(Item i) {
        return items.contains(i);
    }

    private boolean inRange(long pc) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (long[] r : ranges) {
            if (pc >= r[0] && pc <= r[1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean code32(Cpu c) {
        return c.protectedMode() && !c.v86Mode() && (c.segAr[Cpu.CS] & 0x4000) != 0;
    }

    /** Disassembles at linear {@code pc} without side effects (no A/D bits, no TLB access). */
    private static Disassembler.Insn disassemble(Cpu c, long pc) {
        return Disassembler.decode(i -> {
            long pa = c.mmu.peekTranslate((int) (pc + i));
            return pa < 0 ? -1 : c.mmu.memory().read8((int) pa) & 0xFF;
        }, pc, code32(c));
    }

    /** Before each instruction of the traced loop. */
    void beforeInstruction(Cpu c) {
        long pc = (c.segBase[Cpu.CS] + c.eip) & 0xFFFF_FFFFL;
        boolean blockStart = pc != expectedNext && pc != lastPc;
        lastPc = pc;
        if (!items.contains(Item.IN_ASM) && !items.contains(Item.EXEC)) {
            return;
        }
        Disassembler.Insn insn = disassemble(c, pc);
        expectedNext = endsBlock(insn) ? -1 : pc + insn.length();
        if (!blockStart || !inRange(pc)) {
            return;
        }
        if (items.contains(Item.IN_ASM) && seenBlocks.add(pc << 1 | (code32(c) ? 1 : 0))) {
            out.println("----------------");
            out.println("IN: ");
            long a = pc;
            for (int n = 0; n < 64; n++) {
                Disassembler.Insn i = n == 0 ? insn : disassemble(c, a);
                out.printf("0x%08x:  %s%n", a, i.text());
                if (endsBlock(i)) {
                    break;
                }
                a += i.length();
            }
            out.println();
        }
        if (items.contains(Item.EXEC)) {
            out.printf("Trace 0: [%08x/%08x/%08x]%n", c.segBase[Cpu.CS], c.eip, c.getEflags());
        }
    }

    private static boolean endsBlock(Disassembler.Insn i) {
        OpTable.Row r = i.row();
        if (r == null) {
            return true;
        }
        int code = r.code();
        return r.has(OpTable.BRANCH) || r.has(OpTable.INDIRECT) || code == 0x9A || code == 0xEA
                || code >= 0xC2 && code <= 0xC3 || code >= 0xCA && code <= 0xCF || code == 0xF4
                || code == 0xF1 || r.has(OpTable.RAISES_UD) || code == 0x134 || code == 0x135;
    }

    /** An interrupt or exception is being delivered ({@code errorCode} -1: none). */
    void interrupt(Cpu c, int vector, int kind, int errorCode) {
        if (!items.contains(Item.INT)) {
            return;
        }
        long pc = (c.segBase[Cpu.CS] + c.eip) & 0xFFFF_FFFFL;
        if (!inRange(pc)) {
            return;
        }
        out.printf("%6d: v=%02x e=%04x i=%d cpl=%d IP=%04x:%08x pc=%08x SP=%04x:%08x CR2=%08x%n",
                interruptCount++, vector, errorCode < 0 ? 0 : errorCode & 0xFFFF,
                kind == Interrupts.SOFTWARE || kind == Interrupts.SOFTWARE_TRAP ? 1 : 0, c.cpl(), c.segSel[Cpu.CS], c.eip, pc,
                c.segSel[Cpu.SS], c.regs[Cpu.ESP], c.cr2);
        dump(c);
    }

    /** The CPU entered shutdown. */
    void tripleFault(Cpu c) {
        if (items.contains(Item.INT) || items.contains(Item.CPU_RESET)) {
            out.println("Triple fault");
            dump(c);
        }
    }

    /** The CPU was reset (or the trace was attached to a CPU just reset). */
    void reset(Cpu c) {
        if (items.contains(Item.CPU_RESET)) {
            out.println("CPU Reset (CPU 0)");
            dump(c);
        }
    }

    void controlRegister(Cpu c, int n, int value) {
        if (items.contains(Item.MMU)) {
            out.printf("mmu: CR%d=%08x%n", n, value);
        }
    }

    void invlpg(int linear) {
        if (items.contains(Item.MMU)) {
            out.printf("mmu: invlpg %08x%n", linear);
        }
    }

    private static final String SEGS = "ESCSSSDSFSGS";

    /** QEMU's register dump layout (EAX.., ESI.., EIP/EFL, segments, CRs). */
    private void dump(Cpu c) {
        int[] r = c.regs;
        out.printf("EAX=%08x EBX=%08x ECX=%08x EDX=%08x%n", r[Cpu.EAX], r[Cpu.EBX], r[Cpu.ECX], r[Cpu.EDX]);
        out.printf("ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n", r[Cpu.ESI], r[Cpu.EDI], r[Cpu.EBP], r[Cpu.ESP]);
        out.printf("EIP=%08x EFL=%08x CPL=%d HLT=%d%n", c.eip, c.getEflags(), c.cpl(), c.halted() ? 1 : 0);
        for (int s = 0; s < 6; s++) {
            out.printf("%s =%04x %08x %08x %04x%n", SEGS.substring(2 * s, 2 * s + 2), c.segSel[s], c.segBase[s],
                    c.segLimit[s], c.segAr[s] & 0xFFFF);
        }
        out.printf("LDT=%04x %08x %08x%nTR =%04x %08x %08x%n", c.ldtrSel, c.ldtrBase, c.ldtrLimit, c.trSel, c.trBase,
                c.trLimit);
        out.printf("GDT=     %08x %08x%nIDT=     %08x %08x%n", c.gdtrBase, c.gdtrLimit, c.idtrBase, c.idtrLimit);
        out.printf("CR0=%08x CR2=%08x CR3=%08x CR4=%08x%n", c.cr0, c.cr2, c.cr3, c.cr4);
    }

    /** Flushes the log, and closes it unless it is standard error (at the end of a run). */
    public void close() {
        out.flush();
        if (out != System.err && out != System.out) {
            out.close();
        }
    }
}
