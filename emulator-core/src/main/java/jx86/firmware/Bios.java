package jx86.firmware;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jx86.bus.IoBus;
import jx86.cpu.Cpu;
import jx86.cpu.FirmwareHook;
import jx86.memory.PhysicalMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in PC BIOS: the state a BIOS leaves after POST, and the real-mode services simple boot
 * sectors use. No BIOS ROM image is needed: each serviced vector points at a 4-byte ROM stub
 * {@code 0F FF nn CF}, which the CPU turns into a call of {@link #biosCall} (see {@link FirmwareHook}).
 * Hardware interrupts reach the guest's devices through the real PIC, PIT, CMOS and 8042 models:
 * the services talk to them through their I/O ports, exactly as BIOS code would.
 *
 * <p>Services: INT 08h (timer tick count), 09h (keyboard IRQ → BDA buffer), 10h (teletype, cursor,
 * mode 3), 11h, 12h, 13h (CHS and extended read/write, parameters), 15h (E820, E801, 88h, A20),
 * 16h (keyboard), 19h (bootstrap), 1Ah (ticks, RTC), IRQ 2-15 acknowledge. Not modelled: floppy
 * drives, video modes other than 80x25 text, VBE, APM, PCI BIOS, INT 15h AH=87h block move. A
 * call of a function the BIOS does not have answers as a BIOS without it does (CF set and AH=86h or
 * 01h, or registers unchanged for INT 10h) and is logged once (INFO, {@code -v}) per vector and AH.
 */
public final class Bios implements FirmwareHook {
    /** Offset in segment F000 of the per-vector stubs (4 bytes each). */
    public static final int STUB_BASE = 0xE000;
    /** Dummy IRET for vectors without a service, where real BIOSes keep theirs. */
    public static final int IRET_STUB = 0xFF53;
    public static final int BDA = 0x400;
    private static final int SECTOR = 512;
    private static final int HEADS = 16;
    private static final int SPT = 63;
    private static final Logger LOG = LoggerFactory.getLogger(Bios.class);
    private static final List<Integer> SERVICED = List.of(0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x15, 0x16, 0x19, 0x1A);

    private final PhysicalMemory mem;
    private final IoBus io;
    private final List<BiosDisk> disks;
    private final byte[] sector = new byte[SECTOR];
    /** Vector << 8 | AH of the unsupported calls logged so far. */
    private final Set<Integer> reported = new HashSet<>();

    public Bios(PhysicalMemory mem, IoBus io, List<BiosDisk> disks) {
        this.mem = mem;
        this.io = io;
        this.disks = List.copyOf(disks);
    }

    /** Writes the IVT, the ROM stubs and the BIOS data area. */
    public void install() {
        int rom = 0xF0000;
        mem.poke8(rom + IRET_STUB, 0xCF);
        for (int v = 0; v < 256; v++) {
            setVector(v, 0xF000, IRET_STUB);
        }
        for (int v : SERVICED) {
            stub(v);
        }
        for (int irq = 2; irq < 16; irq++) {
            stub(irq < 8 ? 0x08 + irq : 0x70 + irq - 8);
        }
        // Reset vector: a guest jumping to F000:FFF0 reboots through INT 19h.
        mem.poke8(rom + 0xFFF0, 0xCD);
        mem.poke8(rom + 0xFFF1, 0x19);
        mem.load(rom + 0xFFF5, "11/21/26".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        mem.poke8(rom + 0xFFFE, 0xFC); // model byte: AT
        writeBda();
    }

    private void stub(int vector) {
        int off = STUB_BASE + 4 * vector;
        mem.poke8(0xF0000 + off, 0x0F);
        mem.poke8(0xF0000 + off + 1, 0xFF);
        mem.poke8(0xF0000 + off + 2, vector);
        mem.poke8(0xF0000 + off + 3, 0xCF);
        setVector(vector, 0xF000, off);
    }

    private void setVector(int vector, int segment, int offset) {
        mem.poke16(vector * 4, offset);
        mem.poke16(vector * 4 + 2, segment);
    }

    private void writeBda() {
        for (int i = 0; i < 0x100; i++) {
            mem.poke8(BDA + i, 0);
        }
        mem.poke16(BDA + 0x00, 0x3F8);           // COM1..COM4
        mem.poke16(BDA + 0x02, 0x2F8);
        mem.poke16(BDA + 0x04, 0x3E8);
        mem.poke16(BDA + 0x06, 0x2E8);
        mem.poke16(BDA + 0x0E, MemoryMap.EBDA_START >> 4);
        mem.poke16(BDA + 0x10, 0x0061 | (3 << 9)); // equipment: 80x25 colour, 4 serial ports... (bits 9-11 = 3)
        mem.poke16(BDA + 0x13, MemoryMap.EBDA_START >> 10);
        mem.poke16(BDA + 0x1A, 0x1E);            // keyboard buffer head/tail (empty)
        mem.poke16(BDA + 0x1C, 0x1E);
        mem.poke8(BDA + 0x49, 3);                // video mode 3
        mem.poke16(BDA + 0x4A, 80);
        mem.poke16(BDA + 0x4C, 4000);
        mem.poke16(BDA + 0x63, 0x3D4);
        mem.poke8(BDA + 0x75, disks.size());
        mem.poke8(BDA + 0x84, 24);               // rows - 1
        mem.poke16(BDA + 0x85, 16);              // character height: the 8x16 font of mode 3
        mem.poke16(BDA + 0x80, 0x1E);            // keyboard buffer start/end offsets
        mem.poke16(BDA + 0x82, 0x3E);
        mem.poke16(MemoryMap.EBDA_START, 1);     // EBDA size in KiB
    }

    /** Programs the PICs and the PIT the way a BIOS leaves them (vectors 08h/70h, 18.2 Hz tick). */
    public void post() {
        io.out(0x20, 1, 0x11);
        io.out(0x21, 1, 0x08);
        io.out(0x21, 1, 0x04);
        io.out(0x21, 1, 0x01);
        io.out(0xA0, 1, 0x11);
        io.out(0xA1, 1, 0x70);
        io.out(0xA1, 1, 0x02);
        io.out(0xA1, 1, 0x01);
        io.out(0x21, 1, 0xF8);   // IRQ 0 (timer), 1 (keyboard), 2 (cascade) open
        io.out(0xA1, 1, 0xFF);
        io.out(0x43, 1, 0x36);   // channel 0, lobyte/hibyte, mode 3
        io.out(0x40, 1, 0x00);
        io.out(0x40, 1, 0x00);   // divisor 65536: 18.2 Hz
        clearScreen();
    }

    /**
     * Loads the first sector of the first disk to 0000:7C00 and sets up the CPU the way a BIOS
     * jumps to a boot sector (real mode, DL = 80h, interrupts enabled).
     *
     * @throws BadImageException if there is no disk or it has no boot signature
     */
    public void bootFromDisk(Cpu cpu, String diskName) {
        if (disks.isEmpty()) {
            throw new BadImageException("no disk to boot from");
        }
        if (disks.get(0).sectorCount() < 1) {
            throw new BadImageException(diskName + ": disk image is empty");
        }
        disks.get(0).readSector(0, sector, 0);
        if ((sector[510] & 0xFF) != 0x55 || (sector[511] & 0xFF) != 0xAA) {
            throw new BadImageException(diskName + ": not bootable (no 0x55AA boot signature in sector 0)");
        }
        mem.load(0x7C00, sector);
        enterBootSector(cpu);
    }

    private void enterBootSector(Cpu cpu) {
        for (int s = 0; s < 6; s++) {
            cpu.setSegmentCache(s, 0, 0, 0xFFFF, s == Cpu.CS ? 0x9B : 0x93);
        }
        cpu.eip = 0x7C00;
        cpu.regs[Cpu.EDX] = 0x80;
        cpu.regs[Cpu.ESP] = 0x7C00;
        cpu.setEflags(Cpu.IF | 2);
    }

    // ---- service dispatch ----

    @Override
    public void biosCall(Cpu cpu, int vector) {
        switch (vector) {
            case 0x08 -> timerTick();
            case 0x09 -> keyboardIrq();
            case 0x10 -> VideoServices.call(this, cpu);
            case 0x11 -> setAx(cpu, mem.read16(BDA + 0x10));
            case 0x12 -> setAx(cpu, mem.read16(BDA + 0x13));
            case 0x13 -> DiskServices.call(this, cpu);
            case 0x15 -> SystemServices.call(this, cpu);
            case 0x16 -> keyboardService(cpu);
            case 0x19 -> bootstrap(cpu);
            case 0x1A -> SystemServices.timeOfDay(this, cpu);
            default -> acknowledgeIrq(vector);
        }
    }

    private void timerTick() {
        int ticks = mem.read32(BDA + 0x6C) + 1;
        if (ticks >= 0x1800B0) {  // ticks per day at 18.2 Hz
            ticks = 0;
            mem.write8(BDA + 0x70, 1);
        }
        mem.write32(BDA + 0x6C, ticks);
        io.out(0x20, 1, 0x20);
    }

    private void keyboardIrq() {
        int scancode = io.in(0x60, 1);
        int ascii = Scancodes.toAscii(scancode);
        if (ascii >= 0) {
            int tail = mem.read16(BDA + 0x1C);
            int next = tail + 2 >= 0x3E ? 0x1E : tail + 2;
            if (next != mem.read16(BDA + 0x1A)) {
                mem.write16(BDA + tail, (scancode << 8) | ascii);
                mem.write16(BDA + 0x1C, next);
            }
        }
        io.out(0x20, 1, 0x20);
    }

    private void acknowledgeIrq(int vector) {
        if (vector >= 0x70 && vector < 0x78) {
            if (vector == 0x70) {   // RTC: reading register C re-arms its interrupt
                io.out(0x70, 1, 0x0C);
                io.in(0x71, 1);
            }
            io.out(0xA0, 1, 0x20);
        }
        io.out(0x20, 1, 0x20);
    }

    private void keyboardService(Cpu cpu) {
        int ah = ah(cpu);
        int head = mem.read16(BDA + 0x1A);
        boolean empty = head == mem.read16(BDA + 0x1C);
        switch (ah) {
            case 0x00, 0x10 -> {
                if (empty) {
                    waitForInterrupt(cpu);
                    return;
                }
                setAx(cpu, mem.read16(BDA + head));
                mem.write16(BDA + 0x1A, head + 2 >= 0x3E ? 0x1E : head + 2);
            }
            case 0x01, 0x11 -> {
                setFlag(cpu, Cpu.ZF, empty);
                if (!empty) {
                    setAx(cpu, mem.read16(BDA + head));
                }
            }
            case 0x02, 0x12 -> setAx(cpu, cpu.regs[Cpu.EAX] & 0xFF00);
            case 0x03 -> { }   // typematic rate and delay: the 8042 model has no typematic repeat
            default -> {
                unsupported(cpu, 0x16);
                setCarry(cpu, true);
            }
        }
    }

    /**
     * Blocks a service until the next interrupt, the way BIOS code does with STI; HLT; retry: the
     * CPU halts with IF=1 and re-executes the service stub when it wakes.
     */
    void waitForInterrupt(Cpu cpu) {
        cpu.eip -= 3;   // back to the 0F FF nn of the stub
        cpu.setEflags(cpu.getEflags() | Cpu.IF);
        cpu.setHalted(true);
    }

    private void bootstrap(Cpu cpu) {
        try {
            bootFromDisk(cpu, "disk 0");
        } catch (BadImageException e) {
            cpu.setEflags(cpu.getEflags() & ~Cpu.IF);
            cpu.setHalted(true);
        }
    }

    private void clearScreen() {
        for (int i = 0; i < 80 * 25; i++) {
            mem.write16(0xB8000 + 2 * i, 0x0720);
        }
    }

    // ---- helpers shared by the service classes ----

    /** Logs, once per vector and AH, a call of a function this BIOS does not have. */
    void unsupported(Cpu cpu, int vector) {
        int ax = cpu.regs[Cpu.EAX] & 0xFFFF;
        if (reported.add(vector << 8 | ax >>> 8)) {
            LOG.info(String.format("BIOS: INT %02Xh AX=%04Xh is not supported (reported once)", vector, ax));
        }
    }

    PhysicalMemory memory() {
        return mem;
    }

    IoBus io() {
        return io;
    }

    List<BiosDisk> disks() {
        return disks;
    }

    static int ah(Cpu cpu) {
        return (cpu.regs[Cpu.EAX] >>> 8) & 0xFF;
    }

    static int al(Cpu cpu) {
        return cpu.regs[Cpu.EAX] & 0xFF;
    }

    static void setAx(Cpu cpu, int value) {
        cpu.regs[Cpu.EAX] = (cpu.regs[Cpu.EAX] & 0xFFFF0000) | (value & 0xFFFF);
    }

    static void setAh(Cpu cpu, int value) {
        cpu.regs[Cpu.EAX] = (cpu.regs[Cpu.EAX] & 0xFFFF00FF) | ((value & 0xFF) << 8);
    }

    static void setReg16(Cpu cpu, int reg, int value) {
        cpu.regs[reg] = (cpu.regs[reg] & 0xFFFF0000) | (value & 0xFFFF);
    }

    /** Sets or clears a flag in the FLAGS image the INT pushed, so the stub's IRET returns it. */
    void setFlag(Cpu cpu, int flag, boolean value) {
        int at = cpu.segBase[Cpu.SS] + ((cpu.regs[Cpu.ESP] + 4) & 0xFFFF);
        int flags = mem.read16(at);
        mem.write16(at, value ? flags | flag : flags & ~flag);
    }

    void setCarry(Cpu cpu, boolean value) {
        setFlag(cpu, Cpu.CF, value);
    }

    /** Reports success (CF=0, AH=0) or a BIOS error code (CF=1, AH=code). */
    void status(Cpu cpu, int code) {
        setAh(cpu, code);
        setCarry(cpu, code != 0);
    }

    static int realAddress(int segment, int offset) {
        return ((segment & 0xFFFF) << 4) + (offset & 0xFFFF);
    }

    static int heads() {
        return HEADS;
    }

    static int sectorsPerTrack() {
        return SPT;
    }
}
