package jx86.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.devices.ata.AtaChannel;
import jx86.devices.ata.AtaDrive;
import jx86.devices.pic.I8259Pair;
import jx86.devices.pit.I8254;
import jx86.devices.uart.Uart16550;
import jx86.firmware.BadImageException;
import jx86.firmware.BiosDisk;
import jx86.host.BufferSerial;
import jx86.host.DiskBackend;
import jx86.host.NullSerial;
import jx86.host.SerialBackend;
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
    private final PcMachine machine;
    private final I8259Pair pic;
    private final I8254 pit;
    private final Uart16550[] uarts = new Uart16550[4];
    private final SerialBackend com1Backend;
    private final List<DiskBackend> disks = new ArrayList<>();
    private final List<AtaDrive> drives = new ArrayList<>();
    private final StringBuilder debugCon = new StringBuilder();

    Devices(PcMachine machine, MachineConfig config) {
        this.machine = machine;
        IoBus io = machine.io();
        VirtualClock clock = machine.clock();
        Cpu cpu = machine.cpu();
        pic = new I8259Pair(cpu::setIntr);
        pic.attach(io);
        cpu.setInterruptController(pic);
        IrqSink[] sinks = {pic};
        pit = new I8254(clock, irq(sinks, 0));
        pit.attach(io);
        com1Backend = serialBackend(config);
        int[][] com = {{0x3F8, 4}, {0x2F8, 3}, {0x3E8, 4}, {0x2E8, 3}};
        for (int i = 0; i < 4; i++) {
            SerialBackend backend = i == 0 ? com1Backend : new NullSerial();
            uarts[i] = new Uart16550(com[i][0], irq(sinks, com[i][1]), backend, clock);
            uarts[i].attach(io);
        }
        openDisks(config);
        AtaDrive[] d = new AtaDrive[4];
        for (int i = 0; i < drives.size(); i++) {
            d[i] = drives.get(i);
        }
        new AtaChannel(irq(sinks, 14), d[0], d[1]).attach(io, AtaChannel.PRIMARY_CMD, AtaChannel.PRIMARY_CTRL);
        new AtaChannel(irq(sinks, 15), d[2], d[3]).attach(io, AtaChannel.SECONDARY_CMD, AtaChannel.SECONDARY_CTRL);
        new PerfCounterDevice(machine.mmu(), clock, () -> cpu.instructions).register(io);
        io.register(0xF4, 1, "exit port", IoBus.W_ALL, new jx86.bus.IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return size == 4 ? -1 : (1 << (8 * size)) - 1;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                machine.exitRequested(value);
            }
        });
    }

    private static IrqLine irq(IrqSink[] sinks, int line) {
        int[] pins = new int[sinks.length];
        java.util.Arrays.fill(pins, line);
        return new IrqLine(sinks, pins);
    }

    private static SerialBackend serialBackend(MachineConfig config) {
        if (config.serial.equals("buffer")) {
            return new BufferSerial(config.serialInput);
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
    }

    /** Called by the run loop between CPU slices. */
    void afterSlice() {
    }

    /** True when no UART has received data waiting (in its FIFO or its back-end). */
    boolean serialInputIdle() {
        for (Uart16550 u : uarts) {
            if (!u.inputIdle()) {
                return false;
            }
        }
        return true;
    }

    /** False when no input can ever arrive (a scripted buffer that is used up, or no input back-end). */
    boolean canReceiveInput() {
        if (com1Backend instanceof BufferSerial b) {
            return b.pendingInput() > 0;
        }
        return !(com1Backend instanceof jx86.host.NullSerial) && !(com1Backend instanceof jx86.host.FileSerial);
    }

    void awaitInput(long millis) {
        com1Backend.awaitInput(millis);
    }

    void pollInput() {
        uarts[0].pollInput();
    }

    String capturedSerial() {
        return com1Backend instanceof BufferSerial b ? b.output() : "";
    }

    String debugConsole() {
        return debugCon.toString();
    }

    /** Flushes disks and serial output at the end of a run. */
    void finish() {
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
        } catch (Exception e) {
            // terminal restore failure must not hide the run's result
        }
    }

    public I8259Pair pic() {
        return pic;
    }

    public PhysicalMemory memory() {
        return machine.memory();
    }
}
