package jx86.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Disassembles one instruction from the {@link OpTable}, in AT&T syntax as GNU
 * {@code objdump -d -M i386} (binutils 2.40) spells it: {@code mov    0x8(%ebp),%eax}, size
 * suffixes only where no register operand gives the size, branch targets as bare hex addresses
 * (objdump's {@code <symbol>} annotation is not printed), prefixes objdump prints as words
 * ({@code lock}, {@code rep}, {@code repz}, {@code data16}, {@code cs} ...). An opcode the table
 * does not have disassembles as {@code (bad)} of length 1. The x87 escapes D8-DF and WAIT (9B) come
 * from {@link X87Table} (see {@code x87}): a WAIT before an escape is one instruction with it, as in
 * objdump ({@code 9b d9 7d fe} is {@code fstcw -0x2(%ebp)}).
 *
 * <p>Stateless; instances are not needed. Reads at most 15 bytes through {@link Bytes}.
 */
public final class Disassembler {
    private Disassembler() {
    }

    /** The bytes to decode: {@code at(i)} is the byte at the instruction's offset {@code i} (0-255), or -1 if unreadable. */
    @FunctionalInterface
    public interface Bytes {
        int at(int offset);
    }

    /**
     * One decoded instruction: its length in bytes, its text, and its table row (null when the CPU
     * raises #UD; an x87 alias the CPU executes prints as objdump's (bad) and has its row).
     */
    public record Insn(int length, String text, OpTable.Row row) {
    }

    private static final List<String> R8 = List.of("al", "cl", "dl", "bl", "ah", "ch", "dh", "bh");
    private static final List<String> R16 = List.of("ax", "cx", "dx", "bx", "sp", "bp", "si", "di");
    private static final List<String> R32 = List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi");
    private static final List<String> SEG = List.of("es", "cs", "ss", "ds", "fs", "gs");
    private static final List<Integer> SEG_PREFIXES = List.of(0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65);
    private static final List<String> MEM16 = List.of("%bx,%si", "%bx,%di", "%bp,%si", "%bp,%di", "%si", "%di", "%bp", "%bx");

    /** Disassembles the instruction at linear/physical {@code address} from an array (offset {@code off}). */
    public static Insn decode(byte[] code, int off, long address, boolean code32) {
        return decode(i -> off + i < code.length ? code[off + i] & 0xFF : -1, address, code32);
    }

    /** Disassembles the instruction at {@code address} ({@code code32}: CS.D = 1). */
    public static Insn decode(Bytes bytes, long address, boolean code32) {
        Insn r;
        try {
            r = new State(bytes, address, code32).run();
        } catch (IndexOutOfBoundsException e) {
            r = null; // ran off readable bytes
        }
        if (r == null) {
            int b = bytes.at(0);
            return new Insn(1, b < 0 ? "(unreadable)" : "(bad)", null);
        }
        return r;
    }

    /** Decoding state of one instruction. */
    private static final class State {
        final Bytes bytes;
        final long address;
        final boolean code32;
        int pos;
        int osz;
        boolean asz32;
        int seg = -1;
        final List<Integer> prefixes = new ArrayList<>();
        boolean usedOsz;
        boolean usedAsz;
        boolean usedSeg;
        int mod;
        int reg;
        int rm;
        String memText;

        State(Bytes bytes, long address, boolean code32) {
            this.bytes = bytes;
            this.address = address;
            this.code32 = code32;
            this.osz = code32 ? 4 : 2;
            this.asz32 = code32;
        }

        int next() {
            if (pos >= 15) {
                throw new IndexOutOfBoundsException();
            }
            int b = bytes.at(pos++);
            if (b < 0) {
                throw new IndexOutOfBoundsException();
            }
            return b;
        }

        int fetch(int n) {
            int v = 0;
            for (int k = 0; k < n; k++) {
                v |= next() << (8 * k);
            }
            return v;
        }

        Insn run() {
            int b;
            int fwait = -1; // WAIT (9B) seen: how many other prefixes came before the last one
            prefixes:
            for (;;) {
                b = next();
                switch (b) {
                    case 0x9B -> {
                        // objdump: a WAIT after another prefix (or WAIT) ends the prefixes
                        boolean last = fwait >= 0 || !prefixes.isEmpty();
                        fwait = prefixes.size();
                        if (pos >= 15 || bytes.at(pos) < 0) {
                            return fwait(fwait); // the last readable byte
                        }
                        if (last) {
                            b = next();
                            break prefixes;
                        }
                        continue;
                    }
                    case 0x66 -> osz = code32 ? 2 : 4;
                    case 0x67 -> asz32 = !code32;
                    case 0x26 -> seg = 0;
                    case 0x2E -> seg = 1;
                    case 0x36 -> seg = 2;
                    case 0x3E -> seg = 3;
                    case 0x64 -> seg = 4;
                    case 0x65 -> seg = 5;
                    case 0xF0, 0xF2, 0xF3 -> {
                    }
                    default -> {
                        break prefixes;
                    }
                }
                prefixes.add(b);
            }
            if (b >= 0xD8 && b <= 0xDF) {
                return x87(b, fwait >= 0);
            }
            if (fwait >= 0) {
                return fwait(fwait);
            }
            int code = b == 0x0F ? 0x100 | next() : b;
            OpTable.Row row;
            if (OpTable.isGroup(code)) {
                int m = bytes.at(pos);
                if (m < 0) {
                    return null;
                }
                row = OpTable.lookup(code, (m >>> 3) & 7);
            } else {
                row = OpTable.lookup(code, 0);
            }
            if (row == null || row.has(OpTable.FPU) || code == 0x1FF) {
                return null;
            }
            if (row.modrm()) {
                modrm(row);
                if (row.memoryOnly() && mod == 3) {
                    return null;
                }
            }
            if (code == 0x90 && prefixes.contains(0xF3)) {
                return finish(row, "pause", List.of(), true);
            }
            if (code == 0x90 && prefixes.contains(0x66)) {
                usedOsz = true; // objdump: 66 90 is xchg of the prefixed size, plain 90 is nop
                return finish(row, "xchg", List.of(reg(osz, 0), reg(osz, 0)), false);
            }
            List<String> ops = new ArrayList<>();
            boolean register = false;
            int memSize = 0;
            for (OpTable.Opnd o : row.operands()) {
                String t = operand(o, row);
                if (t == null) {
                    continue;
                }
                if (isRegister(o)) {
                    register = true;
                }
                if (t.equals(memText) || o == OpTable.Opnd.Xb || o == OpTable.Opnd.Xv || o == OpTable.Opnd.Yb
                        || o == OpTable.Opnd.Yv) {
                    memSize = Math.max(memSize, size(o));
                }
                ops.add(t);
            }
            String mnemonic = row.mnemonic(osz);
            if (row.mnemonic().indexOf('|') >= 0) {
                usedOsz = true;
            }
            if (row.mnemonic().endsWith("~")) {
                if (prefixes.contains(0x66)) {
                    mnemonic += osz == 2 ? "w" : "l";
                }
                usedOsz = true;
            }
            if (row.has(OpTable.SUFOSZ)) {
                mnemonic += osz == 2 ? "w" : "l";
                usedOsz = true;
            } else if (!row.has(OpTable.NOSUF) && !register && memSize > 0) {
                mnemonic += memSize == 1 ? "b" : memSize == 2 ? "w" : "l";
            }
            boolean keepOrder = code == 0xC8 || code == 0x62;
            if (!keepOrder) {
                java.util.Collections.reverse(ops);
            }
            return finish(row, mnemonic, ops, false);
        }

        /** WAIT not followed by an escape: "fwait" with the first {@code before} prefixes (objdump's length rule). */
        private Insn fwait(int before) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < before; k++) {
                sb.append(prefixName(prefixes.get(k))).append(' ');
            }
            return new Insn(before + 1, sb.append(X87Table.waitRow().att()).toString(), OpTable.lookup(0x9B, 0));
        }

        /**
         * An escape D8-DF from {@link X87Table}, {@code waited} when a WAIT came first: objdump then
         * drops the 'n' of the non-waiting forms (fnstcw -> fstcw). A 66 prefix is the layout of the
         * environment/state forms (s or l suffix), else printed as data16/data32; 67 and a segment
         * prefix belong to a memory operand. Aliases objdump does not know, and #UD encodings, print
         * as objdump's "(bad)" (with the memory operand, if any).
         */
        private Insn x87(int op, boolean waited) {
            OpTable.Row esc = OpTable.lookup(op, 0);
            modrm(esc);
            X87Table.Row row = X87Table.lookup(op, (mod << 6) | (reg << 3) | rm);
            String mnemonic = row == null || row.has(X87Table.ALIAS) ? "(bad)" : row.att();
            if (waited && row != null && row.has(X87Table.NOWAIT)) {
                mnemonic = "f" + mnemonic.substring(2);
            }
            int layoutPrefix = row != null && row.has(X87Table.LAYOUT) ? prefixes.lastIndexOf(0x66) : -1;
            if (layoutPrefix >= 0) {
                mnemonic += code32 ? "s" : "l";
            }
            List<String> ops = new ArrayList<>();
            if (mod != 3) {
                ops.add(memText);
            } else if (row != null && !row.has(X87Table.ALIAS)) {
                for (X87Table.Opnd o : row.operands()) {
                    ops.add(o == X87Table.Opnd.ST0 ? "%st" : o == X87Table.Opnd.AX ? "%ax" : "%st(" + rm + ")");
                }
                java.util.Collections.reverse(ops);
            }
            // objdump uses the last 66/67/segment prefix and prints every other one
            int addrPrefix = mod != 3 ? prefixes.lastIndexOf(0x67) : -1;
            int segPrefix = -1;
            for (int k = 0; k < prefixes.size() && mod != 3; k++) {
                if (SEG_PREFIXES.indexOf(prefixes.get(k)) >= 0) {
                    segPrefix = k;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < prefixes.size(); k++) {
                if (k != layoutPrefix && k != addrPrefix && k != segPrefix) {
                    sb.append(prefixName(prefixes.get(k))).append(' ');
                }
            }
            sb.append(mnemonic);
            if (!ops.isEmpty()) {
                while (sb.length() < 6) {
                    sb.append(' ');
                }
                sb.append(' ').append(String.join(",", ops));
            }
            return new Insn(pos, sb.toString(), row == null ? null : esc);
        }

        /** A prefix byte as objdump prints it when the instruction does not use it. */
        private String prefixName(int p) {
            return switch (p) {
                case 0xF0 -> "lock";
                case 0xF3 -> "repz";
                case 0xF2 -> "repnz";
                case 0x66 -> code32 ? "data16" : "data32";
                case 0x67 -> code32 ? "addr16" : "addr32";
                default -> SEG.get(segOf(p));
            };
        }

        private Insn finish(OpTable.Row row, String mnemonic, List<String> ops, boolean repUsed) {
            StringBuilder sb = new StringBuilder();
            for (int p : prefixes) {
                String name = switch (p) {
                    case 0xF0 -> "lock";
                    case 0xF3 -> repUsed ? null : row.has(OpTable.STRING)
                            && (row.mnemonic().equals("cmps") || row.mnemonic().equals("scas")) ? "repz"
                            : row.has(OpTable.STRING) ? "rep" : "repz";
                    case 0xF2 -> "repnz";
                    case 0x66 -> usedOsz ? null : "data16";
                    case 0x67 -> usedAsz ? null : "addr16";
                    default -> usedSeg ? null : SEG.get(segOf(p));
                };
                if (name != null) {
                    sb.append(name).append(' ');
                }
            }
            sb.append(mnemonic);
            if (!ops.isEmpty()) {
                while (sb.length() < 6) {
                    sb.append(' ');
                }
                sb.append(' ').append(String.join(",", ops));
            }
            return new Insn(pos, sb.toString(), row);
        }

        private static int segOf(int p) {
            return switch (p) {
                case 0x26 -> 0;
                case 0x2E -> 1;
                case 0x36 -> 2;
                case 0x3E -> 3;
                case 0x64 -> 4;
                default -> 5;
            };
        }

        private int size(OpTable.Opnd o) {
            return switch (o) {
                case Eb, Gb, Ib, Zb, AL, Xb, Yb, Ob -> 1;
                case Ew, Gw, Iw -> 2;
                case Rd, Cd, Dd -> 4;
                case M, Mp, Ma, Mq, Ms -> 0;
                default -> osz;
            };
        }

        private boolean isRegister(OpTable.Opnd o) {
            return switch (o) {
                case Gb, Gw, Gv, Rd, Cd, Dd, Sw, Zb, Zv, AL, CL, eAX, ES, CS, SS, DS, FS, GS -> true;
                case Eb, Ew, Ev -> mod == 3;
                default -> false;
            };
        }

        private String reg(int size, int r) {
            return "%" + (size == 1 ? R8.get(r) : size == 2 ? R16.get(r) : R32.get(r));
        }

        private String imm(int size, int v) {
            long m = size == 1 ? v & 0xFFL : size == 2 ? v & 0xFFFFL : v & 0xFFFF_FFFFL;
            return "$0x" + Long.toHexString(m);
        }

        private String operand(OpTable.Opnd o, OpTable.Row row) {
            switch (o) {
                case Eb, Ew, Ev, M, Mp, Ma, Mq, Ms: {
                    if (o == OpTable.Opnd.Ev) {
                        usedOsz = true;
                    }
                    // MOV Sreg/LAR/LSL with a register source: objdump names the operand-size register
                    int sz = row.code() == 0x8E || row.code() == 0x102 || row.code() == 0x103 ? osz : size(o);
                    return star(row, mod == 3 ? reg(sz, rm) : memText);
                }
                case ESC:
                    return null;
                case Gb, Gw, Gv:
                    if (o == OpTable.Opnd.Gv) {
                        usedOsz = true;
                    }
                    return reg(size(o), reg);
                case Rd:
                    return reg(4, rm);
                case Cd:
                    return "%cr" + reg;
                case Dd:
                    return "%db" + reg;
                case Sw:
                    return "%" + SEG.get(reg);
                case Ib:
                    return imm(1, next());
                case Ibs:
                    usedOsz = true;
                    return imm(osz, (byte) next());
                case Iw:
                    return imm(2, fetch(2));
                case Iv:
                    usedOsz = true;
                    return imm(osz, fetch(osz));
                case Jb:
                case Jv: {
                    int rel = o == OpTable.Opnd.Jb ? (byte) next() : osz == 2 ? (short) fetch(2) : fetch(4);
                    if (o == OpTable.Opnd.Jv) {
                        usedOsz = true;
                    }
                    if (row.code() >= 0xE0 && row.code() <= 0xE3) {
                        usedAsz = true;
                    }
                    long target = address + pos + rel;
                    target &= osz == 2 ? 0xFFFF : 0xFFFF_FFFFL;
                    return Long.toHexString(target);
                }
                case Ap: {
                    usedOsz = true;
                    int off = fetch(osz);
                    int sel = fetch(2);
                    return imm(2, sel) + "," + imm(osz, off);
                }
                case Ob, Ov: {
                    usedAsz = true;
                    usedOsz |= o == OpTable.Opnd.Ov;
                    int off = fetch(asz32 ? 4 : 2);
                    return segPrefix() + "0x" + Long.toHexString(off & (asz32 ? 0xFFFF_FFFFL : 0xFFFF));
                }
                case Zb:
                    return reg(1, row.code() & 7);
                case Zv:
                    usedOsz = true;
                    return reg(osz, row.code() & 7);
                case AL:
                    return "%al";
                case CL:
                    return "%cl";
                case eAX:
                    usedOsz = true;
                    return reg(osz, 0);
                case DX:
                    return "(%dx)";
                case ONE:
                    return null;
                case ES, CS, SS, DS, FS, GS:
                    return "%" + SEG.get(o.ordinal() - OpTable.Opnd.ES.ordinal());
                case Xb, Xv: {
                    usedAsz = true;
                    usedOsz |= o == OpTable.Opnd.Xv;
                    String s = seg >= 0 ? "%" + SEG.get(seg) + ":" : "%ds:";
                    usedSeg = true;
                    return s + (asz32 ? "(%esi)" : "(%si)");
                }
                case Yb, Yv:
                    usedAsz = true;
                    usedOsz |= o == OpTable.Opnd.Yv;
                    return "%es:" + (asz32 ? "(%edi)" : "(%di)");
                case XLAT: {
                    usedAsz = true;
                    String s = seg >= 0 ? "%" + SEG.get(seg) + ":" : "%ds:";
                    usedSeg = true;
                    return s + (asz32 ? "(%ebx)" : "(%bx)");
                }
                default:
                    return null;
            }
        }

        private String star(OpTable.Row row, String text) {
            return row.has(OpTable.INDIRECT) ? "*" + text : text;
        }

        private String segPrefix() {
            if (seg < 0) {
                return "";
            }
            usedSeg = true;
            return "%" + SEG.get(seg) + ":";
        }

        /** ModR/M, SIB and displacement; the memory operand's text as objdump prints it. */
        private void modrm(OpTable.Row row) {
            int m = next();
            mod = m >>> 6;
            reg = (m >>> 3) & 7;
            rm = m & 7;
            boolean controlMove = row.operands().contains(OpTable.Opnd.Rd);
            if (mod == 3 || controlMove) {
                mod = 3; // MOV CRn/DRn ignore mod
                return;
            }
            usedAsz = true;
            String sp = segPrefix();
            memText = sp + (asz32 ? mem32() : mem16());
            usedSeg = seg >= 0;
        }

        private String mem16() {
            int disp = 0;
            if (mod == 0 && rm == 6) {
                return "0x" + Integer.toHexString(fetch(2));
            }
            String d = "";
            if (mod == 1) {
                disp = (byte) next();
                d = signedHex(disp);
            } else if (mod == 2) {
                disp = (short) fetch(2);
                d = signedHex(disp);
            }
            return d + "(" + MEM16.get(rm) + ")";
        }

        private String mem32() {
            boolean havesib = rm == 4;
            int base = rm;
            int index = 4;
            int scale = 0;
            if (havesib) {
                int sib = next();
                index = (sib >>> 3) & 7;
                scale = sib >>> 6;
                base = sib & 7;
            }
            boolean haveindex = havesib && index != 4;
            boolean havebase = true;
            int disp = 0;
            if (mod == 0 && base == 5) {
                havebase = false;
                disp = fetch(4);
            } else if (mod == 1) {
                disp = (byte) next();
            } else if (mod == 2) {
                disp = fetch(4);
            }
            boolean needindex = havesib && !havebase && !haveindex;
            boolean havedisp = havebase || needindex || havesib && (haveindex || scale != 0);
            StringBuilder s = new StringBuilder();
            if (mod != 0 || base == 5) {
                s.append(havedisp ? signedHex(disp) : "0x" + Long.toHexString(disp & 0xFFFF_FFFFL));
            }
            if (havebase || haveindex || needindex) {
                s.append('(');
                if (havebase) {
                    s.append('%').append(R32.get(base));
                }
                if (havesib && (scale != 0 || needindex || haveindex || havebase && base != 4)) {
                    s.append(',').append(haveindex ? "%" + R32.get(index) : "%eiz").append(',').append(1 << scale);
                }
                s.append(')');
            }
            return s.toString();
        }

        private static String signedHex(int v) {
            if (v < 0) {
                return "-0x" + Long.toHexString(-(long) v);
            }
            return "0x" + Integer.toHexString(v);
        }
    }
}
