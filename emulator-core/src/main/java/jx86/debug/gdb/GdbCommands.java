package jx86.debug.gdb;

import jx86.cpu.Cpu;

/**
 * The packet interpreter of the GDB stub (GDB manual, appendix E, "Packets", "General Query
 * Packets"): turns one received payload into a reply or a run-control action. Supported: ?, g, G,
 * p, P, m, M, c, s (each with an optional resume address), C/S (signal ignored), Z0/Z1, z0/z1,
 * k, D, H, T, qSupported, QStartNoAckMode, qAttached, qC, qfThreadInfo, qsThreadInfo,
 * vMustReplyEmpty, and qRcmd ({@code monitor disas [ADDR [COUNT]]}: jx86's disassembler, from
 * the opcode table, at a linear address, default CS:EIP, in the current code size). Everything else gets the empty reply ("not supported"), e.g. vCont, so GDB
 * falls back to c and s; X (binary write) likewise, so GDB uses M.
 */
public final class GdbCommands {
    /** Largest packet we accept and send (hex digits, advertised in qSupported). */
    static final int PACKET_SIZE = 0x4000;
    /** Largest m reply in bytes: two hex digits each, plus framing. */
    private static final int MAX_READ = PACKET_SIZE / 2 - 16;

    /** What the stub does with a packet. */
    public enum Action { REPLY, CONTINUE, STEP, DETACH, KILL }

    /** The outcome of one packet; {@code enterNoAck} switches acknowledgments off after the reply. */
    public record Reply(Action action, String text, boolean enterNoAck) {
        static Reply of(String text) {
            return new Reply(Action.REPLY, text, false);
        }

        static Reply action(Action a) {
            return new Reply(a, "", false);
        }
    }

    private static final String ERROR_MEMORY = "E14";   // EFAULT, as gdbserver answers
    private static final String ERROR_ARGS = "E01";

    private final Cpu cpu;
    private final LinearMemory memory;
    private final Breakpoints breakpoints;
    private int lastSignal = 5;

    public GdbCommands(Cpu cpu, LinearMemory memory, Breakpoints breakpoints) {
        this.cpu = cpu;
        this.memory = memory;
        this.breakpoints = breakpoints;
    }

    /** The signal the '?' packet reports (5 = SIGTRAP, 2 = SIGINT). */
    public void setLastSignal(int signal) {
        lastSignal = signal;
    }

    /** Interprets one packet payload; malformed arguments give E01, never an exception. */
    public Reply handle(String p) {
        try {
            return dispatch(p);
        } catch (RuntimeException e) {
            return Reply.of(ERROR_ARGS);
        }
    }

    private Reply dispatch(String p) {
        if (p.isEmpty()) {
            return Reply.of("");
        }
        switch (p.charAt(0)) {
            case '?':
                return Reply.of(String.format("S%02x", lastSignal));
            case 'g':
                return Reply.of(I386Registers.encode(cpu));
            case 'G':
                I386Registers.decode(cpu, p.substring(1));
                return Reply.of("OK");
            case 'p':
                return readRegister(RspCodec.parseHex(p.substring(1)));
            case 'P':
                return writeRegister(p.substring(1));
            case 'm':
                return readMemory(p.substring(1));
            case 'M':
                return writeMemory(p.substring(1));
            case 'c':
            case 's':
                resumeAt(p.substring(1));
                return Reply.action(p.charAt(0) == 'c' ? Action.CONTINUE : Action.STEP);
            case 'C':
            case 'S': {
                int semi = p.indexOf(';');
                resumeAt(semi < 0 ? "" : p.substring(semi + 1));
                return Reply.action(p.charAt(0) == 'C' ? Action.CONTINUE : Action.STEP);
            }
            case 'Z':
            case 'z':
                return breakpoint(p);
            case 'k':
                return Reply.action(Action.KILL);
            case 'D':
                return Reply.action(Action.DETACH);
            case 'H':
            case 'T':
                return Reply.of("OK");              // one thread: every thread id names it
            case 'q':
            case 'Q':
            case 'v':
                return query(p);
            default:
                return Reply.of("");
        }
    }

    private Reply query(String p) {
        if (p.startsWith("qRcmd,")) {
            return Reply.of(RspCodec.hexText(monitor(new String(hexBytes(p.substring(6)),
                    java.nio.charset.StandardCharsets.ISO_8859_1).trim())));
        }
        if (p.startsWith("qSupported")) {
            return Reply.of("PacketSize=" + Integer.toHexString(PACKET_SIZE) + ";QStartNoAckMode+");
        }
        return switch (p) {
            case "QStartNoAckMode" -> new Reply(Action.REPLY, "OK", true);
            case "qAttached" -> Reply.of("1");
            case "qC" -> Reply.of("QC1");
            case "qfThreadInfo" -> Reply.of("m1");
            case "qsThreadInfo" -> Reply.of("l");
            default -> Reply.of("");   // vCont?, vMustReplyEmpty, qTStatus, qOffsets, ...
        };
    }

    private static byte[] hexBytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** GDB's {@code monitor} commands; the text GDB prints. */
    private String monitor(String command) {
        String[] w = command.split("\\s+");
        if (!w[0].equals("disas")) {
            return "jx86: unknown monitor command '" + command + "'; try: disas [ADDR [COUNT]]\n";
        }
        long address = w.length > 1 ? Long.decode(w[1]) : (cpu.segBase[Cpu.CS] + cpu.eip) & 0xFFFF_FFFFL;
        int count = w.length > 2 ? Math.min(Integer.decode(w[2]), 200) : 10;
        boolean code32 = cpu.protectedMode() && !cpu.v86Mode() && (cpu.segAr[Cpu.CS] & 0x4000) != 0;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            byte[] bytes = memory.read((int) address, 16);
            if (bytes == null) {
                out.append(String.format("0x%08x:  (unreadable)%n", address));
                break;
            }
            jx86.cpu.Disassembler.Insn insn = jx86.cpu.Disassembler.decode(bytes, 0, address, code32);
            out.append(String.format("0x%08x:  %s%n", address, insn.text()));
            address = (address + insn.length()) & 0xFFFF_FFFFL;
        }
        return out.toString();
    }

    private void resumeAt(String address) {
        if (!address.isEmpty()) {
            cpu.eip = RspCodec.parseHex(address);
        }
    }

    /**
     * Register sizes in bytes of GDB's default i386 description past the 16 we model: st0-st7 (16-23,
     * 10 bytes), fctrl..fop (24-31), xmm0-xmm7 (32-39), mxcsr (40).
     */
    static int unmodelledRegisterSize(int n) {
        if (n >= 16 && n <= 23) {
            return 10;
        }
        if (n >= 32 && n <= 39) {
            return 16;
        }
        return n >= 24 && n <= 40 ? 4 : -1;
    }

    private Reply readRegister(int n) {
        if (n < 0 || n >= I386Registers.COUNT) {
            int size = unmodelledRegisterSize(n);
            // 'x' digits mark a register as unavailable (GDB manual, "Packets", g): GDB then shows
            // <unavailable> instead of failing the whole command
            return Reply.of(size < 0 ? ERROR_ARGS : "xx".repeat(size));
        }
        StringBuilder sb = new StringBuilder(8);
        RspCodec.appendLe32(sb, I386Registers.read(cpu, n));
        return Reply.of(sb.toString());
    }

    private Reply writeRegister(String args) {
        int eq = args.indexOf('=');
        int n = RspCodec.parseHex(args.substring(0, eq));
        String hex = args.substring(eq + 1);
        if (n < 0 || n >= I386Registers.COUNT || hex.length() != 8) {
            return Reply.of(ERROR_ARGS);
        }
        return Reply.of(I386Registers.write(cpu, n, RspCodec.parseLe32(hex, 0)) ? "OK" : ERROR_ARGS);
    }

    /** {@code m addr,length}: hex bytes at a linear address. */
    private Reply readMemory(String args) {
        int comma = args.indexOf(',');
        int addr = RspCodec.parseHex(args.substring(0, comma));
        int len = RspCodec.parseHex(args.substring(comma + 1));
        if (len < 0) {
            return Reply.of(ERROR_ARGS);
        }
        byte[] data = memory.read(addr, Math.min(len, MAX_READ));
        if (data == null) {
            return Reply.of(ERROR_MEMORY);
        }
        StringBuilder sb = new StringBuilder(data.length * 2);
        for (byte b : data) {
            RspCodec.appendByte(sb, b);
        }
        return Reply.of(sb.toString());
    }

    /** {@code M addr,length:hex}: writes bytes at a linear address. */
    private Reply writeMemory(String args) {
        int comma = args.indexOf(',');
        int colon = args.indexOf(':');
        int addr = RspCodec.parseHex(args.substring(0, comma));
        int len = RspCodec.parseHex(args.substring(comma + 1, colon));
        String hex = args.substring(colon + 1);
        if (len < 0 || hex.length() != 2 * len) {
            return Reply.of(ERROR_ARGS);
        }
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) {
            data[i] = (byte) RspCodec.parseByte(hex, 2 * i);
        }
        return Reply.of(memory.write(addr, data) ? "OK" : ERROR_MEMORY);
    }

    /** {@code Z type,addr,kind} / {@code z type,addr,kind}: types 0 and 1 only. */
    private Reply breakpoint(String p) {
        String[] f = p.substring(1).split("[,;]");
        int type = RspCodec.parseHex(f[0]);
        if (type > 1) {
            return Reply.of("");                     // watchpoints: not supported
        }
        int addr = RspCodec.parseHex(f[1]);
        if (p.charAt(0) == 'Z') {
            breakpoints.add(addr);
        } else {
            breakpoints.remove(addr);
        }
        return Reply.of("OK");
    }
}
