package jx86.firmware;

import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/**
 * The CPU state in which the Multiboot and the Linux 32-bit boot protocols both start a kernel:
 * protected mode without paging, ring 0, interrupts off, flat 4 GiB code and data segments from a
 * GDT the loader writes (Multiboot spec 3.2; Linux Documentation/x86/boot.rst, "32-bit boot
 * protocol"). The protocols differ only in the selectors (Multiboot's are the loader's choice,
 * Linux wants __BOOT_CS 0x10 and __BOOT_DS 0x18) and in the registers they pass.
 */
final class FlatEntry {
    private FlatEntry() {
    }

    /**
     * Writes a GDT at {@code gdt} with null entries below {@code codeSel}, a flat code segment at
     * {@code codeSel} and a flat data segment right after it, and loads CPU state to match.
     */
    static void enter(Cpu cpu, PhysicalMemory mem, int gdt, int codeSel) {
        for (int off = 0; off < codeSel; off += 4) {
            mem.poke32(gdt + off, 0);
        }
        mem.poke32(gdt + codeSel, 0x0000FFFF);       // code: base 0, 4 GiB, 32-bit, DPL 0
        mem.poke32(gdt + codeSel + 4, 0x00CF9B00);
        mem.poke32(gdt + codeSel + 8, 0x0000FFFF);   // data: base 0, 4 GiB, writable
        mem.poke32(gdt + codeSel + 12, 0x00CF9300);
        cpu.gdtrBase = gdt;
        cpu.gdtrLimit = codeSel + 15;
        mem.setA20(true);
        cpu.setCr0((cpu.cr0 | Cpu.CR0_PE) & ~(Cpu.CR0_PG | Cpu.CR0_CD | Cpu.CR0_NW));
        cpu.setSegmentCache(Cpu.CS, codeSel, 0, 0xFFFF_FFFF, 0xC09B);
        for (int seg : new int[] {Cpu.ES, Cpu.SS, Cpu.DS, Cpu.FS, Cpu.GS}) {
            cpu.setSegmentCache(seg, codeSel + 8, 0, 0xFFFF_FFFF, 0xC093);
        }
        cpu.setCpl(0);
        cpu.setEflags(2);
    }
}
