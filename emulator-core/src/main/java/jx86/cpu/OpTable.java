package jx86.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The declarative opcode table of the jx86 CPU: one {@link Row} per opcode, or per ModR/M
 * {@code reg} value of an opcode group (SDM Vol. 2, Appendix A, Tables ). A row
 * names the mnemonic as {@code objdump} spells it in AT&T syntax, the operand forms in the SDM's
 * notation ({@link Opnd}), the status flags read, written and left undefined, whether LOCK is
 * allowed, the privilege and mode rules, the handler that executes it, the first CPU model that has
 * it, and whether the decoded-instruction cache holds its 32-bit forms.
 *
 * <p>The disassembler ({@link Disassembler}) is driven by it; {@code OpTableTest} checks that the
 * decoder ({@link Exec}, {@link Exec0F}) accepts exactly the rows of the table (every other
 * opcode/group is #UD), that LOCK is accepted exactly on the lockable rows, and that
 * {@link PreDecoder} caches exactly the rows marked {@link #CACHED}. CPUID's instruction-based
 * feature bits come from the model column ({@link CpuModel#FEATURES_EDX}).
 *
 * <p>The x87 escape opcodes D8-DF and WAIT (9B) are one row group, {@link #FPU}: the decoder hands
 * them to a single FPU entry point ({@code X87Port.esc}/{@code X87Port.fwait}, which run jx86.cpu.fpu).
 */
public final class OpTable {
    private OpTable() {
    }

    /** The processor generation that introduced an instruction. */
    public enum Model {
        I386, I486, P5, P6,
        /** jx86's own: the firmware hook 0F FF. */
        JX86
    }

    /** Who may execute it (else #GP(0)); IOPL means CPL <= IOPL (or the I/O bitmap for I/O). */
    public enum Priv {
        ANY, CPL0, IOPL
    }

    /** Where it is defined; outside, it is #UD. */
    public enum Mode {
        ANY,
        /** Protected mode, not virtual-8086 (LLDT, LAR, ARPL, ...). */
        PROTECTED,
        /** Real-mode code in segment F000 with a firmware hook installed. */
        FIRMWARE
    }

    /**
     * Operand forms in the SDM's notation (Appendix A.2): addressing method + size. b = byte,
     * w = word, v = operand size (16/32), d = doubleword; {@code Ibs} is an imm8 sign-extended to
     * the operand size; {@code Zb}/{@code Zv} are the register in the opcode's low three bits.
     */
    public enum Opnd {
        Eb, Ew, Ev, Gb, Gw, Gv, M, Mp, Ma, Mq, Ms, Rd, Cd, Dd, Sw,
        Ib, Ibs, Iw, Iv, Jb, Jv, Ap, Ob, Ov, Zb, Zv, AL, CL, eAX, DX, ONE,
        ES, CS, SS, DS, FS, GS, Xb, Xv, Yb, Yv, XLAT,
        /** An x87 escape's ModR/M: any form, decoded by the FPU. */
        ESC;

        /** Whether the operand is encoded in a ModR/M byte. */
        public boolean modrm() {
            return ordinal() <= Sw.ordinal() || this == ESC;
        }

        /** Whether the ModR/M r/m must be memory (mod = 3 is #UD). */
        public boolean memoryOnly() {
            return this == M || this == Mp || this == Ma || this == Mq || this == Ms;
        }
    }

    // Status flags as in EFLAGS.
    public static final int CF = 1;
    public static final int PF = 1 << 2;
    public static final int AF = 1 << 4;
    public static final int ZF = 1 << 6;
    public static final int SF = 1 << 7;
    public static final int IF = 1 << 9;
    public static final int DF = 1 << 10;
    public static final int OF = 1 << 11;

    // Row attributes.
    /** LOCK is allowed with a memory destination. */
    public static final int LOCK = 1;
    /** The decoded-instruction cache holds its forms (32-bit operand size, no prefix but F3 on MOVS/STOS). */
    public static final int CACHED = 1 << 1;
    /** objdump never appends a size suffix. */
    public static final int NOSUF = 1 << 2;
    /** objdump always appends the operand-size suffix (w/l): MOVZX, LGDT ... */
    public static final int SUFOSZ = 1 << 3;
    /** The instruction is defined to raise #UD (UD2). */
    public static final int RAISES_UD = 1 << 4;
    /** An x87 row: the FPU's single entry point executes it. */
    public static final int FPU = 1 << 5;
    /** A string instruction (REP prefixes apply). */
    public static final int STRING = 1 << 6;
    /** A relative branch (the disassembler prints the target address). */
    public static final int BRANCH = 1 << 7;
    /** An indirect near/far branch (the disassembler prints '*'). */
    public static final int INDIRECT = 1 << 8;
    /** With {@link #CACHED}: the cache holds only the register form (mod = 3); a memory operand takes the decoder. */
    public static final int CACHED_REG = 1 << 9;

    /**
     * One opcode (or one ModR/M group member). {@code code} is the opcode byte, plus 0x100 for the
     * 0F map; {@code group} is the ModR/M reg value or -1 when the row covers every value.
     * {@code mnemonic} may hold "osz16|osz32" spellings or end in "~" (see {@link #mnemonic(int)}).
     */
    public record Row(int code, int group, String mnemonic, List<Opnd> operands, int flagsRead,
                      int flagsWritten, int flagsUndefined, int attrs, Priv priv, Mode mode, Model since,
                      String handler, int cacheId, int cacheAux) {

        public boolean has(int attr) {
            return (attrs & attr) != 0;
        }

        /** Whether the encoding has a ModR/M byte. */
        public boolean modrm() {
            return group >= 0 || operands.stream().anyMatch(Opnd::modrm);
        }

        /** Whether the register form (mod = 3) is #UD. */
        public boolean memoryOnly() {
            return operands.stream().anyMatch(Opnd::memoryOnly);
        }

        /**
         * The mnemonic for operand size {@code osz} (2 or 4): "a|b" spells a for 16 and b for 32 bits;
         * a trailing "~" means objdump appends w/l only when an operand-size prefix is present.
         */
        public String mnemonic(int osz) {
            if (mnemonic.endsWith("~")) {
                return mnemonic.substring(0, mnemonic.length() - 1);
            }
            int bar = mnemonic.indexOf('|');
            if (bar < 0) {
                return mnemonic;
            }
            return osz == 2 ? mnemonic.substring(0, bar) : mnemonic.substring(bar + 1);
        }

        @Override
        public String toString() {
            return String.format(group < 0 ? "%s%02X %s" : "%s%02X /%3$d %4$s",
                    code >= 0x100 ? "0F " : "", code & 0xFF, group < 0 ? mnemonic : group, mnemonic);
        }
    }

    /** Condition-code names in encoding order (Jcc, SETcc, CMOVcc), as objdump spells them. */
    public static final List<String> CC = List.of("o", "no", "b", "ae", "e", "ne", "be", "a",
            "s", "ns", "p", "np", "l", "ge", "le", "g");

    /** The flags each condition reads. */
    private static final List<Integer> CC_FLAGS = List.of(OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF,
        SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF);

    private static final List<Row> ROWS;
    /** Index {@code code * 9 + group + 1}: slot 0 of an opcode holds a row without group; null elsewhere. */
    private static final List<Row> INDEX;

    /** Every row, in opcode order. */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The row for opcode {@code code} (0F map: 0x100 | byte) with ModR/M reg {@code reg}; null when #UD. */
    public static Row lookup(int code, int reg) {
        Row r = INDEX.get(code * 9);
        return r != null ? r : INDEX.get(code * 9 + reg + 1);
    }

    /** Whether any row (of any group) exists for the opcode. */
    public static boolean defined(int code) {
        for (int g = 0; g < 9; g++) {
            if (INDEX.get(code * 9 + g) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the opcode's rows are ModR/M groups (the reg field selects the row). */
    public static boolean isGroup(int code) {
        return INDEX.get(code * 9) == null && defined(code);
    }

    // ---- derived from the rows: what the decoder and the decoded-instruction cache read ----

    // Decoder facts, one int per code << 3 | ModR/M reg (see decodeFacts).
    /** A row exists (else #UD). */
    static final int D_ROW = 1;
    /** The opcode has a ModR/M byte, decoded (with SIB and displacement) before the checks and the handler. */
    static final int D_MODRM = 1 << 1;
    /** The ModR/M byte names registers only, whatever its mod field (MOV to/from CRn/DRn). */
    static final int D_REGONLY = 1 << 2;
    /** The r/m operand must be memory (mod = 3 is #UD). */
    static final int D_MEMONLY = 1 << 3;
    /** LOCK is allowed (with a memory operand). */
    static final int D_LOCK = 1 << 4;
    /** #GP(0) outside CPL 0 (and in virtual-8086 mode). */
    static final int D_CPL0 = 1 << 5;
    /** #UD in real and virtual-8086 mode. */
    static final int D_PROTECTED = 1 << 6;
    /** The firmware hook's own rule (real-mode code in F000 with a hook), else #UD. */
    static final int D_FIRMWARE = 1 << 7;
    /** Some check before the handler runs: no row, memory-only, privilege or mode rule. */
    static final int D_CHECK = 1 << 8;
    /** The rows are ModR/M groups: the entry of the reg field applies (else all eight entries are equal). */
    static final int D_GROUP = 1 << 9;

    /**
     * The decoder's per-opcode facts as a flat array indexed {@code code << 3 | reg} (code: the
     * opcode byte, 0x100 | byte for the 0F map; reg: the ModR/M reg field, or 0 for an opcode
     * without ModR/M, whose eight entries are equal). Entry {@code code << 3} has {@link #D_MODRM}
     * for every opcode with a ModR/M byte, so the decoder can read it before it knows the reg
     * field. A fresh array per call (each CPU keeps its own: no global mutable state).
     */
    static int[] decodeFacts() {
        int[] f = new int[0x200 << 3];
        for (int code = 0; code < 0x200; code++) {
            boolean modrm = false;
            for (int reg = 0; reg < 8; reg++) {
                Row r = lookup(code, reg);
                int v = D_CHECK;
                if (r != null) {
                    // The FPU decodes its escape opcodes' ModR/M itself (after its #NM check).
                    boolean m = r.modrm() && !r.has(FPU);
                    modrm |= m;
                    v = D_ROW | (m ? D_MODRM : 0)
                            | (r.operands().contains(Opnd.Rd) ? D_REGONLY : 0)
                            | (r.memoryOnly() ? D_MEMONLY : 0)
                            | (r.has(LOCK) ? D_LOCK : 0)
                            | (r.priv() == Priv.CPL0 ? D_CPL0 : 0)
                            | (r.mode() == Mode.PROTECTED ? D_PROTECTED : 0)
                            | (r.mode() == Mode.FIRMWARE ? D_FIRMWARE : 0);
                    boolean check = r.memoryOnly() || r.priv() == Priv.CPL0 || r.mode() != Mode.ANY;
                    v |= check ? D_CHECK : 0;
                }
                f[code << 3 | reg] = v;
            }
            if (modrm) {
                int group = isGroup(code) ? D_GROUP : 0;
                for (int reg = 0; reg < 8; reg++) {
                    f[code << 3 | reg] |= D_MODRM | group;
                }
            }
        }
        return f;
    }

    // The decoded-instruction cache's form, one int per code << 3 | reg (see cacheForms):
    // bits 0-7 the DecodeCache handler id (SLOW: not cached), 8-11 aux, 12-15 the immediate (IMM_*).
    /** The operand size is a byte (else the instruction's operand size). */
    static final int K_BYTE = 1 << 16;
    /** Decode a ModR/M byte, then read the entry of its reg field. */
    static final int K_MODRM = 1 << 17;
    /** Register form (mod = 3) not cached (it is #UD). */
    static final int K_MEMONLY = 1 << 18;
    /** The ModR/M byte names registers whatever its mod field (MOV to and from CRn: Rd). */
    static final int K_REGONLY = 1 << 20;
    /** Only the register form (mod = 3) is cached ({@link #CACHED_REG}). */
    static final int K_REGFORM = 1 << 21;
    /**
     * A moffs operand (A0-A3): the cache decodes it as the ModR/M form with reg = eAX and a
     * displacement-only address of the address size (MOV AL/eAX, moffs = 8A/8B /r with mod 0 and
     * no base; the same segment (DS unless overridden), checks and accesses).
     */
    static final int K_MOFFS = 1 << 19;
    static final int IMM_NONE = 0;
    /** imm8, zero-extended. */
    static final int IMM_B = 1;
    /** imm8 (or rel8), sign-extended. */
    static final int IMM_BS = 2;
    /** Immediate of the operand size (byte forms: 1 byte), zero-extended. */
    static final int IMM_V = 3;
    /** Immediate or displacement of the operand size, sign-extended (rel16/32, IMUL's imm16/32). */
    static final int IMM_VS = 4;
    /** imm16 (RET n). */
    static final int IMM_W = 5;
    /** The constant 1 (shift by one). */
    static final int IMM_ONE = 6;
    /** The opcode byte (string instructions: the handler selects the operation by it). */
    static final int IMM_OPCODE = 7;
    /** imm8 sign-extended and cut to the operand size (group 1 with 83: the slot holds the operand). */
    static final int IMM_BS_MASKED = 8;

    /**
     * The decoded-instruction cache's view of the table as a flat array indexed like
     * {@link #decodeFacts}: per row with a cache form ({@link Row#cacheId}), the handler id, aux,
     * operand size and how to read the immediate, all derived from the row's operands. Entry
     * {@code code << 3} is 0 when the cache holds no row of the opcode. A fresh array per call.
     */
    static int[] cacheForms() {
        int[] k = new int[0x200 << 3];
        for (Row r : ROWS) {
            if (r.cacheId() == DecodeCache.SLOW) {
                continue;
            }
            int v = r.cacheId() | r.cacheAux() << 8 | immKind(r) << 12
                    | (!r.operands().isEmpty() && BYTE_FIRST.contains(r.operands().get(0)) ? K_BYTE : 0)
                    | (r.modrm() ? K_MODRM : 0) | (r.memoryOnly() ? K_MEMONLY : 0)
                    | (r.operands().contains(Opnd.Rd) ? K_REGONLY : 0) | (r.has(CACHED_REG) ? K_REGFORM : 0)
                    | (r.operands().contains(Opnd.Ob) || r.operands().contains(Opnd.Ov) ? K_MOFFS : 0);
            for (int reg = 0; reg < 8; reg++) {
                if (r.group() < 0 || r.group() == reg) {
                    k[r.code() << 3 | reg] = v;
                }
            }
            if (r.group() >= 0) {
                for (int reg = 0; reg < 8; reg++) {
                    k[r.code() << 3 | reg] |= K_MODRM | (v & K_REGONLY);
                }
            }
        }
        return k;
    }

    /** First operands that make a byte operation. */
    private static final java.util.Set<Opnd> BYTE_FIRST = java.util.Set.of(Opnd.Eb, Opnd.Gb, Opnd.AL, Opnd.Zb,
            Opnd.Yb, Opnd.Xb, Opnd.Ob);

    /** How the cache reads the row's immediate, from its operand forms (see IMM_*). */
    private static int immKind(Row r) {
        if (r.cacheId() == DecodeCache.STRING) {
            return IMM_OPCODE;
        }
        for (Opnd o : r.operands()) {
            switch (o) {
                case Ib:
                    return IMM_B;
                case Ibs:
                    return r.cacheId() == DecodeCache.GRP1 ? IMM_BS_MASKED : IMM_BS;
                case Jb:
                    return IMM_BS;
                case Iv:
                    // IMUL's imm16 is signed; every other Iv is read zero-extended.
                    return r.cacheId() == DecodeCache.IMUL_GEI ? IMM_VS : IMM_V;
                case Jv:
                    return IMM_VS;
                case Iw:
                    return IMM_W;
                case ONE:
                    return IMM_ONE;
                default:
                    break;
            }
        }
        return IMM_NONE;
    }

    // ---- the table ----

    private static final class B {
        final int code;
        final int group;
        final String mnemonic;
        final List<Opnd> operands = new ArrayList<>();
        int read;
        int written;
        int undefined;
        int attrs;
        Priv priv = Priv.ANY;
        Mode mode = Mode.ANY;
        Model since = Model.I386;
        String handler;
        int cacheId = DecodeCache.SLOW;
        int cacheAux;

        B(int code, int group, String mnemonic, String operands, String handler) {
            this.code = code;
            this.group = group;
            this.mnemonic = mnemonic;
            this.handler = handler;
            if (!operands.isEmpty()) {
                for (String s : operands.split(",")) {
                    this.operands.add(Opnd.valueOf(s));
                }
            }
        }

        B f(int r, int w, int u) {
            read = r;
            written = w;
            undefined = u;
            return this;
        }

        B a(int attr) {
            attrs |= attr;
            return this;
        }

        B p(Priv pr) {
            priv = pr;
            return this;
        }

        B m(Mode md) {
            mode = md;
            return this;
        }

        B since(Model s) {
            since = s;
            return this;
        }

        /** The decoded-instruction cache's form: handler id {@code id} with aux field {@code aux}. */
        B c(int id, int aux) {
            cacheId = id;
            cacheAux = aux;
            return this;
        }

        B c(int id) {
            return c(id, 0);
        }
    }

    private static final int ARITH = OF | SF | ZF | AF | PF | CF;
    private static final int LOGIC_W = OF | SF | ZF | PF | CF;
    private static final List<String> ALU = List.of("add", "or", "adc", "sbb", "and", "sub", "xor", "cmp");
    private static final List<String> SHIFT = List.of("rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar");
    private static final List<String> SEG_NAMES = List.of("ES", "CS", "SS", "DS", "FS", "GS");

    private static void aluFlags(B b, int op) {
        boolean logic = op == 1 || op == 4 || op == 6;
        b.f(op == 2 || op == 3 ? CF : 0, logic ? LOGIC_W : ARITH, logic ? AF : 0);
    }

    static {
        Table t = new Table();
        t.oneByte();
        t.twoByte();
        List<Row> rows = new ArrayList<>();
        Row[] index = new Row[0x200 * 9];
        for (B b : t.rows) {
            int attrs = b.cacheId != DecodeCache.SLOW ? b.attrs | CACHED : b.attrs;
            Row r = new Row(b.code, b.group, b.mnemonic, List.copyOf(b.operands), b.read, b.written, b.undefined,
                    attrs, b.priv, b.mode, b.since, b.handler, b.cacheId, b.cacheAux);
            if (index[b.code * 9 + b.group + 1] != null) {
                throw new IllegalStateException("two rows for " + r);
            }
            index[b.code * 9 + b.group + 1] = r;
            rows.add(r);
        }
        rows.sort((x, y) -> x.code != y.code ? x.code - y.code : x.group - y.group);
        ROWS = Collections.unmodifiableList(rows);
        INDEX = Collections.unmodifiableList(java.util.Arrays.asList(index));
    }

    /** Collects the rows while the table is built (once, in the static initializer). */
    private static final class Table {
        private final List<B> rows = new ArrayList<>();

        private B op(int code, String mnemonic, String operands, String handler) {
            B b = new B(code, -1, mnemonic, operands, handler);
            rows.add(b);
            return b;
        }

        private B grp(int code, int reg, String mnemonic, String operands, String handler) {
            B b = new B(code, reg, mnemonic, operands, handler);
            rows.add(b);
            return b;
        }

        private void oneByte() {
            for (int op = 0; op < 8; op++) {
                int base = op << 3;
                int lock = op == 7 ? 0 : LOCK;
                aluFlags(op(base, ALU.get(op), "Eb,Gb", "Alu.aluEG").a(lock).c(DecodeCache.ALU_EG, op), op);
                aluFlags(op(base + 1, ALU.get(op), "Ev,Gv", "Alu.aluEG").a(lock).c(DecodeCache.ALU_EG, op), op);
                aluFlags(op(base + 2, ALU.get(op), "Gb,Eb", "Alu.aluGE").c(DecodeCache.ALU_GE, op), op);
                aluFlags(op(base + 3, ALU.get(op), "Gv,Ev", "Alu.aluGE").c(DecodeCache.ALU_GE, op), op);
                aluFlags(op(base + 4, ALU.get(op), "AL,Ib", "Alu.aluAI").c(DecodeCache.ALU_AI, op), op);
                aluFlags(op(base + 5, ALU.get(op), "eAX,Iv", "Alu.aluAI").c(DecodeCache.ALU_AI, op), op);
            }
            for (int s = 0; s < 4; s++) {
                op(0x06 + (s << 3), "push", SEG_NAMES.get(s), "DataTransfer.pushSeg").c(DecodeCache.PUSH_SEG, s);
                if (s == 0 || s == 3) {
                    // POP SS is not cached: it sets the interrupt shadow, which the trace runner never enters
                    op(0x07 + (s << 3), "pop", SEG_NAMES.get(s), "DataTransfer.popSeg").c(DecodeCache.POP_SEG, s);
                } else if (s != 1) {
                    op(0x07 + (s << 3), "pop", SEG_NAMES.get(s), "DataTransfer.popSeg");
                }
            }
            op(0x27, "daa", "", "DecimalArith.daa").f(AF | CF, SF | ZF | AF | PF | CF, OF);
            op(0x2F, "das", "", "DecimalArith.das").f(AF | CF, SF | ZF | AF | PF | CF, OF);
            op(0x37, "aaa", "", "DecimalArith.aaa").f(AF, AF | CF, OF | SF | ZF | PF);
            op(0x3F, "aas", "", "DecimalArith.aas").f(AF, AF | CF, OF | SF | ZF | PF);
            for (int r = 0; r < 8; r++) {
                op(0x40 + r, "inc", "Zv", "Alu.incReg").f(0, OF | SF | ZF | AF | PF, 0).c(DecodeCache.INC_R, r);
                op(0x48 + r, "dec", "Zv", "Alu.decReg").f(0, OF | SF | ZF | AF | PF, 0).c(DecodeCache.DEC_R, r);
                op(0x50 + r, "push", "Zv", "DataTransfer.pushReg").c(DecodeCache.PUSH_R, r);
                op(0x58 + r, "pop", "Zv", "DataTransfer.popReg").c(DecodeCache.POP_R, r);
            }
            op(0x60, "pusha~", "", "DataTransfer.pusha").c(DecodeCache.MISC, DecodeCache.MISC_PUSHA);
            op(0x61, "popa~", "", "DataTransfer.popa").c(DecodeCache.MISC, DecodeCache.MISC_POPA);
            op(0x62, "bound", "Gv,Ma", "Misc.bound");
            op(0x63, "arpl", "Ew,Gw", "Misc.arpl").f(0, ZF, 0).m(Mode.PROTECTED);
            op(0x68, "push~", "Iv", "Mem.push").c(DecodeCache.PUSH_I);
            op(0x69, "imul", "Gv,Ev,Iv", "Alu.imulGEI").f(0, OF | CF, SF | ZF | AF | PF).c(DecodeCache.IMUL_GEI);
            op(0x6A, "push~", "Ibs", "Mem.push").c(DecodeCache.PUSH_I);
            op(0x6B, "imul", "Gv,Ev,Ibs", "Alu.imulGEI").f(0, OF | CF, SF | ZF | AF | PF).c(DecodeCache.IMUL_GEI);
            op(0x6C, "ins", "Yb,DX", "StringOps.ins").f(DF, 0, 0).a(STRING).p(Priv.IOPL);
            op(0x6D, "ins", "Yv,DX", "StringOps.ins").f(DF, 0, 0).a(STRING).p(Priv.IOPL);
            op(0x6E, "outs", "DX,Xb", "StringOps.outs").f(DF, 0, 0).a(STRING).p(Priv.IOPL);
            op(0x6F, "outs", "DX,Xv", "StringOps.outs").f(DF, 0, 0).a(STRING).p(Priv.IOPL);
            for (int cc = 0; cc < 16; cc++) {
                op(0x70 + cc, "j" + CC.get(cc), "Jb", "ControlTransfer.jcc").f(CC_FLAGS.get(cc), 0, 0).a(BRANCH)
                        .c(DecodeCache.JCC, cc);
            }
            for (int g = 0; g < 8; g++) {
                int lock = g == 7 ? 0 : LOCK;
                aluFlags(grp(0x80, g, ALU.get(g), "Eb,Ib", "Alu.group1").a(lock).c(DecodeCache.GRP1), g);
                aluFlags(grp(0x81, g, ALU.get(g), "Ev,Iv", "Alu.group1").a(lock).c(DecodeCache.GRP1), g);
                aluFlags(grp(0x82, g, ALU.get(g), "Eb,Ib", "Alu.group1").a(lock).c(DecodeCache.GRP1), g);
                aluFlags(grp(0x83, g, ALU.get(g), "Ev,Ibs", "Alu.group1").a(lock).c(DecodeCache.GRP1), g);
            }
            op(0x84, "test", "Eb,Gb", "Alu.testEG").f(0, LOGIC_W, AF).c(DecodeCache.TEST_EG);
            op(0x85, "test", "Ev,Gv", "Alu.testEG").f(0, LOGIC_W, AF).c(DecodeCache.TEST_EG);
            op(0x86, "xchg", "Eb,Gb", "DataTransfer.xchg").a(LOCK).c(DecodeCache.XCHG_EG);
            op(0x87, "xchg", "Ev,Gv", "DataTransfer.xchg").a(LOCK).c(DecodeCache.XCHG_EG);
            op(0x88, "mov", "Eb,Gb", "DataTransfer.movEG").c(DecodeCache.MOV_EG);
            op(0x89, "mov", "Ev,Gv", "DataTransfer.movEG").c(DecodeCache.MOV_EG);
            op(0x8A, "mov", "Gb,Eb", "DataTransfer.movGE").c(DecodeCache.MOV_GE);
            op(0x8B, "mov", "Gv,Ev", "DataTransfer.movGE").c(DecodeCache.MOV_GE);
            for (int s = 0; s < 6; s++) {
                grp(0x8C, s, "mov", "Ev,Sw", "DataTransfer.movFromSeg");
                if (s != 1 && s != 2) {
                    grp(0x8E, s, "mov", "Sw,Ew", "DataTransfer.movToSeg").c(DecodeCache.MOV_SEG);
                } else if (s == 2) {
                    grp(0x8E, s, "mov", "Sw,Ew", "DataTransfer.movToSeg"); // MOV SS: not cached, as POP SS
                }
            }
            op(0x8D, "lea", "Gv,M", "DataTransfer.lea").c(DecodeCache.LEA);
            grp(0x8F, 0, "pop~", "Ev", "DataTransfer.popRm").a(NOSUF);
            op(0x90, "nop", "", "Misc.nop").c(DecodeCache.NOP);
            for (int r = 1; r < 8; r++) {
                op(0x90 + r, "xchg", "Zv,eAX", "DataTransfer.xchgAx").c(DecodeCache.XCHG_AX, r);
            }
            op(0x98, "cbtw|cwtl", "", "DataTransfer.cbw").c(DecodeCache.CBW);
            op(0x99, "cwtd|cltd", "", "DataTransfer.cwd").c(DecodeCache.CWD);
            op(0x9A, "lcall", "Ap", "ControlTransfer.farCall");
            op(0x9B, "fwait", "", "X87Port.fwait").a(FPU);
            op(0x9C, "pushf~", "", "FlagControl.pushf").p(Priv.IOPL).c(DecodeCache.PUSHF32);
            op(0x9D, "popf~", "", "FlagControl.popf").f(0, ARITH | DF | IF, 0).p(Priv.IOPL);
            op(0x9E, "sahf", "", "FlagControl.sahf").f(0, SF | ZF | AF | PF | CF, 0);
            op(0x9F, "lahf", "", "FlagControl.lahf").f(SF | ZF | AF | PF | CF, 0, 0);
            op(0xA0, "mov", "AL,Ob", "DataTransfer.loadMoffs").c(DecodeCache.MOV_GE);
            op(0xA1, "mov", "eAX,Ov", "DataTransfer.loadMoffs").c(DecodeCache.MOV_GE);
            op(0xA2, "mov", "Ob,AL", "DataTransfer.storeMoffs").c(DecodeCache.MOV_EG);
            op(0xA3, "mov", "Ov,eAX", "DataTransfer.storeMoffs").c(DecodeCache.MOV_EG);
            op(0xA4, "movs", "Yb,Xb", "StringOps.dispatch").f(DF, 0, 0).a(STRING).c(DecodeCache.STRING);
            op(0xA5, "movs", "Yv,Xv", "StringOps.dispatch").f(DF, 0, 0).a(STRING).c(DecodeCache.STRING);
            op(0xA6, "cmps", "Xb,Yb", "StringOps.dispatch").f(DF, ARITH, 0).a(STRING);
            op(0xA7, "cmps", "Xv,Yv", "StringOps.dispatch").f(DF, ARITH, 0).a(STRING);
            op(0xA8, "test", "AL,Ib", "Alu.testAI").f(0, LOGIC_W, AF).c(DecodeCache.TEST_AI);
            op(0xA9, "test", "eAX,Iv", "Alu.testAI").f(0, LOGIC_W, AF).c(DecodeCache.TEST_AI);
            op(0xAA, "stos", "Yb,AL", "StringOps.dispatch").f(DF, 0, 0).a(STRING).c(DecodeCache.STRING);
            op(0xAB, "stos", "Yv,eAX", "StringOps.dispatch").f(DF, 0, 0).a(STRING).c(DecodeCache.STRING);
            op(0xAC, "lods", "AL,Xb", "StringOps.dispatch").f(DF, 0, 0).a(STRING);
            op(0xAD, "lods", "eAX,Xv", "StringOps.dispatch").f(DF, 0, 0).a(STRING);
            op(0xAE, "scas", "AL,Yb", "StringOps.dispatch").f(DF, ARITH, 0).a(STRING);
            op(0xAF, "scas", "eAX,Yv", "StringOps.dispatch").f(DF, ARITH, 0).a(STRING);
            for (int r = 0; r < 8; r++) {
                op(0xB0 + r, "mov", "Zb,Ib", "Mem.setReg").c(DecodeCache.MOV_RI, r);
                op(0xB8 + r, "mov", "Zv,Iv", "Mem.setReg").c(DecodeCache.MOV_RI, r);
            }
            for (int g = 0; g < 8; g++) {
                int r = g == 2 || g == 3 ? CF : 0;
                int w = g < 4 ? OF | CF : ARITH;
                int u = g < 4 ? 0 : AF;
                String h = "ShiftRotate.group2";
                grp(0xC0, g, SHIFT.get(g), "Eb,Ib", h).f(r, w, u).c(DecodeCache.SHIFT_I);
                grp(0xC1, g, SHIFT.get(g), "Ev,Ib", h).f(r, w, u).c(DecodeCache.SHIFT_I);
                grp(0xD0, g, SHIFT.get(g), "Eb,ONE", h).f(r, w, u).c(DecodeCache.SHIFT_I);
                grp(0xD1, g, SHIFT.get(g), "Ev,ONE", h).f(r, w, u).c(DecodeCache.SHIFT_I);
                grp(0xD2, g, SHIFT.get(g), "Eb,CL", h).f(r, w, u).c(DecodeCache.SHIFT_CL);
                grp(0xD3, g, SHIFT.get(g), "Ev,CL", h).f(r, w, u).c(DecodeCache.SHIFT_CL);
            }
            op(0xC2, "ret~", "Iw", "ControlTransfer.retNear").c(DecodeCache.RET);
            op(0xC3, "ret~", "", "ControlTransfer.retNear").c(DecodeCache.RET);
            op(0xC4, "les", "Gv,Mp", "DataTransfer.loadFarPointer");
            op(0xC5, "lds", "Gv,Mp", "DataTransfer.loadFarPointer");
            grp(0xC6, 0, "mov", "Eb,Ib", "DataTransfer.movEI").c(DecodeCache.MOV_EI);
            grp(0xC7, 0, "mov", "Ev,Iv", "DataTransfer.movEI").c(DecodeCache.MOV_EI);
            op(0xC8, "enter~", "Iw,Ib", "ControlTransfer.enter");
            op(0xC9, "leave~", "", "ControlTransfer.leave").c(DecodeCache.LEAVE);
            op(0xCA, "lret~", "Iw", "ControlTransfer.farReturn");
            op(0xCB, "lret~", "", "ControlTransfer.farReturn");
            op(0xCC, "int3", "", "ControlTransfer.softInt");
            op(0xCD, "int", "Ib", "ControlTransfer.intN").c(DecodeCache.SYSTEM, DecodeCache.SYSTEM_INT);
            op(0xCE, "into", "", "ControlTransfer.into").f(OF, 0, 0);
            op(0xCF, "iret~", "", "ControlTransfer.iret").f(0, ARITH | DF | IF, 0).p(Priv.IOPL)
                    .c(DecodeCache.SYSTEM, DecodeCache.SYSTEM_IRET);
            op(0xD4, "aam", "Ib", "DecimalArith.aam").f(0, SF | ZF | PF, OF | AF | CF);
            op(0xD5, "aad", "Ib", "DecimalArith.aad").f(0, SF | ZF | PF, OF | AF | CF);
            op(0xD6, "salc", "", "FlagControl.salc").f(CF, 0, 0);
            op(0xD7, "xlat", "XLAT", "DataTransfer.xlat");
            for (int e = 0xD8; e <= 0xDF; e++) {
                op(e, "(x87)", "ESC", "X87Port.esc").a(FPU);
            }
            op(0xE0, "loopne", "Jb", "ControlTransfer.loop").f(ZF, 0, 0).a(BRANCH);
            op(0xE1, "loope", "Jb", "ControlTransfer.loop").f(ZF, 0, 0).a(BRANCH);
            op(0xE2, "loop", "Jb", "ControlTransfer.loop").a(BRANCH);
            op(0xE3, "jecxz", "Jb", "ControlTransfer.loop").a(BRANCH);
            op(0xE4, "in", "AL,Ib", "IoOps.in").p(Priv.IOPL);
            op(0xE5, "in", "eAX,Ib", "IoOps.in").p(Priv.IOPL);
            op(0xE6, "out", "Ib,AL", "IoOps.out").p(Priv.IOPL);
            op(0xE7, "out", "Ib,eAX", "IoOps.out").p(Priv.IOPL);
            op(0xE8, "call~", "Jv", "ControlTransfer.callNear").a(BRANCH).c(DecodeCache.CALL);
            op(0xE9, "jmp~", "Jv", "ControlTransfer.branch").a(BRANCH).c(DecodeCache.JMP);
            op(0xEA, "ljmp", "Ap", "ControlTransfer.farJump");
            op(0xEB, "jmp", "Jb", "ControlTransfer.branch").a(BRANCH).c(DecodeCache.JMP);
            op(0xEC, "in", "AL,DX", "IoOps.in").p(Priv.IOPL);
            op(0xED, "in", "eAX,DX", "IoOps.in").p(Priv.IOPL);
            op(0xEE, "out", "DX,AL", "IoOps.out").p(Priv.IOPL);
            op(0xEF, "out", "DX,eAX", "IoOps.out").p(Priv.IOPL);
            op(0xF1, "int1", "", "ControlTransfer.softInt");
            op(0xF4, "hlt", "", "Misc.hlt").p(Priv.CPL0);
            op(0xF5, "cmc", "", "FlagControl.cmc").f(CF, CF, 0);
            String[] g3 = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"};
            for (int g = 0; g < 8; g++) {
                boolean test = g < 2;
                String opnds = test ? "Eb,Ib" : "Eb";
                String opndv = test ? "Ev,Iv" : "Ev";
                int lock = g == 2 || g == 3 ? LOCK : 0;
                int w = test ? LOGIC_W : g == 2 ? 0 : g == 3 ? ARITH : g < 6 ? OF | CF : 0;
                int u = test ? AF : g == 4 || g == 5 ? SF | ZF | AF | PF : g >= 6 ? ARITH : 0;
                String h = test ? "Alu.testEI" : "Alu.group3";
                int id = test ? DecodeCache.TEST_EI : DecodeCache.GRP3;
                grp(0xF6, g, g3[g], opnds, h).f(0, w, u).a(lock).c(id);
                grp(0xF7, g, g3[g], opndv, h).f(0, w, u).a(lock).c(id);
            }
            op(0xF8, "clc", "", "FlagControl.clc").f(0, CF, 0);
            op(0xF9, "stc", "", "FlagControl.stc").f(0, CF, 0);
            op(0xFA, "cli", "", "FlagControl.cli").f(0, IF, 0).p(Priv.IOPL);
            op(0xFB, "sti", "", "FlagControl.sti").f(0, IF, 0).p(Priv.IOPL);
            op(0xFC, "cld", "", "FlagControl.cld").f(0, DF, 0).c(DecodeCache.MISC, DecodeCache.MISC_CLD);
            op(0xFD, "std", "", "FlagControl.std").f(0, DF, 0).c(DecodeCache.MISC, DecodeCache.MISC_STD);
            int incDec = OF | SF | ZF | AF | PF;
            grp(0xFE, 0, "inc", "Eb", "Alu.incDecRm").f(0, incDec, 0).a(LOCK).c(DecodeCache.INCDEC_E);
            grp(0xFE, 1, "dec", "Eb", "Alu.incDecRm").f(0, incDec, 0).a(LOCK).c(DecodeCache.INCDEC_E);
            grp(0xFF, 0, "inc", "Ev", "Alu.incDecRm").f(0, incDec, 0).a(LOCK).c(DecodeCache.INCDEC_E);
            grp(0xFF, 1, "dec", "Ev", "Alu.incDecRm").f(0, incDec, 0).a(LOCK).c(DecodeCache.INCDEC_E);
            grp(0xFF, 2, "call~", "Ev", "ControlTransfer.callIndirect").a(INDIRECT | NOSUF).c(DecodeCache.CALL_E);
            grp(0xFF, 3, "lcall", "Mp", "ControlTransfer.farCallIndirect").a(INDIRECT | NOSUF);
            grp(0xFF, 4, "jmp~", "Ev", "ControlTransfer.jmpIndirect").a(INDIRECT | NOSUF).c(DecodeCache.JMP_E);
            grp(0xFF, 5, "ljmp", "Mp", "ControlTransfer.farJumpIndirect").a(INDIRECT | NOSUF);
            grp(0xFF, 6, "push~", "Ev", "DataTransfer.pushRm").a(NOSUF).c(DecodeCache.PUSH_E);
        }

        private void twoByte() {
            final int x = 0x100;
            String[] g6 = {"sldt", "str", "lldt", "ltr", "verr", "verw"};
            for (int g = 0; g < 6; g++) {
                B b = grp(x, g, g6[g], g < 2 ? "Ev" : "Ew", "SystemOps.group6").a(NOSUF).m(Mode.PROTECTED);
                if (g == 2 || g == 3) {
                    b.p(Priv.CPL0);
                }
                if (g >= 4) {
                    b.f(0, ZF, 0);
                }
            }
            grp(x + 1, 0, "sgdt", "Ms", "SystemOps.group7").a(SUFOSZ);
            grp(x + 1, 1, "sidt", "Ms", "SystemOps.group7").a(SUFOSZ);
            grp(x + 1, 2, "lgdt", "Ms", "SystemOps.group7").a(SUFOSZ).p(Priv.CPL0);
            grp(x + 1, 3, "lidt", "Ms", "SystemOps.group7").a(SUFOSZ).p(Priv.CPL0);
            grp(x + 1, 4, "smsw", "Ev", "SystemOps.group7").a(NOSUF);
            grp(x + 1, 6, "lmsw", "Ew", "SystemInsns.lmsw").a(NOSUF).p(Priv.CPL0);
            grp(x + 1, 7, "invlpg", "M", "SystemOps.group7").a(NOSUF).p(Priv.CPL0).since(Model.I486);
            op(x + 2, "lar", "Gv,Ew", "SystemOps.larLsl").f(0, ZF, 0).m(Mode.PROTECTED);
            op(x + 3, "lsl", "Gv,Ew", "SystemOps.larLsl").f(0, ZF, 0).m(Mode.PROTECTED);
            op(x + 6, "clts", "", "SystemInsns.clts").p(Priv.CPL0);
            // INVD/WBINVD: no caches are modelled, so only the privilege check (derived) remains.
            op(x + 8, "invd", "", "Misc.nop").p(Priv.CPL0).since(Model.I486);
            op(x + 9, "wbinvd", "", "Misc.nop").p(Priv.CPL0).since(Model.I486);
            op(x + 0x0B, "ud2", "", "Misc.ud").a(RAISES_UD).since(Model.P6);
            for (int h = 0; h < 4; h++) {
                grp(x + 0x18, h, "prefetch" + new String[] {"nta", "t0", "t1", "t2"}[h], "Ev", "Misc.nop")
                        .a(NOSUF).since(Model.P6);
            }
            // 0F 18 /4-/7 and 0F 19-1E: reserved hint space, executed as NOPs like the P6 does.
            for (int h = 4; h < 8; h++) {
                grp(x + 0x18, h, "nop", "Ev", "Misc.nop").since(Model.P6);
            }
            for (int o = 0x19; o <= 0x1F; o++) {
                op(x + o, "nop", "Ev", "Misc.nop").since(Model.P6);
            }
            for (int n : new int[] {0, 2, 3, 4}) {
                grp(x + 0x20, n, "mov", "Rd,Cd", "SystemInsns.movFromCr").p(Priv.CPL0).c(DecodeCache.MOV_FROM_CR);
                grp(x + 0x22, n, "mov", "Cd,Rd", "SystemInsns.movToCr").p(Priv.CPL0);
            }
            op(x + 0x21, "mov", "Rd,Dd", "SystemInsns.movFromDr").p(Priv.CPL0);
            op(x + 0x23, "mov", "Dd,Rd", "SystemInsns.movToDr").p(Priv.CPL0);
            op(x + 0x30, "wrmsr", "", "SystemInsns.wrmsr").p(Priv.CPL0).since(Model.P5);
            op(x + 0x31, "rdtsc", "", "SystemOps.rdtsc").since(Model.P5);
            op(x + 0x32, "rdmsr", "", "SystemInsns.rdmsr").p(Priv.CPL0).since(Model.P5);
            op(x + 0x33, "rdpmc", "", "SystemOps.rdpmc").since(Model.P6);
            op(x + 0x34, "sysenter", "", "SystemOps.sysenter").since(Model.P6);
            op(x + 0x35, "sysexit", "", "SystemOps.sysexit").p(Priv.CPL0).since(Model.P6);
            for (int cc = 0; cc < 16; cc++) {
                op(x + 0x40 + cc, "cmov" + CC.get(cc), "Gv,Ev", "BitByte.cmovcc").f(CC_FLAGS.get(cc), 0, 0)
                        .c(DecodeCache.CMOV, cc).since(Model.P6);
                op(x + 0x80 + cc, "j" + CC.get(cc), "Jv", "ControlTransfer.jcc").f(CC_FLAGS.get(cc), 0, 0)
                        .a(BRANCH).c(DecodeCache.JCC, cc);
                op(x + 0x90 + cc, "set" + CC.get(cc), "Eb", "BitByte.setcc").f(CC_FLAGS.get(cc), 0, 0).a(NOSUF)
                        .c(DecodeCache.SETCC, cc);
            }
            op(x + 0xA0, "push", "FS", "DataTransfer.pushSeg").c(DecodeCache.PUSH_SEG, Cpu.FS);
            op(x + 0xA1, "pop", "FS", "DataTransfer.popSeg").c(DecodeCache.POP_SEG, Cpu.FS);
            op(x + 0xA2, "cpuid", "", "SystemOps.cpuid").since(Model.P5);
            op(x + 0xA3, "bt", "Ev,Gv", "BitByte.bitTest").f(0, CF, OF | SF | AF | PF);
            op(x + 0xA4, "shld", "Ev,Gv,Ib", "ShiftRotate.doubleShift").f(0, ARITH, OF | AF).c(DecodeCache.DSHIFT_I32, 1).a(CACHED_REG);
            op(x + 0xA5, "shld", "Ev,Gv,CL", "ShiftRotate.doubleShift").f(0, ARITH, OF | AF).c(DecodeCache.DSHIFT_CL32, 1).a(CACHED_REG);
            op(x + 0xA8, "push", "GS", "DataTransfer.pushSeg").c(DecodeCache.PUSH_SEG, Cpu.GS);
            op(x + 0xA9, "pop", "GS", "DataTransfer.popSeg").c(DecodeCache.POP_SEG, Cpu.GS);
            op(x + 0xAB, "bts", "Ev,Gv", "BitByte.bitTest").f(0, CF, OF | SF | AF | PF).a(LOCK);
            op(x + 0xAC, "shrd", "Ev,Gv,Ib", "ShiftRotate.doubleShift").f(0, ARITH, OF | AF).c(DecodeCache.DSHIFT_I32, 0).a(CACHED_REG);
            op(x + 0xAD, "shrd", "Ev,Gv,CL", "ShiftRotate.doubleShift").f(0, ARITH, OF | AF).c(DecodeCache.DSHIFT_CL32, 0).a(CACHED_REG);
            op(x + 0xAF, "imul", "Gv,Ev", "Alu.imulGE").f(0, OF | CF, SF | ZF | AF | PF).c(DecodeCache.IMUL_GE);
            op(x + 0xB0, "cmpxchg", "Eb,Gb", "DataTransfer.cmpxchg").f(0, ARITH, 0).a(LOCK).since(Model.I486);
            op(x + 0xB1, "cmpxchg", "Ev,Gv", "DataTransfer.cmpxchg").f(0, ARITH, 0).a(LOCK).since(Model.I486);
            op(x + 0xB2, "lss", "Gv,Mp", "DataTransfer.loadFarPointer");
            op(x + 0xB3, "btr", "Ev,Gv", "BitByte.bitTest").f(0, CF, OF | SF | AF | PF).a(LOCK);
            op(x + 0xB4, "lfs", "Gv,Mp", "DataTransfer.loadFarPointer");
            op(x + 0xB5, "lgs", "Gv,Mp", "DataTransfer.loadFarPointer");
            op(x + 0xB6, "movzb", "Gv,Eb", "DataTransfer.movzx").a(SUFOSZ).c(DecodeCache.MOVZX8);
            op(x + 0xB7, "movzw", "Gv,Ew", "DataTransfer.movzx").a(SUFOSZ).c(DecodeCache.MOVZX16);
            String[] g8 = {"bt", "bts", "btr", "btc"};
            for (int g = 4; g < 8; g++) {
                grp(x + 0xBA, g, g8[g - 4], "Ev,Ib", "BitByte.bitTest").f(0, CF, OF | SF | AF | PF).a(g > 4 ? LOCK : 0);
            }
            // UD1 (Intel's "Group 10"): defined to raise #UD, but with a ModR/M byte, so its
            // length is that of Gv,Ev and a fault fetching its displacement comes before the #UD.
            op(x + 0xB9, "ud1", "Gv,Ev", "Misc.ud").a(RAISES_UD).since(Model.P6);
            op(x + 0xBB, "btc", "Ev,Gv", "BitByte.bitTest").f(0, CF, OF | SF | AF | PF).a(LOCK);
            op(x + 0xBC, "bsf", "Gv,Ev", "BitByte.bitScan").f(0, ZF, OF | SF | AF | PF | CF);
            op(x + 0xBD, "bsr", "Gv,Ev", "BitByte.bitScan").f(0, ZF, OF | SF | AF | PF | CF);
            op(x + 0xBE, "movsb", "Gv,Eb", "DataTransfer.movsx").a(SUFOSZ).c(DecodeCache.MOVSX8);
            op(x + 0xBF, "movsw", "Gv,Ew", "DataTransfer.movsx").a(SUFOSZ).c(DecodeCache.MOVSX16);
            op(x + 0xC0, "xadd", "Eb,Gb", "DataTransfer.xadd").f(0, ARITH, 0).a(LOCK).since(Model.I486);
            op(x + 0xC1, "xadd", "Ev,Gv", "DataTransfer.xadd").f(0, ARITH, 0).a(LOCK).since(Model.I486);
            grp(x + 0xC7, 1, "cmpxchg8b", "Mq", "DataTransfer.cmpxchg8b").f(0, ZF, 0).a(LOCK | NOSUF).since(Model.P5);
            for (int r = 0; r < 8; r++) {
                op(x + 0xC8 + r, "bswap", "Zv", "BitByte.bswap").since(Model.I486);
            }
            op(x + 0xFF, "(bios)", "Ib", "SystemOps.firmwareCall").m(Mode.FIRMWARE).since(Model.JX86);
        }
    }
}
