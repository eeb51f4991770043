package jx86.machine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.devices.apic.InterruptRouter;
import jx86.devices.apic.IoApic;
import jx86.devices.apic.LocalApic;
import jx86.devices.apic.MpTable;
import jx86.devices.ata.AtaChannel;
import jx86.devices.cmos.CmosRtc;
import jx86.devices.fwcfg.FwCfg;
import jx86.devices.pci.PciHost;
import jx86.devices.kbc.I8042;
import jx86.devices.misc.A20Gate;
import jx86.devices.misc.DebugConE9;
import jx86.devices.misc.ExitPortF4;
import jx86.devices.misc.FpuErrorPortF0;
import jx86.devices.misc.Port92;
import jx86.devices.misc.PostCode80;
import jx86.devices.vga.Screenshot;
import jx86.devices.vga.TextDisplay;
import jx86.devices.vga.VgaText;
import jx86.devices.ata.AtaDrive;
import jx86.devices.pic.I8259Pair;
import jx86.devices.pit.I8254;
import jx86.devices.uart.Uart16550;
import jx86.firmware.BadImageException;
import jx86.firmware.BiosDisk;
import jx86.firmware.MemoryMap;
import jx86.host.BufferSerial;
import jx86.host.DiskBackend;
import jx86.host.NullSerial;
import jx86.host.OutputFile;
import jx86.host.SerialBackend;
import jx86.host.StdioSerial;
import jx86.memory.PhysicalMemory;
import jx86.mmu.PerfCounterDevice;

/**
 * The PC's devices, built in dependency order and wired to the bus, the interrupt controllers and
 * the host back-ends. The standard PC/AT assignment (docs/machine.md has the full table):
 *
 * <pre>
 *   IRQ0 PIT ch0   IRQ1 keyboard   IRQ2 cascade   IRQ3 COM2/4   IRQ4 COM1/3   IRQ8 RTC
 *   IRQ14 ATA primary   IRQ15 ATA secondary
 * </pre>
 */
public final class Devices implements AutoCloseable {
    /** Where the firmware puts the MP floating pointer and configuration table (BIOS ROM area). */
    static final int MP_FLOATING_POINTER = 0xF5A00;
    static final int MP_TABLE = 0xF5A10;

    private final PcMachine machine;
    private final LocalApic lapic;
    private final InterruptRouter router;
    private final I8259Pair pic;
    private final I8254 pit;
    private final I8042 kbc;
    private final CmosRtc cmos;
    private final DebugConE9 debugCon;
    private final VgaText vga;
    private final TextDisplay textDisplay;
    private final Uart16550[] uarts = new Uart16550[4];
    private final SerialBackend com1Backend;
    private final SerialBackend com2Backend;
    private final SerialBackend com3Backend;
    private final SerialBackend com4Backend;
    private final InputWatch inputWatch;
    /** Host characters typed on the 8042 (--display text, or a test's keyboardInput); null = none. */
    private final KeyboardFeed keyboardFeed;
    private final List<DiskBackend> disks = new ArrayList<>();
    private final List<AtaDrive> drives = new ArrayList<>();

    Devices(PcMachine machine, MachineConfig config) {
        this.machine = machine;
        IoBus io = machine.io();
        VirtualClock clock = machine.clock();
        Cpu cpu = machine.cpu();
        PhysicalMemory mem = machine.memory();
        // Interrupt fabric: PIC pair and I/O APIC both see every ISA line (the MP table routes
        // ISA IRQ0 to I/O APIC pin 2); the router picks PIC or local APIC for the CPU's INTR.
        lapic = new LocalApic(clock, 0);
        lapic.attach(mem);
        lapic.setNmiListener(cpu::raiseNmi);
        router = new InterruptRouter(lapic, cpu::setIntr);
        pic = new I8259Pair(router::picOutputChanged);
        router.connectPic(pic);
        pic.attach(io);
        router.attach(io);
        IoApic ioapic = new IoApic(lapic, 1);
        ioapic.attach(mem);
        cpu.setInterruptController(router);
        IrqSink[] sinks = {pic, ioapic};

        pit = new I8254(clock, isa(sinks, 0));
        pit.attach(io);
        A20Gate a20 = A20Gate.of(mem);
        kbc = new I8042(isa(sinks, 1), isa(sinks, 12), a20, machine::resetRequested);
        kbc.attach(io);
        new Port92(a20, machine::resetRequested).attach(io);
        cmos = config.rtcEpochSeconds == null
                ? new CmosRtc(clock, isa(sinks, 8), mem.ramSize())
                : new CmosRtc(clock, isa(sinks, 8), mem.ramSize(), config.rtcEpochSeconds);
        // equipment byte bit 1: maths coprocessor installed, as CPUID.1:EDX.FPU (jx86.cpu.CpuModel)
        cmos.setNvram(0x14, jx86.cpu.CpuModel.HAS_FPU ? cmos.nvram(0x14) | 0x02 : cmos.nvram(0x14) & ~0x02);
        cmos.attach(io);
        fwCfg(config, mem.ramSize() & 0xFFFF_FFFFL).attach(io);
        new PostCode80().attach(io);
        new PciHost().attach(io);   // configuration mechanism #1 and an i440FX host bridge, nothing else
        // x87 errors with CR0.NE = 0 (FERR# -> IRQ 13) and port F0h, which clears FERR#.
        IrqLine irq13 = isa(sinks, 13);
        cpu.setFerrListener(irq13::set);
        new FpuErrorPortF0(cpu::clearFerr).attach(io);
        debugCon = new DebugConE9();
        debugCon.attach(io);
        new ExitPortF4(machine::exitRequested).attach(io);

        checkOutputs(config);
        com1Backend = serialBackend(config);
        com2Backend = config.serial2.equals("buffer") ? new BufferSerial(config.serial2Input, false)
                : SerialBackend.parse(config.serial2);
        com3Backend = SerialBackend.parse(config.serial3);
        com4Backend = SerialBackend.parse(config.serial4);
        inputWatch = new InputWatch(config.exitOnEof);
        int[][] com = {{0x3F8, 4}, {0x2F8, 3}, {0x3E8, 4}, {0x2E8, 3}};
        SerialBackend[] backends = {com1Backend, com2Backend, com3Backend, com4Backend};
        for (int i = 0; i < 4; i++) {
            uarts[i] = new Uart16550(com[i][0], isa(sinks, com[i][1]), backends[i], clock);
            uarts[i].setOut2GatesIrq(config.uartOut2GatesIrq);
            uarts[i].attach(io);
        }
        openDisks(config);
        AtaDrive[] d = new AtaDrive[4];
        for (int i = 0; i < drives.size(); i++) {
            d[i] = drives.get(i);
        }
        new AtaChannel(isa(sinks, 14), d[0], d[1]).attach(io, AtaChannel.PRIMARY_CMD, AtaChannel.PRIMARY_CTRL);
        new AtaChannel(isa(sinks, 15), d[2], d[3]).attach(io, AtaChannel.SECONDARY_CMD, AtaChannel.SECONDARY_CTRL);
        vga = new VgaText(mem);
        vga.attach(io);
        new PerfCounterDevice(machine.mmu(), clock, () -> cpu.instructions).register(io);
        if (config.display.equals("text")) {
            textDisplay = new TextDisplay(vga, System.out, clock);
            textDisplay.start();
        } else {
            textDisplay = null;
        }
        if (!config.keyboardInput.isEmpty()) {
            keyboardFeed = new KeyboardFeed(new BufferSerial(config.keyboardInput, false), kbc, clock);
        } else if (config.display.equals("text")) {
            keyboardFeed = new KeyboardFeed(StdioSerial.keyboard(), kbc, clock);   // the display has the keyboard
        } else {
            keyboardFeed = null;
        }
    }

    /** QEMU's fw_cfg: RAM size, one CPU, the command line and etc/e820 (the map INT 15h E820 gives). */
    private static FwCfg fwCfg(MachineConfig config, long ramBytes) {
        FwCfg fw = new FwCfg(ramBytes, 1, config.append);
        List<MemoryMap.Entry> map = MemoryMap.forRam((int) ramBytes);
        ByteBuffer e820 = ByteBuffer.allocate(20 * map.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (MemoryMap.Entry e : map) {
            e820.putLong(e.base()).putLong(e.length()).putInt(e.type());
        }
        fw.addFile("etc/e820", e820.array());
        return fw;
    }

    /** The wire for ISA IRQ {@code irq}: PIC input irq, I/O APIC pin irq (IRQ0 on pin 2, as the MP table says). */
    private static IrqLine isa(IrqSink[] sinks, int irq) {
        return new IrqLine(sinks, new int[] {irq, irq == 0 ? 2 : irq});
    }

    /** Every file the run will write is checked before anything is opened (jx86.host.OutputFile). */
    private static void checkOutputs(MachineConfig config) {
        if (config.serial.startsWith("file:") && config.serial.length() > 5) {
            OutputFile.check(Path.of(config.serial.substring(5)), "--serial file:", config.inputs());
        }
        for (String spec : List.of(config.serial2, config.serial3, config.serial4)) {
            if (spec.startsWith("file:") && spec.length() > 5) {
                OutputFile.check(Path.of(spec.substring(5)), "--serial file:", config.inputs());
            }
        }
        if (config.screenshot != null) {
            OutputFile.check(config.screenshot, "--screenshot", config.inputs());
        }
    }

    private static SerialBackend serialBackend(MachineConfig config) {
        if (config.serial.equals("buffer")) {
            BufferSerial b = new BufferSerial(config.serialInput, config.pacedInput);
            if (config.exitOnEof) {
                b.endInput();          // the scripted input is all there is
            }
            return b;
        }
        if (config.serial.equals("stdio")) {
            return new StdioSerial(config.echoInput);
        }
        return SerialBackend.parse(config.serial);
    }

    private void openDisks(MachineConfig config) {
        if (config.disks.size() > 4) {
            throw new BadImageException("at most 4 disks (primary and secondary master and slave)");
        }
        for (Path p : config.disks) {
            DiskBackend backend = DiskBackend.open(p, config.snapshot, false);
            disks.add(backend);
            drives.add(new AtaDrive(backend));
        }
    }

    /** The disks as INT 13h drives 80h, 81h ... */
    List<BiosDisk> biosDisks() {
        List<BiosDisk> list = new ArrayList<>();
        for (DiskBackend d : disks) {
            list.add(new BiosDisk() {
                @Override
                public long sectorCount() {
                    return d.sectorCount();
                }

                @Override
                public void readSector(long lba, byte[] buf, int off) {
                    try {
                        d.read(lba, buf, off);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void writeSector(long lba, byte[] buf, int off) {
                    try {
                        d.write(lba, buf, off);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return list;
    }

    /** MP tables and other firmware-provided structures. */
    void writeFirmwareTables() {
        // the processor entry's signature and feature word are CPUID's (one source: jx86.cpu.CpuModel)
        new MpTable(jx86.cpu.CpuModel.SIGNATURE, jx86.cpu.CpuModel.FEATURES_EDX)
                .writeTo(machine.memory(), MP_FLOATING_POINTER, MP_TABLE);
    }

    /** Called by the run loop between CPU slices: paces scripted input, ends a run at its end. */
    void afterSlice() {
        if (inputWatch.afterSlice(machine.clock().cycles, machine.clock().haltedCycles, uarts[0].inputIdle(),
                com1Backend)) {
            machine.inputEnded();
        }
    }

    /** Whether COM1's input has ended and the guest has taken all of it. */
    boolean inputEnded() {
        return com1Backend.inputEnded() && uarts[0].inputIdle();
    }

    /** True when no UART has received data waiting (in its FIFO or its back-end). */
    boolean serialInputIdle() {
        if (keyboardFeed != null && keyboardFeed.hasInput()) {
            return false;
        }
        for (Uart16550 u : uarts) {
            if (!u.inputIdle()) {
                return false;
            }
        }
        return true;
    }

    /** False when no input can ever arrive (a scripted buffer that is used up, or no input back-end). */
    boolean canReceiveInput() {
        if (keyboardFeed != null && (keyboardFeed.hasInput() || !(keyboardFeed.source() instanceof BufferSerial)
                && !keyboardFeed.source().inputEnded())) {
            return true;
        }
        if (com1Backend instanceof BufferSerial b) {
            return b.pendingInput() > 0;
        }
        return !(com1Backend instanceof jx86.host.NullSerial) && !(com1Backend instanceof jx86.host.FileSerial)
                && !com1Backend.inputEnded();
    }

    void awaitInput(long millis) {
        boolean com1Silent = com1Backend instanceof NullSerial || com1Backend instanceof jx86.host.FileSerial;
        if (keyboardFeed != null && com1Silent) {
            com1Backend.flush();
            keyboardFeed.source().awaitInput(millis);
            return;
        }
        com1Backend.awaitInput(millis);
    }

    void pollInput() {
        for (Uart16550 u : uarts) {
            u.pollInput();
        }
    }

    /** COM2's output when its back-end captures it ({@code serial2 = "buffer"}), else "". */
    public String capturedSerial2() {
        return com2Backend instanceof BufferSerial b ? b.output() : "";
    }

    String capturedSerial() {
        return com1Backend instanceof BufferSerial b ? b.output() : "";
    }

    String debugConsole() {
        return debugCon.output();
    }

    /** Flushes disks and serial output at the end of a run; writes the --screenshot. */
    void finish() {
        if (textDisplay != null) {
            textDisplay.refresh();
            textDisplay.stop();
        }
        if (machine.config().screenshot != null) {
            try {
                Screenshot.write(vga, machine.config().screenshot);
            } catch (IOException | RuntimeException e) {
                // the run is over: report it in one line and still flush the disks below
                System.err.println("jx86: --screenshot " + machine.config().screenshot + ": cannot write ("
                        + e.getMessage() + ")");
            }
        }
        try {
            com1Backend.flush();
        } catch (RuntimeException e) {
            // output already gone; nothing to report back to the guest
        }
        for (DiskBackend d : disks) {
            try {
                d.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("flushing disk image: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        for (DiskBackend d : disks) {
            try {
                d.close();
            } catch (Exception e) {
                // closing after a failed flush: the earlier error was already reported
            }
        }
        try {
            com1Backend.close();
            com2Backend.close();
            com3Backend.close();
            com4Backend.close();
            if (keyboardFeed != null) {
                keyboardFeed.source().close();
            }
        } catch (Exception e) {
            // terminal restore failure must not hide the run's result
        }
    }

    public I8259Pair pic() {
        return pic;
    }

    public LocalApic lapic() {
        return lapic;
    }

    public I8254 pit() {
        return pit;
    }

    public I8042 keyboard() {
        return kbc;
    }

    public CmosRtc cmos() {
        return cmos;
    }

    public VgaText vga() {
        return vga;
    }

    public Uart16550 com(int index) {
        return uarts[index];
    }

    /** COM{@code index + 1}'s back-end (the tools above the machine read captured output through it). */
    public jx86.host.SerialBackend serialBackend(int index) {
        return uarts[index].backend();
    }

    public PhysicalMemory memory() {
        return machine.memory();
    }
}
