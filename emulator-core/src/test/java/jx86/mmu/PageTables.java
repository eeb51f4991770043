package jx86.mmu;

import jx86.memory.PhysicalMemory;

/** Test helper: builds 32-bit page tables in a PhysicalMemory (directory at {@link #DIR}). */
final class PageTables {
    static final int DIR = 0x0001_0000;
    static final int P = 1;
    static final int RW = 2;
    static final int US = 4;
    static final int A = 0x20;
    static final int D = 0x40;
    static final int PS = 0x80;
    static final int G = 0x100;

    final PhysicalMemory mem;
    private int nextTable = DIR + 0x1000;

    PageTables(PhysicalMemory mem) {
        this.mem = mem;
        for (int i = 0; i < 1024; i++) {
            mem.write32(DIR + 4 * i, 0);
        }
    }

    static PhysicalMemory newMemory() {
        return new PhysicalMemory(16 << 20);
    }

    int pdeAddr(int la) {
        return DIR + 4 * (la >>> 22);
    }

    int pde(int la) {
        return mem.read32(pdeAddr(la));
    }

    void setPde(int la, int value) {
        mem.write32(pdeAddr(la), value);
    }

    int pteAddr(int la) {
        return (pde(la) & 0xFFFF_F000) + 4 * ((la >>> 12) & 0x3FF);
    }

    int pte(int la) {
        return mem.read32(pteAddr(la));
    }

    void setPte(int la, int value) {
        mem.write32(pteAddr(la), value);
    }

    /** Maps the 4 KiB page of {@code la} to {@code pa}; the PDE gets {@code pdeFlags} (a table is created if needed). */
    void map4k(int la, int pa, int pteFlags, int pdeFlags) {
        int pde = pde(la);
        int table;
        if ((pde & P) == 0 || (pde & PS) != 0) {
            table = nextTable;
            nextTable += 0x1000;
            for (int i = 0; i < 1024; i++) {
                mem.write32(table + 4 * i, 0);
            }
        } else {
            table = pde & 0xFFFF_F000;
        }
        setPde(la, table | pdeFlags);
        setPte(la, (pa & 0xFFFF_F000) | pteFlags);
    }

    /** Maps with user-writable PDE: page rights come from the PTE alone. */
    void map4k(int la, int pa, int pteFlags) {
        map4k(la, pa, pteFlags, P | RW | US);
    }

    void map4m(int la, int pa, int flags) {
        setPde(la, (pa & 0xFFC0_0000) | flags | PS);
    }
}
