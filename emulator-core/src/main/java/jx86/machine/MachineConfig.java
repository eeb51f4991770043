package jx86.machine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link PcMachine} is built from. Immutable; made with {@link #builder()}.
 * Defaults: 128 MiB, serial output captured in memory (tests), deterministic virtual time.
 */
public final class MachineConfig {
    /**
     * Guest RAM ends at 3 GiB at most: 0xC0000000-0xFFFFFFFF is the PC's hole for the APICs and
     * the BIOS alias (docs/machine.md); jx86 has no PAE, so no RAM is remapped above 4 GiB.
     */
    public static final int MAX_MEMORY_MIB = 3072;

    public final int memoryMiB;
    public final Path kernel;
    public final String append;
    /** A Linux bzImage's initial RAM disk (--initrd), or null. */
    public final Path initrd;
    public final List<Path> modules;
    public final List<Path> disks;
    public final boolean snapshot;
    /** COM1 back-end spec: "buffer" (captured, the default), "stdio", "file:F", "tcp:PORT", "none". */
    public final String serial;
    /** Bytes fed to COM1's receiver as the guest reads them (with the "buffer" back-end). */
    public final String serialInput;
    /** COM2 back-end spec, as {@link #serial} ("none" by default; a second {@code --serial}, as in QEMU). */
    public final String serial2;
    /** Bytes fed to COM2's receiver as the guest reads them (with the "buffer" back-end). */
    public final String serial2Input;
    public final long maxInstructions;
    public final double timeoutSeconds;
    public final boolean realtime;
    /** Whether the CPU runs pre-decoded instructions from its decoded-instruction cache (engine cache or jit). */
    public final boolean decodeCache;
    /** The execution engine ({@code --engine interp|cache|jit}). */
    public final jx86.cpu.Engine engine;
    /** {@code --cpu strict}: sensitive instructions trap at CPL > 0 (see {@code Cpu.setStrict}). */
    public final boolean cpuStrict;
    /** RTC start time in seconds since the epoch; null = the deterministic default. */
    public final Long rtcEpochSeconds;
    /** "none" or "text". */
    public final String display;
    public final Path screenshot;
    /**
     * End the run ({@link MachineEvent#INPUT_ENDED}) once COM1's input has ended (end of file on
     * piped standard input; the end of {@link #serialInput}), the guest has taken all of it, and
     * it then stayed idle for {@link InputWatch#EOF_GRACE_CYCLES} of virtual time.
     */
    public final boolean exitOnEof;
    /** With {@code serial = "stdio"} and piped input: keep the guest's echo of it in the output. */
    public final boolean echoInput;
    /**
     * Hand {@link #serialInput} to the guest a line at a time, each when the guest waits for input
     * (as {@code jx86 boot} does with piped standard input), instead of all at once (type-ahead).
     */
    public final boolean pacedInput;
    /** QEMU-style {@code -d} log items (e.g. "in_asm,int"), or null for no log (see jx86.cpu.CpuTrace). */
    public final String logItems;
    /** {@code --dfilter}: the linear address ranges the log keeps, or null for all. */
    public final String logFilter;
    /** {@code -D}: the log file, or null for standard error. */
    public final Path logFile;
    /** COM3 and COM4 back-end specs, as {@link #serial} ("none" by default; third and fourth {@code --serial}). */
    public final String serial3;
    public final String serial4;
    /**
     * Datasheet (PC/AT serial card) behaviour: a UART's interrupt reaches its IRQ line only while
     * MCR.OUT2 is set. False by default, as in QEMU, whose 16550 drives the line regardless of OUT2
     * ({@code -M out2-gates-irq=on}).
     */
    public final boolean uartOut2GatesIrq;
    /** Port 0xF4 exits with QEMU's isa-debug-exit status {@code (v << 1) | 1} instead of v ({@code -M debug-exit=qemu}). */
    public final boolean qemuDebugExit;
    /**
     * A Linux bzImage starts in its own real-mode setup code, which asks the BIOS for the memory
     * map and video mode, instead of at its 32-bit entry with boot_params filled by the loader
     * ({@code -M linux-entry=real}; default false: {@code linux-entry=protected}).
     */
    public final boolean linuxRealModeEntry;
    /** Characters typed on the keyboard (the 8042) as the guest takes them: tests and {@code --display text}. */
    public final String keyboardInput;

    private MachineConfig(Builder b) {
        this.logItems = b.logItems;
        this.logFilter = b.logFilter;
        this.logFile = b.logFile;
        this.memoryMiB = b.memoryMiB;
        this.kernel = b.kernel;
        this.append = b.append;
        this.initrd = b.initrd;
        this.modules = List.copyOf(b.modules);
        this.disks = List.copyOf(b.disks);
        this.snapshot = b.snapshot;
        this.serial = b.serial;
        this.serialInput = b.serialInput;
        this.serial2 = b.serial2;
        this.serial2Input = b.serial2Input;
        this.maxInstructions = b.maxInstructions;
        this.timeoutSeconds = b.timeoutSeconds;
        this.realtime = b.realtime;
        this.engine = b.engine;
        this.decodeCache = b.engine != jx86.cpu.Engine.INTERP;
        this.cpuStrict = b.cpuStrict;
        this.rtcEpochSeconds = b.rtcEpochSeconds;
        this.display = b.display;
        this.screenshot = b.screenshot;
        this.exitOnEof = b.exitOnEof;
        this.echoInput = b.echoInput;
        this.pacedInput = b.pacedInput;
        this.serial3 = b.serial3;
        this.serial4 = b.serial4;
        this.uartOut2GatesIrq = b.uartOut2GatesIrq;
        this.qemuDebugExit = b.qemuDebugExit;
        this.linuxRealModeEntry = b.linuxRealModeEntry;
        this.keyboardInput = b.keyboardInput;
    }

    /** The files this run reads (kernel, modules, disks): outputs may never be one of them. */
    public List<Path> inputs() {
        List<Path> all = new ArrayList<>(disks);
        all.addAll(modules);
        if (kernel != null) {
            all.add(kernel);
        }
        if (initrd != null) {
            all.add(initrd);
        }
        return all;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with QEMU-like defaults. */
    public static final class Builder {
        private int memoryMiB = 128;
        private Path kernel;
        private String append = "";
        private Path initrd;

        /** The initial RAM disk of a Linux bzImage kernel. */
        public Builder initrd(Path value) {
            this.initrd = value;
            return this;
        }
        private final List<Path> modules = new ArrayList<>();
        private final List<Path> disks = new ArrayList<>();
        private boolean snapshot;
        private String serial = "buffer";
        private String serialInput = "";
        private String serial2 = "none";
        private String serial2Input = "";
        private long maxInstructions;
        private double timeoutSeconds;
        private boolean realtime;
        private jx86.cpu.Engine engine = jx86.cpu.Engine.JIT;
        private boolean cpuStrict;
        private Long rtcEpochSeconds;
        private String display = "none";
        private Path screenshot;
        private boolean exitOnEof;
        private boolean echoInput = true;
        private boolean pacedInput;
        private String logItems;
        private String logFilter;
        private Path logFile;

        /** QEMU-style execution log: items ({@code in_asm,exec,int,cpu_reset,mmu}), address ranges (null: all), file (null: stderr). */
        public Builder log(String items, String filter, Path file) {
            this.logItems = items;
            this.logFilter = filter;
            this.logFile = file;
            return this;
        }

        private String serial3 = "none";
        private String serial4 = "none";
        private boolean uartOut2GatesIrq;
        private boolean qemuDebugExit;
        private boolean linuxRealModeEntry;
        private String keyboardInput = "";

        /** COM3's back-end spec ("none" by default). */
        public Builder serial3(String value) {
            this.serial3 = value;
            return this;
        }

        /** COM4's back-end spec ("none" by default). */
        public Builder serial4(String value) {
            this.serial4 = value;
            return this;
        }

        /** Gate each UART's IRQ on MCR.OUT2 as the PC/AT serial card does (default false, as QEMU). */
        public Builder uartOut2GatesIrq(boolean value) {
            this.uartOut2GatesIrq = value;
            return this;
        }

        /** Exit-port writes end the run with status (v << 1) | 1, as QEMU's isa-debug-exit (default false). */
        public Builder qemuDebugExit(boolean value) {
            this.qemuDebugExit = value;
            return this;
        }

        /** Start a Linux bzImage in its real-mode setup code rather than at its 32-bit entry (default false). */
        public Builder linuxRealModeEntry(boolean value) {
            this.linuxRealModeEntry = value;
            return this;
        }

        /** Keys typed at the 8042 keyboard, one character each time the guest has taken the last one. */
        public Builder keyboardInput(String value) {
            this.keyboardInput = value == null ? "" : value;
            return this;
        }

        public Builder memoryMiB(int value) {
            this.memoryMiB = value;
            return this;
        }

        public Builder kernel(Path value) {
            this.kernel = value;
            return this;
        }

        public Builder append(String value) {
            this.append = value == null ? "" : value;
            return this;
        }

        public Builder module(Path value) {
            this.modules.add(value);
            return this;
        }

        public Builder disk(Path value) {
            this.disks.add(value);
            return this;
        }

        public Builder snapshot(boolean value) {
            this.snapshot = value;
            return this;
        }

        public Builder serial(String value) {
            this.serial = value;
            return this;
        }

        /** COM2's back-end: "buffer", "stdio", "file:F", "tcp:PORT" or "none" (the default). */
        public Builder serial2(String value) {
            this.serial2 = value;
            return this;
        }

        /** Bytes for COM2's receiver (with serial2 "buffer"), all at once (type-ahead). */
        public Builder serial2Input(String value) {
            this.serial2Input = value == null ? "" : value;
            return this;
        }

        public Builder serialInput(String value) {
            this.serialInput = value == null ? "" : value;
            return this;
        }

        /** Stops the run after this many instructions (0 = no limit). */
        public Builder maxInstructions(long value) {
            this.maxInstructions = value;
            return this;
        }

        /** Stops the run after this much wall time (0 = no limit). */
        public Builder timeoutSeconds(double value) {
            this.timeoutSeconds = value;
            return this;
        }

        public Builder realtime(boolean value) {
            this.realtime = value;
            return this;
        }

        /** Run cached, pre-decoded instructions (default); false decodes every instruction again. */
        public Builder cpuStrict(boolean value) {
            this.cpuStrict = value;
            return this;
        }

        /** false selects the plain interpreter, true the decoded-instruction cache (see {@link #engine}). */
        public Builder decodeCache(boolean value) {
            this.engine = value ? jx86.cpu.Engine.CACHE : jx86.cpu.Engine.INTERP;
            return this;
        }

        public Builder engine(jx86.cpu.Engine value) {
            this.engine = java.util.Objects.requireNonNull(value);
            return this;
        }

        public Builder rtcEpochSeconds(Long value) {
            this.rtcEpochSeconds = value;
            return this;
        }

        public Builder display(String value) {
            this.display = value;
            return this;
        }

        public Builder screenshot(Path value) {
            this.screenshot = value;
            return this;
        }

        /** End the run when the serial input has ended and the guest has gone idle (default false). */
        public Builder exitOnEof(boolean value) {
            this.exitOnEof = value;
            return this;
        }

        /** Keep the guest's echo of piped standard input in the output (default true). */
        public Builder echoInput(boolean value) {
            this.echoInput = value;
            return this;
        }

        /** Hand the serial input over a line at a time when the guest waits for it (default false). */
        public Builder pacedInput(boolean value) {
            this.pacedInput = value;
            return this;
        }

        public MachineConfig build() {
            if (memoryMiB < 2 || memoryMiB > MAX_MEMORY_MIB) {
                throw new IllegalArgumentException("memory size must be between 2 and " + MAX_MEMORY_MIB + " MiB");
            }
            return new MachineConfig(this);
        }
    }
}
