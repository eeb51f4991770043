package jx86.mmu;

import jx86.memory.PhysicalMemory;

/**
 * The 32-bit (non-PAE) page walker and the page-level protection rules (SDM Vol. 3A 4.3 "32-Bit
 * Paging", 4.6 "Access Rights", 4.7 "Page-Fault Exceptions", 4.8 "Accessed and Dirty Flags").
 *
 * <pre>
 *   linear:  31..22 directory index | 21..12 table index | 11..0 offset
 *   CR3[31:12] -> page directory; PDE[31:12] -> page table; PTE[31:12] -> 4 KiB frame
 *   CR4.PSE=1 and PDE.PS=1: PDE[31:22] -> 4 MiB frame, linear 21..0 is the offset,
 *                           PDE bits 21:13 reserved (no PSE-36), bit 12 (PAT) ignored
 *   entry bits: 0 P, 1 R/W, 2 U/S, 3 PWT, 4 PCD, 5 A, 6 D (PTE / 4 MiB PDE), 7 PS (PDE), 8 G
 * </pre>
 *
 * <p>Access rights are the AND of the PDE's and PTE's R/W and U/S. A user access (CPL 3, not an
 * implicit system access) needs U/S=1 and, to write, R/W=1. A supervisor access may read anything;
 * it may write a read-only page unless CR0.WP=1.
 *
 * <p>A/D policy (documented choice): the walker sets the Accessed flags (PDE, then PTE) and, for a
 * write, the Dirty flag of the entry that maps the page, only once the access is known to be
 * allowed; a walk that ends in #PF writes nothing. The SDM ties A to a translation being used and
 * says no TLB entry is created before A is 1; the faulting access creates no TLB entry here, and
 * Bochs likewise updates A/D only after its permission checks pass.
 *
 * <p>The walker reads and writes paging entries through the routed {@link PhysicalMemory}
 * accessors (A20 mask applied there). NOT modelled: PAE, PSE-36, PAT memory types, SMEP/SMAP,
 * the I/D error-code bit (only defined with PAE+NXE or SMEP), locked-cycle atomicity.
 */
public final class Paging {
    public static final int P = 1;
    public static final int RW = 1 << 1;
    public static final int US = 1 << 2;
    public static final int PWT = 1 << 3;
    public static final int PCD = 1 << 4;
    public static final int A = 1 << 5;
    public static final int D = 1 << 6;
    public static final int PS = 1 << 7;
    public static final int G = 1 << 8;
    /** Bits 21:13 of a PDE mapping a 4 MiB page must be 0 (no PSE-36: physical address is 32 bits). */
    public static final int PDE_4M_RESERVED = 0x003F_E000;

    /** #PF error-code bits. */
    public static final int PF_P = 1;
    public static final int PF_W = 1 << 1;
    public static final int PF_U = 1 << 2;
    public static final int PF_RSVD = 1 << 3;

    /** Returned by {@link #walk} when the access is allowed. */
    public static final int OK = -1;

    private final PhysicalMemory mem;

    // ---- result of the last successful walk, for {@link #walk}'s callers (tests) ----
    private int frame;
    private int entryFlags;
    private boolean large;
    /** Paging-structure memory references (reads and A/D write-backs) of the last walk. */
    private int refs;

    // ---- the result of {@link #walkPacked}, one int (the MMU's miss path stores and reloads nothing) ----
    /** Bits 3:0: the TLB entry flags (Tlb.E_*) of a translation. */
    static final int W_FLAGS = 0xF;
    /** Bit 4: the translation maps a 4 MiB page. */
    static final int W_LARGE = 1 << 4;
    /** Bits 7:5: the walk's paging-structure memory references (1 to 4), either way. */
    static final int W_REFS_SHIFT = 5;
    /** Bit 8: the access faults; bits 12:9 are then its #PF error code. */
    static final int W_FAULT = 1 << 8;
    static final int W_ERROR_SHIFT = 9;
    /** Bits 31:12 of an allowed access: the frame (4 KiB or 4 MiB aligned). */
    static final int W_FRAME = 0xFFFF_F000;

    public Paging(PhysicalMemory mem) {
        this.mem = mem;
    }

    /**
     * True when an access is allowed by the combined rights of the page (SDM 4.6, 32-bit paging,
     * CR4.SMEP = CR4.SMAP = 0).
     */
    public static boolean allowed(boolean userPage, boolean writablePage, boolean write, boolean user,
            boolean wp) {
        if (user) {
            return userPage && (!write || writablePage);
        }
        return !write || writablePage || !wp;
    }

    /**
     * Walks the tables for {@code la}. Returns {@link #OK} and leaves the translation in
     * {@link #frame()}, {@link #entryFlags()} and {@link #large()}, or returns the #PF error code.
     * {@link #refs()} tells how many memory references the walk made either way.
     */
    public int walk(int cr3, int la, boolean write, boolean user, boolean wp, boolean pse, boolean pge) {
        int w = walkPacked(cr3, la, write, user, wp, pse, pge);
        refs = refs(w);
        if ((w & W_FAULT) != 0) {
            return w >>> W_ERROR_SHIFT;
        }
        frame = w & W_FRAME;
        large = (w & W_LARGE) != 0;
        entryFlags = w & W_FLAGS;
        return OK;
    }

    /** The memory references of a {@link #walkPacked} result. */
    static int refs(int w) {
        return (w >>> W_REFS_SHIFT) & 7;
    }

    /**
     * {@link #walk} with its whole result in one int (W_*): the frame, the TLB entry flags, the
     * large-page bit and the references of an allowed access, or {@link #W_FAULT}, the error code
     * and the references of a faulting one.
     */
    int walkPacked(int cr3, int la, boolean write, boolean user, boolean wp, boolean pse, boolean pge) {
        // The rights the entries must grant together (allowed() as one mask test): U/S for a user
        // access; R/W for a user write, or a supervisor write with CR0.WP = 1.
        int need = (user ? US : 0) | (write && (user || wp) ? RW : 0);
        int pdeAddr = (cr3 & 0xFFFF_F000) | ((la >>> 22) << 2);
        int pde = mem.readAligned32(pdeAddr);
        if ((pde & P) == 0) {
            return fault(faultCode(write, user), 1);
        }
        if (pse && (pde & PS) != 0) {
            return walkLarge(pdeAddr, pde, need, write, user, pge);
        }
        int pteAddr = (pde & 0xFFFF_F000) | ((la >>> 10) & 0xFFC);
        int pte = mem.readAligned32(pteAddr);
        int n = 2;
        int combined = pde & pte;
        if ((pte & P) == 0 || (combined & need) != need) {
            return fault(faultCode(write, user) | (pte & P), n); // P: present, so a protection fault
        }
        // A/D are written only when they change: a walk through entries already marked writes nothing.
        if ((pde & A) == 0) {
            mem.write32(pdeAddr, pde | A);
            n++;
        }
        int updated = pte | A | (write ? D : 0);
        if (updated != pte) {
            mem.write32(pteAddr, updated);
            n++;
        }
        return (pte & W_FRAME) | n << W_REFS_SHIFT | rights(combined, updated, pge);
    }

    /** The rest of {@link #walkPacked} for a PDE that maps a 4 MiB page (CR4.PSE = 1, PS = 1). */
    private int walkLarge(int pdeAddr, int pde, int need, boolean write, boolean user, boolean pge) {
        if ((pde & PDE_4M_RESERVED) != 0) {
            return fault(faultCode(write, user) | PF_P | PF_RSVD, 1);
        }
        if ((pde & need) != need) {
            return fault(faultCode(write, user) | PF_P, 1);
        }
        int updated = pde | A | (write ? D : 0);
        int n = 1;
        if (updated != pde) {
            mem.write32(pdeAddr, updated);
            n = 2;
        }
        return (pde & 0xFFC0_0000) | W_LARGE | n << W_REFS_SHIFT | rights(pde, updated, pge);
    }

    /** A packed fault result: the #PF error code and the walk's references. */
    private static int fault(int error, int refs) {
        return W_FAULT | error << W_ERROR_SHIFT | refs << W_REFS_SHIFT;
    }

    /** The #PF error code of a not-present fault (W/R and U/S bits of the access). */
    private static int faultCode(boolean write, boolean user) {
        return (write ? PF_W : 0) | (user ? PF_U : 0);
    }

    /**
     * The TLB entry flags (Tlb.E_*) of a translation: U/S and R/W of the combined entries, D and G
     * of the leaf (G only with CR4.PGE), moved bit by bit without a branch: U/S is bit 2 and
     * E_USER bit 0, R/W bit 1 both, D bit 6 and E_DIRTY bit 2, G bit 8 and E_GLOBAL bit 3.
     */
    static int rights(int combined, int leaf, boolean pge) {
        return ((combined >>> 2) & Tlb.E_USER)
                | (combined & Tlb.E_WRITABLE)
                | ((leaf >>> 4) & Tlb.E_DIRTY)
                | ((leaf >>> 5) & (pge ? Tlb.E_GLOBAL : 0));
    }

    /**
     * Side-effect-free translation for debuggers: the physical address of {@code la} or -1 when
     * not mapped. Reads only RAM/ROM (never an MMIO device) and ignores access rights.
     */
    public long peek(int cr3, int la, boolean pse) {
        int pdeAddr = (cr3 & 0xFFFF_F000) | ((la >>> 22) << 2);
        if (!readable(pdeAddr)) {
            return -1;
        }
        int pde = mem.read32(pdeAddr);
        if ((pde & P) == 0) {
            return -1;
        }
        if (pse && (pde & PS) != 0) {
            if ((pde & PDE_4M_RESERVED) != 0) {
                return -1;
            }
            return ((pde & 0xFFC0_0000) | (la & 0x3F_FFFF)) & 0xFFFF_FFFFL;
        }
        int pteAddr = (pde & 0xFFFF_F000) | (((la >>> 12) & 0x3FF) << 2);
        if (!readable(pteAddr)) {
            return -1;
        }
        int pte = mem.read32(pteAddr);
        if ((pte & P) == 0) {
            return -1;
        }
        return ((pte & 0xFFFF_F000) | (la & 0xFFF)) & 0xFFFF_FFFFL;
    }

    private boolean readable(int pa) {
        int kind = mem.kindOf(pa);
        return kind == PhysicalMemory.KIND_RAM || kind == PhysicalMemory.KIND_ROM;
    }

    public int frame() {
        return frame;
    }

    public int entryFlags() {
        return entryFlags;
    }

    public boolean large() {
        return large;
    }

    public int refs() {
        return refs;
    }
}
