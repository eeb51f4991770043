package jx86.firmware;

import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/**
 * INT 13h for hard disks 80h-83h: reset, status, CHS read/write/verify (AH=02/03/04) with the
 * 16-head, 63-sector geometry the ATA drives report, drive parameters (08h, 15h), and the EDD 3.0
 * extensions (41h, 42h, 43h, 48h). Floppies (DL < 80h) answer "not ready".
 */
final class DiskServices {
    private static final int ERR_BAD_COMMAND = 0x01;
    private static final int ERR_NOT_FOUND = 0x04;
    private static final int ERR_NOT_READY = 0xAA;

    private DiskServices() {
    }

    static void call(Bios bios, Cpu cpu) {
        int ah = Bios.ah(cpu);
        int dl = cpu.regs[Cpu.EDX] & 0xFF;
        int index = dl - 0x80;
        if (dl < 0x80 || index >= bios.disks().size()) {
            bios.status(cpu, dl < 0x80 ? ERR_NOT_READY : ERR_BAD_COMMAND);
            return;
        }
        BiosDisk disk = bios.disks().get(index);
        switch (ah) {
            case 0x00, 0x0D -> bios.status(cpu, 0);
            case 0x01 -> bios.status(cpu, 0);
            case 0x02, 0x03, 0x04 -> chsTransfer(bios, cpu, disk, ah);
            case 0x08 -> parameters(bios, cpu, disk);
            case 0x15 -> {
                long n = disk.sectorCount();
                Bios.setReg16(cpu, Cpu.ECX, (int) (n >>> 16));
                Bios.setReg16(cpu, Cpu.EDX, (int) n);
                Bios.setAh(cpu, 3);   // fixed disk
                bios.setCarry(cpu, false);
            }
            case 0x41 -> {
                if ((cpu.regs[Cpu.EBX] & 0xFFFF) != 0x55AA) {
                    bios.status(cpu, ERR_BAD_COMMAND);
                    return;
                }
                Bios.setReg16(cpu, Cpu.EBX, 0xAA55);
                Bios.setReg16(cpu, Cpu.ECX, 0x0001);   // fixed-disk access subset (42h-44h, 47h, 48h)
                Bios.setAh(cpu, 0x30);                 // EDD 3.0
                bios.setCarry(cpu, false);
            }
            case 0x42, 0x43 -> extendedTransfer(bios, cpu, disk, ah == 0x43);
            case 0x48 -> extendedParameters(bios, cpu, disk);
            default -> {
                bios.unsupported(cpu, 0x13);
                bios.status(cpu, ERR_BAD_COMMAND);
            }
        }
    }

    private static int cylinders(BiosDisk disk) {
        long c = disk.sectorCount() / (Bios.heads() * Bios.sectorsPerTrack());
        return (int) Math.max(1, Math.min(1024, c));
    }

    private static void chsTransfer(Bios bios, Cpu cpu, BiosDisk disk, int ah) {
        int count = Bios.al(cpu);
        int ecx = cpu.regs[Cpu.ECX];
        int cylinder = ((ecx >>> 8) & 0xFF) | ((ecx & 0xC0) << 2);
        int sectorNo = ecx & 0x3F;
        int head = (cpu.regs[Cpu.EDX] >>> 8) & 0xFF;
        if (sectorNo == 0 || sectorNo > Bios.sectorsPerTrack() || head >= Bios.heads() || count == 0) {
            bios.status(cpu, ERR_BAD_COMMAND);
            return;
        }
        long lba = ((long) cylinder * Bios.heads() + head) * Bios.sectorsPerTrack() + sectorNo - 1;
        int buffer = Bios.realAddress(cpu.segSel[Cpu.ES], cpu.regs[Cpu.EBX]);
        int done = transfer(bios, disk, lba, count, buffer, ah == 0x03, ah == 0x04);
        bios.status(cpu, done == count ? 0 : ERR_NOT_FOUND);
        cpu.regs[Cpu.EAX] = (cpu.regs[Cpu.EAX] & ~0xFF) | done;   // AL = sectors transferred
    }

    /** Copies {@code count} sectors between the disk and memory; returns how many were done. */
    private static int transfer(Bios bios, BiosDisk disk, long lba, int count, int buffer, boolean write, boolean verifyOnly) {
        PhysicalMemory mem = bios.memory();
        byte[] sector = new byte[512];
        for (int i = 0; i < count; i++) {
            if (lba + i >= disk.sectorCount()) {
                return i;
            }
            if (verifyOnly) {
                continue;
            }
            int at = buffer + 512 * i;
            try {
                if (write) {
                    for (int j = 0; j < 512; j++) {
                        sector[j] = (byte) mem.read8(at + j);
                    }
                    disk.writeSector(lba + i, sector, 0);
                } else {
                    disk.readSector(lba + i, sector, 0);
                    for (int j = 0; j < 512; j++) {
                        mem.write8(at + j, sector[j]);
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                return i;   // a host I/O error is a BIOS error status for the guest, not a crash
            }
        }
        return count;
    }

    private static void parameters(Bios bios, Cpu cpu, BiosDisk disk) {
        int maxCyl = cylinders(disk) - 1;
        Bios.setReg16(cpu, Cpu.ECX, ((maxCyl & 0xFF) << 8) | ((maxCyl >>> 2) & 0xC0) | Bios.sectorsPerTrack());
        Bios.setReg16(cpu, Cpu.EDX, ((Bios.heads() - 1) << 8) | bios.disks().size());
        bios.status(cpu, 0);
    }

    private static void extendedTransfer(Bios bios, Cpu cpu, BiosDisk disk, boolean write) {
        PhysicalMemory mem = bios.memory();
        int dap = Bios.realAddress(cpu.segSel[Cpu.DS], cpu.regs[Cpu.ESI]);
        int size = mem.read8(dap);
        int count = mem.read16(dap + 2);
        int offset = mem.read16(dap + 4);
        int segment = mem.read16(dap + 6);
        long lba = (mem.read32(dap + 8) & 0xFFFF_FFFFL) | ((long) mem.read32(dap + 12) << 32);
        if (size < 16) {
            bios.status(cpu, ERR_BAD_COMMAND);
            return;
        }
        int buffer = Bios.realAddress(segment, offset);
        if (size >= 24 && offset == 0xFFFF && segment == 0xFFFF) {
            buffer = mem.read32(dap + 16);   // 64-bit flat buffer address (low half)
        }
        int done = transfer(bios, disk, lba, count, buffer, write, false);
        mem.write16(dap + 2, done);
        bios.status(cpu, done == count ? 0 : ERR_NOT_FOUND);
    }

    private static void extendedParameters(Bios bios, Cpu cpu, BiosDisk disk) {
        PhysicalMemory mem = bios.memory();
        int buf = Bios.realAddress(cpu.segSel[Cpu.DS], cpu.regs[Cpu.ESI]);
        if (mem.read16(buf) < 26) {
            bios.status(cpu, ERR_BAD_COMMAND);
            return;
        }
        mem.write16(buf, 26);
        mem.write16(buf + 2, 0x0002);   // CHS information valid
        mem.write32(buf + 4, cylinders(disk));
        mem.write32(buf + 8, Bios.heads());
        mem.write32(buf + 12, Bios.sectorsPerTrack());
        mem.write32(buf + 16, (int) disk.sectorCount());
        mem.write32(buf + 20, (int) (disk.sectorCount() >>> 32));
        mem.write16(buf + 24, 512);
        bios.status(cpu, 0);
    }
}
