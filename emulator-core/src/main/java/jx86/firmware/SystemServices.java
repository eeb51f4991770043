package jx86.firmware;

import java.util.List;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/** INT 15h (memory size, E820 map, A20 gate) and INT 1Ah (tick count, RTC time and date). */
final class SystemServices {
    private static final int SMAP = 0x534D4150;
    private static final int ERR_UNSUPPORTED = 0x86;

    private SystemServices() {
    }

    static void call(Bios bios, Cpu cpu) {
        PhysicalMemory mem = bios.memory();
        int ax = cpu.regs[Cpu.EAX] & 0xFFFF;
        int ah = ax >>> 8;
        if (cpu.regs[Cpu.EAX] == 0xE820) {
            e820(bios, cpu);
        } else if (ax == 0xE801) {
            long above1m = mem.ramSize() - 0x100000;
            int low = (int) Math.min(above1m >> 10, 15 * 1024);
            int high = (int) Math.max(0, (above1m - 15L * 1024 * 1024) >> 16);
            Bios.setAx(cpu, low);
            Bios.setReg16(cpu, Cpu.ECX, low);
            Bios.setReg16(cpu, Cpu.EBX, high);
            Bios.setReg16(cpu, Cpu.EDX, high);
            bios.setCarry(cpu, false);
        } else if (ah == 0x88) {
            Bios.setAx(cpu, (int) Math.min(0xFFFF, (mem.ramSize() - 0x100000) >> 10));
            bios.setCarry(cpu, false);
        } else if (ax >= 0x2400 && ax <= 0x2403) {
            a20(bios, cpu, ax & 0xFF);
        } else if (ah == 0x86) {
            bios.status(cpu, 0);   // wait: virtual time needs no waiting
        } else {
            bios.unsupported(cpu, 0x15);   // e.g. APM 5300h, SpeedStep E980h, C0h system configuration
            bios.status(cpu, ERR_UNSUPPORTED);
        }
    }

    private static void a20(Bios bios, Cpu cpu, int function) {
        PhysicalMemory mem = bios.memory();
        switch (function) {
            case 0 -> mem.setA20(false);
            case 1 -> mem.setA20(true);
            case 2 -> Bios.setAx(cpu, mem.a20Enabled() ? 1 : 0);
            default -> Bios.setReg16(cpu, Cpu.EBX, 0x0002);   // supported through port 0x92
        }
        bios.status(cpu, 0);
    }

    private static void e820(Bios bios, Cpu cpu) {
        PhysicalMemory mem = bios.memory();
        List<MemoryMap.Entry> map = MemoryMap.forRam(mem.ramSize());
        int index = cpu.regs[Cpu.EBX];
        if (cpu.regs[Cpu.EDX] != SMAP || index < 0 || index >= map.size() || (cpu.regs[Cpu.ECX] & 0xFFFF_FFFFL) < 20) {
            bios.status(cpu, ERR_UNSUPPORTED);
            return;
        }
        MemoryMap.Entry e = map.get(index);
        int buf = Bios.realAddress(cpu.segSel[Cpu.ES], cpu.regs[Cpu.EDI]);
        mem.write32(buf, (int) e.base());
        mem.write32(buf + 4, (int) (e.base() >>> 32));
        mem.write32(buf + 8, (int) e.length());
        mem.write32(buf + 12, (int) (e.length() >>> 32));
        mem.write32(buf + 16, e.type());
        cpu.regs[Cpu.EAX] = SMAP;
        cpu.regs[Cpu.ECX] = 20;
        cpu.regs[Cpu.EBX] = index + 1 < map.size() ? index + 1 : 0;
        bios.setCarry(cpu, false);
    }

    static void timeOfDay(Bios bios, Cpu cpu) {
        PhysicalMemory mem = bios.memory();
        switch (Bios.ah(cpu)) {
            case 0x00 -> {
                int ticks = mem.read32(Bios.BDA + 0x6C);
                Bios.setReg16(cpu, Cpu.ECX, ticks >>> 16);
                Bios.setReg16(cpu, Cpu.EDX, ticks);
                cpu.regs[Cpu.EAX] = (cpu.regs[Cpu.EAX] & ~0xFF) | mem.read8(Bios.BDA + 0x70);
                mem.write8(Bios.BDA + 0x70, 0);
            }
            case 0x01 -> mem.write32(Bios.BDA + 0x6C,
                    ((cpu.regs[Cpu.ECX] & 0xFFFF) << 16) | (cpu.regs[Cpu.EDX] & 0xFFFF));
            case 0x02 -> {
                Bios.setReg16(cpu, Cpu.ECX, (cmos(bios, 4) << 8) | cmos(bios, 2));
                Bios.setReg16(cpu, Cpu.EDX, cmos(bios, 0) << 8);
                bios.setCarry(cpu, false);
            }
            case 0x04 -> {
                Bios.setReg16(cpu, Cpu.ECX, (cmos(bios, 0x32) << 8) | cmos(bios, 9));
                Bios.setReg16(cpu, Cpu.EDX, (cmos(bios, 8) << 8) | cmos(bios, 7));
                bios.setCarry(cpu, false);
            }
            default -> {
                bios.unsupported(cpu, 0x1A);
                bios.setCarry(cpu, true);
            }
        }
    }

    private static int cmos(Bios bios, int register) {
        bios.io().out(0x70, 1, register);
        return bios.io().in(0x71, 1) & 0xFF;
    }
}
