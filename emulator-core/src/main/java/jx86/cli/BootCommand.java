package jx86.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jx86.debug.gdb.GdbStub;
import jx86.firmware.BadImageException;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.machine.StartupTrace;
import jx86.machine.Stats;
import jx86.memory.PhysicalMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jx86 boot}: builds a PC and boots a disk image or a multiboot kernel. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a disk image (or a bare name such as 'monolithic') or a multiboot kernel.")
public final class BootCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "IMAGE",
            description = "Disk image file or bare image name; default: the default guest.")
    String image;

    @Option(names = "--disk", paramLabel = "FILE", description = "Additional disk image (repeatable).")
    List<String> disks = new ArrayList<>();

    @Option(names = "-hda", paramLabel = "FILE", description = "QEMU spelling: the first disk (instead of IMAGE).")
    String hda;

    @Option(names = "-hdb", paramLabel = "FILE", description = "QEMU spelling: the second disk (primary slave).")
    String hdb;

    @Option(names = {"--initrd", "-initrd"}, paramLabel = "FILES",
            description = "A Linux bzImage's initial RAM disk; with a Multiboot kernel, QEMU's module list:"
                    + " comma-separated, each 'path args'.")
    String initrd;

    @Option(names = "-nographic", description = "QEMU spelling: no display, the serial port on the terminal"
            + " (jx86's default).")
    boolean nographic;

    @Option(names = "-no-reboot", description = "QEMU spelling: a guest reset ends the run (jx86 always does so).")
    boolean noReboot;

    @Option(names = {"-M", "--machine"}, paramLabel = "PROPS",
            description = "Compatibility options, comma-separated (an optional leading 'pc' is ignored): "
                    + "out2-gates-irq=on|off (16550 IRQ gated by MCR.OUT2, default off as in QEMU), "
                    + "debug-exit=jx86|qemu (port 0xF4 exit status v, or QEMU's (v << 1) | 1), "
                    + "linux-entry=protected|real (a bzImage's 32-bit entry, or its real-mode setup code).")
    List<String> machineProps = new ArrayList<>();

    @Option(names = "-m", paramLabel = "MiB", description = "RAM size in MiB (default ${DEFAULT-VALUE}).")
    int memoryMiB = 128;

    @Option(names = {"--kernel", "-kernel"}, paramLabel = "ELF", description = "Boot a multiboot ELF kernel directly.")
    String kernel;

    @Option(names = {"--append", "-append"}, paramLabel = "CMDLINE",
            description = "Kernel command line: Multiboot's with --kernel; with a disk image, appended to the"
                    + " boot loader's (through fw_cfg).")
    String append = "";

    @Option(names = "--module", paramLabel = "FILE", description = "Multiboot module (repeatable, with --kernel).")
    List<String> modules = new ArrayList<>();

    @Option(names = {"--serial", "-serial"}, paramLabel = "BACKEND",
            description = "Serial port back-end: stdio, file:F, tcp:PORT, tcp:[HOST]:PORT,server[,wait|,nowait]"
                    + " or none; once per port, as in QEMU: COM1 (default stdio), then COM2, COM3, COM4"
                    + " (default none).")
    List<String> serials = new ArrayList<>();

    /** COM1's back-end spec (the first --serial). */
    String serial = "stdio";

    @Option(names = "--display", paramLabel = "MODE", description = "none or text (default ${DEFAULT-VALUE}).")
    String display = "none";

    @Option(names = "--screenshot", paramLabel = "FILE.png", description = "Write the final text screen as PNG.")
    String screenshot;

    @Option(names = "--snapshot", description = "Keep disk writes in a copy-on-write overlay; images stay untouched.")
    boolean snapshot;

    @Option(names = "--stats", description = "Print CPU, TLB and cycle counters at exit.")
    boolean stats;

    @Option(names = "--max-instructions", paramLabel = "N", description = "Stop after N guest instructions.")
    long maxInstructions;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this much wall time.")
    double timeoutSeconds;

    @Option(names = "--realtime", description = "Pace virtual time to the wall clock.")
    boolean realtime;

    @Option(names = "--no-decode-cache",
            description = "Same as --engine interp (kept for scripts written before --engine).")
    boolean noDecodeCache;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "interp (decode every instruction again), cache (decoded-instruction cache) or jit "
                    + "(hot blocks translated to JVM bytecode); same results and virtual time on each (default: jit).")
    String engine;

    @Option(names = "--cpu", paramLabel = "MODEL",
            description = "faithful (IA-32 as it is) or strict (sensitive instructions trap at CPL > 0:"
                    + " classically virtualizable; see docs/vmm.md). Default ${DEFAULT-VALUE}.")
    String cpu = "faithful";

    @Option(names = "--rtc", paramLabel = "SOURCE", description = "RTC time: virtual or host (default ${DEFAULT-VALUE}).")
    String rtc = "virtual";

    @Option(names = "--exit-on-eof",
            description = "With piped input: end the run (status 76) once standard input is used up and the "
                    + "guest has been idle for one virtual second.")
    boolean exitOnEof;

    @Option(names = "--echo-input",
            description = "With piped input: keep the guest's echo of each input line in the output.")
    boolean echoInput;

    @Option(names = "--gdb", paramLabel = "PORT",
            description = "Listen for a GDB remote connection on 127.0.0.1:PORT (see docs/debugging.md).")
    Integer gdbPort;

    @Option(names = "-S", description = "With --gdb: wait for the debugger before the first instruction.")
    boolean waitForGdb;

    @Option(names = "-d", paramLabel = "ITEMS",
            description = "QEMU-style log of in_asm, exec, int, cpu_reset, mmu (comma-separated; see docs/cpu.md).")
    String logItems;

    @Option(names = "-D", paramLabel = "FILE", description = "With -d: write the log to FILE (default: standard error).")
    String logFile;

    @Option(names = {"--dfilter", "-dfilter"}, paramLabel = "RANGES",
            description = "With -d: only log code at these linear addresses (START..END or START+LENGTH, comma-separated).")
    String logFilter;

    /** Whether the kernel file starts like a Linux bzImage (then --initrd is its RAM disk, not modules). */
    private static boolean isBzImage(Path kernel) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(kernel)) {
            return jx86.firmware.LinuxLoader.isBzImage(in.readNBytes(4096));
        } catch (IOException e) {
            return false;          // unreadable: the machine reports it in one line when it loads the kernel
        }
    }

    /** -M/--machine: pc[,]out2-gates-irq=on|off,debug-exit=jx86|qemu,linux-entry=protected|real. */
    private void applyMachineProps(MachineConfig.Builder b) {
        for (String list : machineProps) {
            for (String prop : list.split(",")) {
                if (prop.isEmpty() || prop.equals("pc")) {
                    continue;
                }
                String[] kv = prop.split("=", 2);
                String value = kv.length == 2 ? kv[1] : "";
                switch (kv[0]) {
                    case "out2-gates-irq" -> b.uartOut2GatesIrq(onOff("-M out2-gates-irq", value));
                    case "debug-exit" -> {
                        if (!value.equals("qemu") && !value.equals("jx86")) {
                            throw new UserError("-M debug-exit=" + value + ": expected 'jx86' or 'qemu'");
                        }
                        b.qemuDebugExit(value.equals("qemu"));
                    }
                    case "linux-entry" -> {
                        if (!value.equals("protected") && !value.equals("real")) {
                            throw new UserError("-M linux-entry=" + value + ": expected 'protected' or 'real'");
                        }
                        b.linuxRealModeEntry(value.equals("real"));
                    }
                    default -> throw new UserError("-M " + prop + ": unknown machine option"
                            + " (known: out2-gates-irq=on|off, debug-exit=jx86|qemu, linux-entry=protected|real)");
                }
            }
        }
    }

    private static boolean onOff(String what, String value) {
        return switch (value) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new UserError(what + "=" + value + ": expected 'on' or 'off'");
        };
    }

    /** Listens for GDB (127.0.0.1 only, like QEMU's default) and attaches the stub to the machine. */
    private GdbStub openGdbStub(PcMachine machine) {
        GdbStub stub;
        try {
            stub = new GdbStub(machine, gdbPort, waitForGdb);
        } catch (IOException e) {
            throw new UserError("--gdb " + gdbPort + ": cannot listen on 127.0.0.1:" + gdbPort + " ("
                    + e.getMessage() + ")");
        }
        machine.setDebugger(stub);
        System.err.println("jx86: gdb stub listening on 127.0.0.1:" + stub.port()
                + (waitForGdb ? "; waiting for the debugger (target remote :" + stub.port() + ")" : ""));
        return stub;
    }

    /** Heap the machine needs beyond its RAM: TLBs, the decode cache, devices, the JIT's data. */
    private static final long HEAP_OVERHEAD = 96L << 20;

    /**
     * Java heap a machine with {@code memoryMiB} of RAM needs: the RAM chunks, the code-write
     * tracker's 12 bytes per 4 KiB page (under RAM / 256) and {@link #HEAP_OVERHEAD}.
     */
    static long heapNeeded(int memoryMiB) {
        long ram = (long) memoryMiB << 20;
        return ram + ram / 256 + HEAP_OVERHEAD;
    }

    /** A JVM heap too small for the guest's RAM is one line with a hint, not an OutOfMemoryError later. */
    static void checkHeap(int memoryMiB) {
        String problem = heapProblem(memoryMiB);
        if (problem != null) {
            throw new UserError("-m " + memoryMiB + ": " + problem);
        }
    }

    /** Null when this JVM's heap can hold a machine with {@code memoryMiB} of RAM, else the hint (no prefix). */
    static String heapProblem(int memoryMiB) {
        long max = Runtime.getRuntime().maxMemory();
        return max != Long.MAX_VALUE && heapNeeded(memoryMiB) > max ? heapHint(memoryMiB, "the JVM has " + (max >> 20) + " MiB") : null;
    }

    /**
     * Room the hinted -Xmx leaves above the need: a collector's maximum heap can be below -Xmx
     * (the parallel collector's, which the launcher chooses, by a survivor space: 1003 MiB for
     * -Xmx1g with its 64 MiB young generation), and the hint must be a setting that works.
     */
    static final long HINT_MARGIN = 64L << 20;

    /** The -Xmx, in GiB, that the hint names for {@code memoryMiB} of RAM. */
    static long hintedHeapGiB(int memoryMiB) {
        return ((heapNeeded(memoryMiB) + HINT_MARGIN) >> 30) + 1;
    }

    /** How much heap {@code memoryMiB} of RAM needs and a JX86_JAVA_OPTS setting that gives it. */
    static String heapHint(int memoryMiB, String have) {
        long needed = heapNeeded(memoryMiB);
        return "needs about " + (needed >> 20) + " MiB of Java heap but " + have
                + "; raise it, e.g. JX86_JAVA_OPTS=-Xmx" + hintedHeapGiB(memoryMiB) + "g";
    }

    @Override
    public Integer call() {
        if (serials.size() > 4) {
            throw new UserError("--serial: at most four (COM1-COM4)");
        }
        if (!serials.isEmpty()) {
            serial = serials.get(0);
        }
        String[] com = new String[4];
        for (int i = 0; i < 4; i++) {
            com[i] = i < serials.size() ? serials.get(i) : i == 0 ? serial : "none";
            if (i > 0 && com[i].equals("stdio") && java.util.Arrays.asList(com).subList(0, i).contains("stdio")) {
                throw new UserError("--serial: only one port can be stdio (COM" + (i + 1) + ")");
            }
            if (!SerialSpec.valid(com[i])) {
                throw new UserError("--serial " + com[i] + ": expected stdio, file:F, tcp:PORT,"
                        + " tcp:[HOST]:PORT,server[,wait|,nowait] or none");
            }
        }
        if (nographic && display.equals("text")) {
            throw new UserError("-nographic and --display text contradict each other");
        }
        jx86.cpu.Engine eng = Engines.select(engine, noDecodeCache);
        MachineConfig.Builder b = MachineConfig.builder()
                .engine(eng)
                .serial2(com[1])
                .serial3(com[2])
                .serial4(com[3])
                .memoryMiB(memoryMiB)
                .serial(serial)
                .maxInstructions(maxInstructions)
                .timeoutSeconds(timeoutSeconds)
                .realtime(realtime)
                .display(display)
                .snapshot(snapshot)
                .exitOnEof(exitOnEof)
                .echoInput(echoInput)
                .append(append);
        if (memoryMiB < 2 || memoryMiB > MachineConfig.MAX_MEMORY_MIB) {
            throw new UserError("-m " + memoryMiB + ": memory size must be between 2 and " + MachineConfig.MAX_MEMORY_MIB + " MiB");
        }
        checkHeap(memoryMiB);
        if (maxInstructions < 0) {
            throw new UserError("--max-instructions " + maxInstructions + ": expected a count >= 0 (0: no limit)");
        }
        if (timeoutSeconds < 0) {
            throw new UserError("--timeout " + timeoutSeconds + ": expected seconds >= 0 (0: no limit)");
        }
        switch (cpu) {
            case "faithful" -> { }
            case "strict" -> b.cpuStrict(true);
            default -> throw new UserError("--cpu " + cpu + ": expected 'faithful' or 'strict'");
        }
        switch (rtc) {
            case "virtual" -> { }
            case "host" -> b.rtcEpochSeconds(java.time.Instant.now().getEpochSecond());
            default -> throw new UserError("--rtc " + rtc + ": expected 'virtual' or 'host'");
        }
        if (!display.equals("none") && !display.equals("text")) {
            throw new UserError("--display " + display + ": expected 'none' or 'text'");
        }
        if (display.equals("text") && serial.equals("stdio")) {
            throw new UserError("--display text draws on the terminal: give --serial file:F, tcp:PORT or none");
        }
        if (screenshot != null) {
            b.screenshot(Path.of(screenshot));
        }
        applyMachineProps(b);
        if (exitOnEof && !serial.equals("stdio")) {
            throw new UserError("--exit-on-eof watches standard input: it needs --serial stdio");
        }
        if (waitForGdb && gdbPort == null) {
            throw new UserError("-S needs --gdb PORT");
        }
        if (gdbPort != null && (gdbPort < 0 || gdbPort > 65535)) {
            throw new UserError("--gdb " + gdbPort + ": expected a TCP port (0-65535)");
        }
        ImageResolver resolver = new ImageResolver(ImageResolver.root());
        Path kernelPath = kernel == null ? null : resolver.existing(kernel, "kernel");
        List<Path> diskPaths = new ArrayList<>();
        if (hda != null) {
            if (image != null) {
                throw new UserError("-hda " + hda + ": the first disk is already " + image);
            }
            diskPaths.add(resolver.existing(hda, "disk image"));
        }
        if (image != null) {
            Path p = resolver.resolve(image);
            if (kernelPath == null && ImageResolver.isElf(p)) {
                kernelPath = p;          // a bare ELF boots like --kernel, as the default guest does
            } else {
                diskPaths.add(p);
            }
        }
        if (hdb != null) {
            if (diskPaths.isEmpty()) {
                throw new UserError("-hdb " + hdb + ": needs a first disk (IMAGE or -hda)");
            }
            diskPaths.add(1, resolver.existing(hdb, "disk image"));
        }
        for (String d : disks) {
            diskPaths.add(resolver.existing(d, "disk image"));
        }
        if (image != null && disks.isEmpty()) {
            diskPaths.addAll(resolver.companionDisks(image));   // vmm: each VM's disk; vmm2: VM 1's is hdb
        }
        if (image != null && !ImageResolver.hypervisorWords(image).isEmpty()) {
            // vmm: both VMs boot from their disks; --append adds hypervisor words (stats, snap=16, ...)
            b.append((ImageResolver.hypervisorWords(image) + " " + append).strip());
        }
        if (ImageResolver.twoVms(image) && serials.size() < 2) {
            // vmm: VM 1's console is COM2; a TCP port, as QEMU's -serial tcp::4555,server,nowait
            b.serial2(ImageResolver.VMM_COM2);
            System.err.println("jx86: VM 0 (kernel-monolithic) on COM1, here; VM 1 (kernel-microkernel) on COM2:"
                    + " nc 127.0.0.1 " + ImageResolver.VMM_COM2.substring(4) + " (Control-] here: the hypervisor console)");
        }
        if (kernelPath == null && diskPaths.isEmpty()) {
            Path guest = resolver.defaultGuest();
            if (ImageResolver.isElf(guest)) {
                kernelPath = guest;
            } else {
                diskPaths.add(guest);
                if (System.console() != null && serial.equals("stdio")) {
                    System.err.println("jx86: booting " + guest.getFileName()
                            + " (type 'poweroff' to power off; Ctrl-A x quits jx86)");
                }
            }
        }
        if (kernelPath == null && !modules.isEmpty()) {
            throw new UserError("--module needs --kernel");
        }
        if (kernelPath == null && initrd != null) {
            throw new UserError("-initrd needs -kernel");
        }
        b.kernel(kernelPath);
        for (String m : modules) {
            b.module(resolver.existing(m, "module"));
        }
        if (initrd != null && isBzImage(kernelPath)) {
            b.initrd(resolver.existing(initrd, "initrd"));
        } else if (initrd != null) {
            for (String m : initrd.split(",")) {   // QEMU's Multiboot -initrd: "path args,path args"
                String path = m.strip().split(" ", 2)[0];
                if (path.isEmpty()) {
                    throw new UserError("-initrd " + initrd + ": empty module name");
                }
                b.module(resolver.existing(path, "module"));
            }
        }
        diskPaths.forEach(b::disk);
        if (logItems != null) {
            b.log(logItems, logFilter, logFile == null ? null : Path.of(logFile));
        } else if (logFile != null || logFilter != null) {
            throw new UserError((logFile != null ? "-D" : "--dfilter") + " needs -d ITEMS");
        }
        MachineConfig config = b.build();
        StartupTrace.mark("boot: options checked");
        PcMachine machine;
        try {
            machine = new PcMachine(config);
        } catch (BadImageException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(e.getMessage());
        } catch (OutOfMemoryError e) {
            // checkHeap passed, but the heap was fuller or more fragmented than it estimates
            throw new UserError("-m " + memoryMiB + ": " + heapHint(memoryMiB, "the JVM could not allocate it"));
        }
        RunResult result;
        GdbStub stub = null;
        try (machine) {
            try {
                machine.boot();
                StartupTrace.mark("boot: guest loaded, runs");
            } catch (BadImageException e) {
                throw new UserError(e.getMessage());
            }
            if (gdbPort != null) {
                stub = openGdbStub(machine);
            }
            try {
                result = machine.runToEnd();
            } catch (PhysicalMemory.RamUnavailableException e) {
                // RAM above the first 128 MiB is allocated at first use; see checkHeap
                throw new UserError("-m " + memoryMiB + ": " + heapHint(memoryMiB, "the JVM could not allocate it"));
            }
            if (stats) {
                System.err.print(Stats.format(machine));
            }
        } finally {
            if (stub != null) {
                stub.close();
            }
        }
        System.err.println(result.report());
        return result.exitStatus();
    }
}
