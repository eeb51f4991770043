package jx86.cpu;

/**
 * Segment-register loads with every protected-mode check (SDM Vol. 3A 3.4, 5.5-5.8; Vol. 2 MOV,
 * POP, LDS/LES/LFS/LGS/LSS).
 *
 * <p>OWNED BY THE PROTECTED-MODE/SYSTEM WORK. Placeholder body: real-mode semantics only.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * Loads data/stack segment register {@code seg} (ES, SS, DS, FS, GS; never CS) with
     * {@code selector} as MOV Sreg / POP Sreg / LxS do: real and V86 mode set base = selector * 16;
     * protected mode reads the descriptor (GDT or LDT), checks type, DPL/RPL/CPL and presence,
     * raising #GP(sel), #SS(sel) or #NP(sel), sets the accessed bit, and loads the cache. A null
     * selector is allowed for DS/ES/FS/GS (the register becomes unusable) and is #GP(0) for SS.
     */
    public static void load(Cpu cpu, int seg, int selector) {
        selector &= 0xFFFF;
        cpu.setSegmentCache(seg, selector, selector << 4, cpu.segLimit[seg], cpu.segAr[seg]);
    }
}
