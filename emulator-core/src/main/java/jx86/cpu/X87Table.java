package jx86.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The x87 opcode table: one {@link Row} per escape encoding D8-DF (SDM Vol. 2, Appendix A.5, the
 * x87 opcode maps) and one for WAIT (9B). A memory form is one row per (opcode, ModR/M reg); a
 * register form (mod = 3) is one row per (opcode, reg) when all eight ST(i) share it, or per
 * (opcode, reg, rm) where the registers differ (D9 E0 FCHS, D9 E8-EE the constants, DE D9 FCOMPP,
 * DF E0 FNSTSW AX ...). An encoding without a row is #UD.
 *
 * <p>A row names the instruction twice: {@code name} as the SDM (or, for the undocumented aliases a
 * P6 executes, the customary name: FSTP1, FCOM2 ...), and {@code att} as GNU {@code objdump -d -M i386}
 * (binutils 2.40) prints it in AT&T syntax, size suffix included ({@code fadds}, {@code fildll},
 * {@code fstpt}). The two differ where objdump inherited the AT&T assemblers' swap of the reversed
 * register forms (DC E0+i, Intel's FSUBR ST(i),ST(0), prints as {@code fsub %st,%st(i)}; likewise
 * DC E8/F0/F8 and DE E0-F8) and where objdump knows no alias ({@code "(bad)"}).
 *
 * <p>Consumers (docs/cpu.md, "The x87 row group and the x87 table"): the FPU
 * ({@code jx86.cpu.fpu.X87}) asks {@link #lookup} whether an encoding exists and whether it is
 * non-waiting or a control instruction; the {@link Disassembler} prints the rows; {@code X87TableTest}
 * and vmm's {@code DisassemblerObjdumpTest} check the table against the CPU and the disassembler
 * against objdump. In {@link OpTable} the escapes are one {@code FPU} row group.
 */
public final class X87Table {
    private X87Table() {
    }

    /** x87 operand forms in the SDM's notation (Intel order in a row). */
    public enum Opnd {
        M32fp(4), M64fp(8), M80fp(10), M16int(2), M32int(4), M64int(8), M80bcd(10), M2byte(2),
        /** FLDENV/FNSTENV: 14 bytes with a 16-bit operand size, 28 with 32. */
        M14_28byte(28),
        /** FRSTOR/FNSAVE: 94 or 108 bytes. */
        M94_108byte(108),
        /** ST(0), printed {@code %st}. */
        ST0(0),
        /** ST(i), i = ModR/M rm, printed {@code %st(i)}. */
        STi(0),
        /** AX (FNSTSW AX). */
        AX(0);

        /** Bytes accessed (the 32-bit layout's for the environment and state forms); 0 for registers. */
        public final int bytes;

        Opnd(int bytes) {
            this.bytes = bytes;
        }

        public boolean memory() {
            return bytes > 0;
        }
    }

    // Condition codes as status-word bits.
    public static final int C0 = 0x100;
    public static final int C1 = 0x200;
    public static final int C2 = 0x400;
    public static final int C3 = 0x4000;
    private static final int CC = C0 | C1 | C2 | C3;

    // Row attributes.
    /** Non-waiting (FNxxx): no pending-exception check; objdump drops the 'n' after a WAIT (9B). */
    public static final int NOWAIT = 1;
    /** Control instruction: leaves the last instruction/operand pointers and opcode alone (FLDENV, FLDCW, FRSTOR). */
    public static final int CONTROL = 1 << 1;
    /** Undocumented alias a P6 executes; objdump prints {@code (bad)}. */
    public static final int ALIAS = 1 << 2;
    /** The operand-size prefix selects the 14/28- or 94/108-byte layout; objdump then appends s (16-bit) or l (32-bit). */
    public static final int LAYOUT = 1 << 3;
    /** Pops the register stack (once; FCOMPP/FUCOMPP twice). */
    public static final int POP = 1 << 4;
    /** Pushes onto the register stack. */
    public static final int PUSH = 1 << 5;

    /**
     * One encoding. {@code opcode} is D8-DF or 9B; {@code reg} the ModR/M reg field (-1 for 9B);
     * {@code rm} the register of a mod = 3 form, -1 when every rm (or any memory operand) is this row;
     * {@code memory}: the row is the mod != 3 form. {@code ccWritten}/{@code ccUndefined}: the
     * condition codes (C0-C3, status-word bits) the instruction sets / leaves undefined;
     * {@code flagsRead}/{@code flagsWritten}: EFLAGS (as in {@link OpTable}) for FCMOVcc and FCOMI.
     */
    public record Row(int opcode, int reg, int rm, boolean memory, String name, String att, List<Opnd> operands,
                      int ccWritten, int ccUndefined, int flagsRead, int flagsWritten, int attrs, OpTable.Model since) {

        public boolean has(int attr) {
            return (attrs & attr) != 0;
        }

        @Override
        public String toString() {
            String where = opcode == 0x9B ? "" : memory ? " /" + reg : rm < 0 ? String.format(" %02X+i", 0xC0 | reg << 3)
                    : String.format(" %02X", 0xC0 | reg << 3 | rm);
            return String.format("%02X%s %s (%s)", opcode, where, name, att);
        }
    }

    private static final List<Row> ROWS;
    /** 8 x 256 chars, index (opcode - D8) * 256 + ModR/M: 1 + the row's index in ROWS, 0 when #UD. A String: no static arrays. */
    private static final String INDEX;
    private static final Row WAIT;

    /** Every row: WAIT, then D8-DF, in table order. */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The row of escape opcode {@code opcode} (D8-DF) with ModR/M byte {@code modrm}; null when it is #UD. */
    public static Row lookup(int opcode, int modrm) {
        int i = INDEX.charAt(((opcode - 0xD8) & 7) << 8 | (modrm & 0xFF));
        return i == 0 ? null : ROWS.get(i - 1);
    }

    /** Whether the escape encoding exists (is not #UD). */
    public static boolean valid(int opcode, int modrm) {
        return INDEX.charAt(((opcode - 0xD8) & 7) << 8 | (modrm & 0xFF)) != 0;
    }

    /** The WAIT/FWAIT row (9B). */
    public static Row waitRow() {
        return WAIT;
    }

    static {
        Table t = new Table();
        t.build();
        List<Row> rows = List.copyOf(t.rows);
        char[] index = new char[8 * 256];
        for (int k = 0; k < rows.size(); k++) {
            Row r = rows.get(k);
            if (r.opcode == 0x9B) {
                continue;
            }
            for (int m = 0; m < 256; m++) {
                boolean mem = m >>> 6 != 3;
                if (mem == r.memory && (m >>> 3 & 7) == r.reg && (mem || r.rm < 0 || (m & 7) == r.rm)) {
                    int at = (r.opcode - 0xD8) << 8 | m;
                    if (index[at] != 0) {
                        throw new IllegalStateException("two rows for " + r + " and " + rows.get(index[at] - 1));
                    }
                    index[at] = (char) (k + 1);
                }
            }
        }
        ROWS = Collections.unmodifiableList(rows);
        INDEX = new String(index);
        WAIT = rows.get(0);
    }

    /** Collects the rows (once, in the static initializer). */
    private static final class Table {
        private final List<Row> rows = new ArrayList<>();

        /** Builder of one row; {@link #add} files it. */
        private final class B {
            final int opcode;
            final int reg;
            final int rm;
            final boolean memory;
            final String name;
            final String att;
            final List<Opnd> operands = new ArrayList<>();
            int cc;
            int ccUndef;
            int fr;
            int fw;
            int attrs;
            OpTable.Model since = OpTable.Model.I386;

            B(int opcode, int reg, int rm, boolean memory, String name, String att, String operands) {
                this.opcode = opcode;
                this.reg = reg;
                this.rm = rm;
                this.memory = memory;
                this.name = name;
                this.att = att;
                if (!operands.isEmpty()) {
                    for (String s : operands.split(",")) {
                        this.operands.add(Opnd.valueOf(s));
                    }
                }
            }

            /** Condition codes written and left undefined. */
            B cc(int written, int undefined) {
                cc = written;
                ccUndef = undefined;
                return this;
            }

            B a(int attr) {
                attrs |= attr;
                return this;
            }

            B eflags(int read, int written) {
                fr = read;
                fw = written;
                return this;
            }

            B since(OpTable.Model m) {
                since = m;
                return this;
            }

            void add() {
                rows.add(new Row(opcode, reg, rm, memory, name, att, List.copyOf(operands), cc, ccUndef, fr, fw,
                        attrs, since));
            }
        }

        /** A memory form: opcode /reg. */
        private B mem(int opcode, int reg, String name, String att, String operand) {
            return new B(opcode, reg, -1, true, name, att, operand);
        }

        /** A register form for every ST(i): opcode C0+reg*8+i. */
        private B sti(int opcode, int reg, String name, String att, String operands) {
            return new B(opcode, reg, -1, false, name, att, operands);
        }

        /** One register encoding: opcode modrm. */
        private B one(int opcode, int modrm, String name, String att, String operands) {
            return new B(opcode, modrm >>> 3 & 7, modrm & 7, false, name, att, operands);
        }

        private void build() {
            new B(0x9B, -1, -1, false, "WAIT", "fwait", "").add();
            String[] arith = {"FADD", "FMUL", "FCOM", "FCOMP", "FSUB", "FSUBR", "FDIV", "FDIVR"};
            String[] att = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
            for (int reg = 0; reg < 8; reg++) {
                boolean cmp = reg == 2 || reg == 3;
                int pop = reg == 3 ? POP : 0;
                // D8: m32fp and ST(0) op ST(i); DA m32int; DC m64fp; DE m16int.
                arith(mem(0xD8, reg, arith[reg], att[reg] + "s", "M32fp"), cmp).a(pop).add();
                arith(mem(0xDA, reg, "FI" + arith[reg].substring(1), "fi" + att[reg].substring(1) + "l", "M32int"), cmp)
                        .a(pop).add();
                arith(mem(0xDC, reg, arith[reg], att[reg] + "l", "M64fp"), cmp).a(pop).add();
                arith(mem(0xDE, reg, "FI" + arith[reg].substring(1), "fi" + att[reg].substring(1) + "s", "M16int"), cmp)
                        .a(pop).add();
                arith(sti(0xD8, reg, arith[reg], att[reg], cmp ? "STi" : "ST0,STi"), cmp).a(pop).add();
            }
            // DC and DE register forms: ST(i) op= ST(0). objdump (as the AT&T assemblers) names E0/E8 and F0/F8
            // the other way round from the SDM: DC E0+i is Intel's FSUBR ST(i),ST(0) and prints "fsub".
            String[] rev = {"FADD", "FMUL", null, null, "FSUBR", "FSUB", "FDIVR", "FDIV"};
            String[] revAtt = {"fadd", "fmul", null, null, "fsub", "fsubr", "fdiv", "fdivr"};
            for (int reg : new int[] {0, 1, 4, 5, 6, 7}) {
                arith(sti(0xDC, reg, rev[reg], revAtt[reg], "STi,ST0"), false).add();
                arith(sti(0xDE, reg, rev[reg] + "P", revAtt[reg] + "p", "STi,ST0"), false).a(POP).add();
            }
            arith(sti(0xDC, 2, "FCOM2", "(bad)", "STi"), true).a(ALIAS).add();
            arith(sti(0xDC, 3, "FCOMP3", "(bad)", "STi"), true).a(ALIAS | POP).add();
            arith(sti(0xDE, 2, "FCOMP5", "(bad)", "STi"), true).a(ALIAS | POP).add();
            arith(one(0xDE, 0xD9, "FCOMPP", "fcompp", ""), true).a(POP).add();
            d9();
            dbDaDf();
            dd();
        }

        /**
         * Condition codes of an arithmetic row (SDM Vol. 2, "FPU Flags Affected"): C1 is round-up or
         * stack fault and C0, C2, C3 are undefined; a {@code compare} sets all four.
         */
        private static B arith(B b, boolean compare) {
            return compare ? b.cc(CC, 0) : b.cc(C1, C0 | C2 | C3);
        }

        private void d9() {
            mem(0xD9, 0, "FLD", "flds", "M32fp").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xD9, 2, "FST", "fsts", "M32fp").cc(C1, C0 | C2 | C3).add();
            mem(0xD9, 3, "FSTP", "fstps", "M32fp").cc(C1, C0 | C2 | C3).a(POP).add();
            mem(0xD9, 4, "FLDENV", "fldenv", "M14_28byte").cc(CC, 0).a(CONTROL | LAYOUT).add();
            mem(0xD9, 5, "FLDCW", "fldcw", "M2byte").cc(0, CC).a(CONTROL).add();
            mem(0xD9, 6, "FNSTENV", "fnstenv", "M14_28byte").cc(0, CC).a(NOWAIT | LAYOUT).add();
            mem(0xD9, 7, "FNSTCW", "fnstcw", "M2byte").cc(0, CC).a(NOWAIT).add();
            sti(0xD9, 0, "FLD", "fld", "STi").cc(C1, C0 | C2 | C3).a(PUSH).add();
            sti(0xD9, 1, "FXCH", "fxch", "STi").cc(C1, C0 | C2 | C3).add();
            one(0xD9, 0xD0, "FNOP", "fnop", "").cc(0, CC).add();
            sti(0xD9, 3, "FSTP1", "(bad)", "STi").cc(C1, C0 | C2 | C3).a(ALIAS | POP).add();
            one(0xD9, 0xE0, "FCHS", "fchs", "").cc(C1, C0 | C2 | C3).add();
            one(0xD9, 0xE1, "FABS", "fabs", "").cc(C1, C0 | C2 | C3).add();
            one(0xD9, 0xE4, "FTST", "ftst", "").cc(CC, 0).add();
            one(0xD9, 0xE5, "FXAM", "fxam", "").cc(CC, 0).add();
            String[] consts = {"FLD1", "FLDL2T", "FLDL2E", "FLDPI", "FLDLG2", "FLDLN2", "FLDZ"};
            for (int i = 0; i < consts.length; i++) {
                one(0xD9, 0xE8 + i, consts[i], consts[i].toLowerCase(), "").cc(C1, C0 | C2 | C3).a(PUSH).add();
            }
            String[] f0 = {"F2XM1", "FYL2X", "FPTAN", "FPATAN", "FXTRACT", "FPREM1", "FDECSTP", "FINCSTP",
                "FPREM", "FYL2XP1", "FSQRT", "FSINCOS", "FRNDINT", "FSCALE", "FSIN", "FCOS"};
            for (int i = 0; i < f0.length; i++) {
                String n = f0[i];
                B b = one(0xD9, 0xF0 + i, n, n.toLowerCase(), "");
                switch (n) {
                    case "FPREM", "FPREM1" -> b.cc(CC, 0); // C0, C3, C1: quotient bits; C2: incomplete
                    case "FPTAN", "FSIN", "FCOS", "FSINCOS" -> b.cc(C1 | C2, C0 | C3); // C2: out of range
                    default -> b.cc(C1, C0 | C2 | C3);
                }
                if (n.equals("FYL2X") || n.equals("FPATAN") || n.equals("FYL2XP1")) {
                    b.a(POP);
                } else if (n.equals("FPTAN") || n.equals("FXTRACT") || n.equals("FSINCOS")) {
                    b.a(PUSH);
                }
                b.add();
            }
        }

        private void dbDaDf() {
            String[] cmov = {"B", "E", "BE", "U"};
            int[] cmovFlags = {OpTable.CF, OpTable.ZF, OpTable.CF | OpTable.ZF, OpTable.PF};
            for (int reg = 0; reg < 4; reg++) {
                String c = cmov[reg];
                sti(0xDA, reg, "FCMOV" + c, "fcmov" + c.toLowerCase(), "ST0,STi").cc(C1, C0 | C2 | C3)
                        .eflags(cmovFlags[reg], 0).since(OpTable.Model.P6).add();
                sti(0xDB, reg, "FCMOVN" + c, "fcmovn" + c.toLowerCase(), "ST0,STi").cc(C1, C0 | C2 | C3)
                        .eflags(cmovFlags[reg], 0).since(OpTable.Model.P6).add();
            }
            one(0xDA, 0xE9, "FUCOMPP", "fucompp", "").cc(CC, 0).a(POP).add();
            // DB: FISTTP (/1, SSE3) and /4, /6 are #UD; E5 (the 287's FRSTPM) too.
            mem(0xDB, 0, "FILD", "fildl", "M32int").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDB, 2, "FIST", "fistl", "M32int").cc(C1, C0 | C2 | C3).add();
            mem(0xDB, 3, "FISTP", "fistpl", "M32int").cc(C1, C0 | C2 | C3).a(POP).add();
            mem(0xDB, 5, "FLD", "fldt", "M80fp").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDB, 7, "FSTP", "fstpt", "M80fp").cc(C1, C0 | C2 | C3).a(POP).add();
            // The 8087's FENI/FDISI and the 287's FSETPM: no-ops on a 387 and later.
            one(0xDB, 0xE0, "FNENI", "fneni(8087 only)", "").a(NOWAIT).add();
            one(0xDB, 0xE1, "FNDISI", "fndisi(8087 only)", "").a(NOWAIT).add();
            one(0xDB, 0xE2, "FNCLEX", "fnclex", "").cc(0, CC).a(NOWAIT).add();
            one(0xDB, 0xE3, "FNINIT", "fninit", "").cc(CC, 0).a(NOWAIT).add();
            one(0xDB, 0xE4, "FNSETPM", "fnsetpm(287 only)", "").a(NOWAIT).add();
            int cmpFlags = OpTable.ZF | OpTable.PF | OpTable.CF;
            sti(0xDB, 5, "FUCOMI", "fucomi", "ST0,STi").cc(C1, 0).eflags(0, cmpFlags).since(OpTable.Model.P6).add();
            sti(0xDB, 6, "FCOMI", "fcomi", "ST0,STi").cc(C1, 0).eflags(0, cmpFlags).since(OpTable.Model.P6).add();
            // DF
            mem(0xDF, 0, "FILD", "filds", "M16int").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDF, 2, "FIST", "fists", "M16int").cc(C1, C0 | C2 | C3).add();
            mem(0xDF, 3, "FISTP", "fistps", "M16int").cc(C1, C0 | C2 | C3).a(POP).add();
            mem(0xDF, 4, "FBLD", "fbld", "M80bcd").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDF, 5, "FILD", "fildll", "M64int").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDF, 6, "FBSTP", "fbstp", "M80bcd").cc(C1, C0 | C2 | C3).a(POP).add();
            mem(0xDF, 7, "FISTP", "fistpll", "M64int").cc(C1, C0 | C2 | C3).a(POP).add();
            sti(0xDF, 0, "FFREEP", "ffreep", "STi").cc(0, CC).a(POP).add();
            sti(0xDF, 1, "FXCH7", "(bad)", "STi").cc(C1, C0 | C2 | C3).a(ALIAS).add();
            sti(0xDF, 2, "FSTP8", "(bad)", "STi").cc(C1, C0 | C2 | C3).a(ALIAS | POP).add();
            sti(0xDF, 3, "FSTP9", "(bad)", "STi").cc(C1, C0 | C2 | C3).a(ALIAS | POP).add();
            one(0xDF, 0xE0, "FNSTSW", "fnstsw", "AX").cc(0, CC).a(NOWAIT).add();
            sti(0xDF, 5, "FUCOMIP", "fucomip", "ST0,STi").cc(C1, 0).eflags(0, cmpFlags).a(POP)
                    .since(OpTable.Model.P6).add();
            sti(0xDF, 6, "FCOMIP", "fcomip", "ST0,STi").cc(C1, 0).eflags(0, cmpFlags).a(POP)
                    .since(OpTable.Model.P6).add();
        }

        private void dd() {
            // DD /1 (FISTTP m64int, SSE3) and /5 are #UD.
            mem(0xDD, 0, "FLD", "fldl", "M64fp").cc(C1, C0 | C2 | C3).a(PUSH).add();
            mem(0xDD, 2, "FST", "fstl", "M64fp").cc(C1, C0 | C2 | C3).add();
            mem(0xDD, 3, "FSTP", "fstpl", "M64fp").cc(C1, C0 | C2 | C3).a(POP).add();
            mem(0xDD, 4, "FRSTOR", "frstor", "M94_108byte").cc(CC, 0).a(CONTROL | LAYOUT).add();
            mem(0xDD, 6, "FNSAVE", "fnsave", "M94_108byte").cc(CC, 0).a(NOWAIT | LAYOUT).add();
            mem(0xDD, 7, "FNSTSW", "fnstsw", "M2byte").cc(0, CC).a(NOWAIT).add();
            sti(0xDD, 0, "FFREE", "ffree", "STi").cc(0, CC).add();
            sti(0xDD, 1, "FXCH4", "(bad)", "STi").cc(C1, C0 | C2 | C3).a(ALIAS).add();
            sti(0xDD, 2, "FST", "fst", "STi").cc(C1, C0 | C2 | C3).add();
            sti(0xDD, 3, "FSTP", "fstp", "STi").cc(C1, C0 | C2 | C3).a(POP).add();
            sti(0xDD, 4, "FUCOM", "fucom", "STi").cc(CC, 0).add();
            sti(0xDD, 5, "FUCOMP", "fucomp", "STi").cc(CC, 0).a(POP).add();
        }
    }
}
