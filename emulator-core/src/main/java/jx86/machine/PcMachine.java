package jx86.machine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.cpu.CpuTrace;
import jx86.cpu.StopReason;
import jx86.firmware.BadImageException;
import jx86.firmware.Bios;
import jx86.firmware.BiosDisk;
import jx86.firmware.LinuxLoader;
import jx86.firmware.MultibootLoader;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;

/**
 * The PC: the composition root that builds every device through its constructor, in dependency
 * order, from a {@link MachineConfig}, and the run loop that turns CPU stops into machine events.
 * No global state: any number of machines can run side by side in one JVM.
 *
 * <pre>
 *   CPU ── Mmu ── PhysicalMemory ── RAM / ROM / MMIO (local APIC, I/O APIC)
 *    │                     IoBus ── PIC pair, PIT, CMOS, 8042, port 92, UARTs, ATA, VGA, debug ports
 *    └─ INTR ◄── InterruptRouter ◄── PIC pair / local APIC ◄── IrqLines ◄── devices
 * </pre>
 */
public final class PcMachine implements AutoCloseable {
    /** Instructions per CPU slice between host-side checks (timeout, realtime pacing, limits). */
    private static final long SLICE = 200_000;
    /**
     * A run with an instruction limit also ends after this many virtual cycles per allowed
     * instruction, so a guest that halts forever while masked timers keep firing still ends.
     */
    static final long IDLE_CYCLES_PER_INSTRUCTION = 10;

    private final MachineConfig config;
    private final VirtualClock clock = new VirtualClock();
    private final PhysicalMemory memory;
    private final IoBus io = new IoBus();
    private final Mmu mmu;
    private final Cpu cpu;
    /** The -d execution log, or null. */
    private final CpuTrace trace;
    private final Devices devices;
    private MachineEvent event;
    private int exitPortValue;
    /** System.nanoTime() when the run started (0: not yet); wall limits count from here. */
    private long runStartNanos;
    /** The attached debugger stub (--gdb), or null: the run loop then calls the CPU directly. */
    private Debugger debugger;

    /**
     * A run-control hook for a debugger stub (jx86.debug.gdb). When one is set, the run loop asks it
     * to run each slice instead of calling {@link Cpu#run} itself, so it can stop before breakpoints,
     * single-step and serve its connection while the guest is stopped; the machine's own events
     * (exit port, limits, HLT idling) work as without it. Everything runs on the machine thread.
     */
    public interface Debugger {
        /**
         * Runs at most {@code budget} guest instructions (fewer at a breakpoint, after a step, or while
         * stopped) and returns why it returned, like {@link Cpu#run}; may block serving the debugger.
         */
        StopReason run(long budget);

        /** True when the debugger wants the guest stopped (Ctrl-C, a new connection): ends HLT idling. */
        boolean wantsControl();

        /** True when the debugger asked to end the run (GDB's {@code k}). */
        boolean killed();

        /** The run ended with {@code event}; tells the debugger (GDB's W/X reply) and releases it. */
        void machineEnded(MachineEvent event, int exitPortValue);
    }

    public PcMachine(MachineConfig config) {
        this.config = config;
        StartupTrace.mark("machine: construction starts");
        this.memory = new PhysicalMemory((long) config.memoryMiB << 20);
        StartupTrace.mark("machine: RAM allocated");
        this.mmu = new Mmu(memory, clock);
        this.cpu = new Cpu(mmu, io, clock);
        StartupTrace.mark("machine: MMU and CPU built");
        cpu.setEngine(config.engine);
        cpu.setStrict(config.cpuStrict);
        this.trace = openTrace(config);
        cpu.setTrace(trace);
        this.devices = new Devices(this, config);
        StartupTrace.mark("machine: devices built");
    }

    /** The -d log, or null; IllegalArgumentException (one line) for bad items, ranges or an unwritable file. */
    private static CpuTrace openTrace(MachineConfig config) {
        if (config.logItems == null) {
            return null;
        }
        CpuTrace.parse(config.logItems, config.logFilter, System.err); // check before creating the file
        if (config.logFile == null) {
            return CpuTrace.parse(config.logItems, config.logFilter, System.err);
        }
        jx86.host.OutputFile.check(config.logFile, "-D", config.inputs());
        try {
            PrintStream out = new PrintStream(new BufferedOutputStream(Files.newOutputStream(config.logFile), 1 << 16),
                    false, StandardCharsets.UTF_8);
            return CpuTrace.parse(config.logItems, config.logFilter, out);
        } catch (IOException e) {
            throw new IllegalArgumentException("-D " + config.logFile + ": cannot write the log (" + e.getMessage() + ")");
        }
    }

    /** Builds a machine from {@code config}, boots it, runs it to its end and releases its files. */
    public static RunResult run(MachineConfig config) {
        try (PcMachine machine = new PcMachine(config)) {
            machine.boot();
            return machine.runToEnd();
        }
    }

    // accessors for Devices, the CLI (--stats) and tests
    public Cpu cpu() {
        return cpu;
    }

    /** Runs the CPU for at most {@code budget} instructions (for run-control hooks above the machine). */
    public StopReason runCpu(long budget) {
        return cpu.run(budget);
    }

    /** Guest instructions retired so far. */
    public long instructions() {
        return cpu.instructions;
    }

    public Mmu mmu() {
        return mmu;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public IoBus io() {
        return io;
    }

    public VirtualClock clock() {
        return clock;
    }

    public MachineConfig config() {
        return config;
    }

    public Devices devices() {
        return devices;
    }

    /** Attaches a debugger stub before {@link #runToEnd}; null detaches. */
    public void setDebugger(Debugger value) {
        this.debugger = value;
    }

    /** Called by the exit port (0xF4). */
    void exitRequested(int value) {
        if (event == null) {
            event = MachineEvent.EXIT_PORT;
            exitPortValue = value;
        }
        cpu.requestStop();
    }

    /** Called by {@link Devices} when the serial input has ended and the guest went idle (exitOnEof). */
    void inputEnded() {
        if (event == null) {
            event = MachineEvent.INPUT_ENDED;
        }
        cpu.requestStop();
    }

    /** Called by the 8042 (command 0xFE) and port 0x92 (bit 0). */
    void resetRequested() {
        if (event == null) {
            event = MachineEvent.RESET;
        }
        cpu.requestStop();
    }

    /** POST, then the boot path: a multiboot kernel if one is configured, else the first disk's boot sector. */
    public void boot() {
        Bios bios = new Bios(memory, io, devices.biosDisks());
        cpu.setFirmware(bios);
        bios.install();
        devices.writeFirmwareTables();
        bios.post();
        StartupTrace.mark("machine: BIOS POST done");
        if (config.kernel != null) {
            byte[] kernel = readFile(config.kernel, "kernel");
            if (LinuxLoader.isBzImage(kernel)) {
                byte[] initrd = config.initrd == null ? null : readFile(config.initrd, "initrd");
                new LinuxLoader(memory).load(cpu, kernel, config.kernel.toString(), initrd, config.append,
                        config.linuxRealModeEntry ? LinuxLoader.Entry.REAL : LinuxLoader.Entry.PROTECTED);
                return;
            }
            if (config.initrd != null) {
                throw new BadImageException("--initrd: " + config.kernel + " is not a Linux bzImage (use --module)");
            }
            List<MultibootLoader.Module> modules = new ArrayList<>();
            for (Path m : config.modules) {
                modules.add(new MultibootLoader.Module(readFile(m, "module"), m.toString()));
            }
            new MultibootLoader(memory).load(cpu, kernel, config.kernel.toString(), config.append, modules);
        } else if (!config.disks.isEmpty()) {
            bios.bootFromDisk(cpu, config.disks.get(0).toString());
        } else {
            throw new BadImageException("nothing to boot: give a disk image or --kernel");
        }
    }

    static byte[] readFile(Path path, String what) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BadImageException(what + " " + path + ": cannot read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** Runs until a machine event; never throws for anything the guest does. */
    public RunResult runToEnd() {
        runUntil(() -> false);
        return finishRun();
    }

    /**
     * Runs until a machine event (returned) or until {@code pause}, asked between CPU slices and
     * while the CPU idles, returns true (null is returned; call again to go on). To pause at an exact
     * instruction boundary, have the machine thread call {@link Cpu#requestStop} (from a device or a
     * clock timer) and let {@code pause} see it: the request is cleared when the run goes on. Wall
     * time limits (--timeout, --realtime) count from the first call.
     */
    public MachineEvent runUntil(BooleanSupplier pause) {
        if (runStartNanos == 0) {
            runStartNanos = System.nanoTime();
        }
        long wallStart = runStartNanos;
        long limit = config.maxInstructions > 0 ? config.maxInstructions : Long.MAX_VALUE;
        long timeoutNanos = config.timeoutSeconds > 0 ? (long) (config.timeoutSeconds * 1e9) : Long.MAX_VALUE;
        while (event == null) {
            if (pause.getAsBoolean()) {
                return null;
            }
            if (cpu.stopRequested()) {
                cpu.clearStopRequest();     // a pause request already served
            }
            long remaining = limit - cpu.instructions;
            if (remaining <= 0) {
                event = MachineEvent.INSTRUCTION_LIMIT;
                break;
            }
            StopReason stop = debugger == null ? cpu.run(Math.min(SLICE, remaining))
                    : debugger.run(Math.min(SLICE, remaining));
            if (event != null) {
                break;
            }
            if (debugger != null && debugger.killed()) {
                event = MachineEvent.KILLED;
                break;
            }
            switch (stop) {
                case TRIPLE_FAULT -> event = MachineEvent.TRIPLE_FAULT;
                case HALTED_FOREVER -> event = MachineEvent.HALTED_FOREVER;
                case HALTED -> idle(wallStart, timeoutNanos, pause);
                default -> { }
            }
            if (event == null && System.nanoTime() - wallStart > timeoutNanos) {
                event = MachineEvent.TIMEOUT;
            }
            if (config.realtime) {
                pace(wallStart);
            }
            devices.afterSlice();
        }
        return event;
    }

    /** Ends the run with {@code reason} unless it has already ended (a harness's stop or time limit). */
    public void endRun(MachineEvent reason) {
        if (event == null) {
            event = reason;
        }
    }

    /** After the run's event: tells an attached debugger, flushes devices and returns the result. */
    public RunResult finishRun() {
        if (StartupTrace.enabled()) {
            StartupTrace.mark("machine: run ended (" + event + ", " + cpu.instructions + " instructions)");
        }
        if (debugger != null) {
            debugger.machineEnded(event, exitPortValue);
        }
        devices.finish();
        return new RunResult(event, exitPortValue, devices.capturedSerial(), devices.debugConsole(),
                cpu.instructions, clock.cycles, config.qemuDebugExit);
    }

    /**
     * The CPU halted with interrupts enabled: advance virtual time to the next device event
     * (deterministic, and no host core burns), or, if no timer is armed, wait for host input.
     */
    private void idle(long wallStart, long timeoutNanos, BooleanSupplier pause) {
        long cycleLimit = config.maxInstructions > 0
                ? config.maxInstructions * IDLE_CYCLES_PER_INSTRUCTION : Long.MAX_VALUE;
        while (cpu.halted() && event == null && !cpu.stopRequested() && !pause.getAsBoolean()) {
            if (debugger != null && debugger.wantsControl()) {
                return;
            }
            if (clock.cycles >= cycleLimit) {
                event = MachineEvent.INSTRUCTION_LIMIT;
                return;
            }
            if (System.nanoTime() - wallStart > timeoutNanos) {
                event = MachineEvent.TIMEOUT;
                return;
            }
            if (clock.hasWakeTimer() || !devices.serialInputIdle()) {
                clock.skipToNextEvent();
                if (config.realtime) {
                    pace(wallStart);
                }
                clock.runDueEvents();
                if (cpu.intr() || cpu.nmiPending()) {
                    return;
                }
                continue;
            }
            if (!devices.canReceiveInput()) {
                event = config.exitOnEof && devices.inputEnded() ? MachineEvent.INPUT_ENDED
                        : MachineEvent.HALTED_FOREVER;
                return;
            }
            devices.awaitInput(50);
            devices.pollInput();
            if (cpu.intr() || System.nanoTime() - wallStart > timeoutNanos) {
                return;
            }
        }
    }

    /** --realtime: sleeps while virtual time runs ahead of the wall clock. */
    private void pace(long wallStart) {
        long aheadNanos = clock.nanos() - (System.nanoTime() - wallStart);
        if (aheadNanos > 1_000_000) {
            try {
                Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                event = MachineEvent.TIMEOUT;
            }
        }
    }

    public MachineEvent event() {
        return event;
    }

    @Override
    public void close() {
        devices.close();
        if (trace != null) {
            trace.close();
        }
    }
}
