package jx86.cpu.fpu;

import jx86.cpu.X87Table;

/**
 * The x87 FPU of a P6 (SDM Vol. 1, chapter 8; Vol. 2 for each instruction): the register stack,
 * control/status/tag words, the last-instruction and last-operand pointers, and every escape
 * instruction D8-DF of the 387 plus FCOMI/FUCOMI(P) and FCMOVcc (P6), with the undocumented
 * aliases a P6 executes (FCOM2, FCOMP3, FCOMP5, FXCH4, FXCH7, FSTP1, FSTP8, FSTP9, FFREEP).
 *
 * <p>The one entry point is {@link #execute}: the CPU has already raised #NM for CR0.EM/TS and
 * decoded the ModR/M byte and effective address. Every instruction reads its memory operands and
 * probes its memory destinations before it changes FPU state, so a fault (and the CPU's rollback of
 * EIP/ESP) leaves the FPU as it was.
 */
public final class X87 {
    public static final int SW_SF = 0x40;
    public static final int SW_ES = 0x80;
    public static final int SW_C0 = 0x100;
    public static final int SW_C1 = 0x200;
    public static final int SW_C2 = 0x400;
    public static final int SW_C3 = 0x4000;
    public static final int SW_B = 0x8000;
    private static final int CC = SW_C0 | SW_C1 | SW_C2 | SW_C3;

    /** Physical registers R0-R7. */
    final Ext80[] r = new Ext80[8];
    /** Bit i set: physical register i is empty. */
    int empty = 0xFF;
    int top;
    int cw = 0x037F;
    /** Status word without TOP (bits 11-13 are kept zero here). */
    int sw;
    int fip;
    int fcs;
    int fop;
    int fdp;
    int fds;

    final F80Math m = new F80Math();

    public X87() {
        powerOn();
    }

    /** RESET state (SDM Vol. 3A, Table 9-1): CW 0x0040, SW 0, TW 0x5555 (all registers +0.0). */
    public void powerOn() {
        finit();
        cw = 0x0040;
        empty = 0;
        for (int i = 0; i < 8; i++) {
            r[i] = Ext80.POS_ZERO;
        }
    }

    /** FNINIT: CW 0x037F, SW 0, all registers empty, pointers and opcode 0. */
    public void finit() {
        cw = 0x037F;
        sw = 0;
        top = 0;
        empty = 0xFF;
        fip = 0;
        fcs = 0;
        fop = 0;
        fdp = 0;
        fds = 0;
        for (int i = 0; i < 8; i++) {
            if (r[i] == null) {
                r[i] = Ext80.POS_ZERO;
            }
        }
    }

    // ---- architectural views ----

    public int controlWord() {
        return cw;
    }

    public int statusWord() {
        return (sw & ~0x3800) | (top << 11);
    }

    /** The full tag word (two bits per physical register, SDM Vol. 1, 8.1.7). */
    public int tagWord() {
        int tw = 0;
        for (int i = 0; i < 8; i++) {
            int t = (empty >>> i & 1) != 0 ? 3 : r[i].tag();
            tw |= t << (2 * i);
        }
        return tw;
    }

    /** ST(i) as stored (also when the register is empty). */
    public Ext80 st(int i) {
        return r[(top + i) & 7];
    }

    public boolean isEmpty(int i) {
        return (empty >>> ((top + i) & 7) & 1) != 0;
    }

    /** True when an unmasked exception is pending (ES): the next waiting instruction reports it. */
    public boolean errorPending() {
        return (sw & SW_ES) != 0;
    }

    // ---- the entry point ----

    /**
     * Executes escape opcode {@code op} (0xD8-0xDF) with ModR/M byte {@code modrm}; for memory forms
     * {@code seg}:{@code off} is the effective address. Returns false for an encoding that is #UD
     * (the caller raises it).
     */
    public boolean execute(Bus b, int op, int modrm, int seg, int off) {
        int mod = modrm >>> 6;
        int reg = (modrm >>> 3) & 7;
        int rm = modrm & 7;
        boolean mem = mod != 3;
        // Which encodings exist, and which are non-waiting or control instructions, is the opcode table's.
        X87Table.Row row = X87Table.lookup(op, modrm);
        if (row == null) {
            return false;
        }
        boolean nonWaiting = row.has(X87Table.NOWAIT);
        if (!nonWaiting && (sw & SW_ES) != 0) {
            b.fpuError();
        }
        // Control instructions (FLDENV, FLDCW, FRSTOR and the non-waiting ones) keep the pointers (SDM Vol. 1, 8.1.8).
        boolean control = nonWaiting || row.has(X87Table.CONTROL);
        m.cw = cw;
        m.clear();
        int opcode = ((op & 7) << 8) | modrm;
        if (!control) {
            // Last instruction pointer and opcode; the data pointer only for memory operands.
            fip = b.realLayout() ? b.segmentBase(1) + b.insnOffset() : b.insnOffset();
            fcs = b.csSelector();
            fop = opcode;
            if (mem) {
                fdp = b.realLayout() ? b.segmentBase(seg) + off : off;
                fds = b.selector(seg);
            }
        }
        if (mem) {
            memOp(b, op, reg, seg, off);
        } else {
            regOp(b, op, reg, rm, modrm);
        }
        return true;
    }

    // ---- stack helpers ----

    private int phys(int i) {
        return (top + i) & 7;
    }

    private void setSt(int i, Ext80 v) {
        int p = phys(i);
        r[p] = v;
        empty &= ~(1 << p);
    }

    private void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    private void push(Ext80 v) {
        top = (top - 1) & 7;
        r[top] = v;
        empty &= ~(1 << top);
    }

    /** Stack underflow (IE + SF, C1 = 0); true when masked (the caller writes the indefinite). */
    private boolean underflow() {
        sw = (sw & ~SW_C1) | SW_SF;
        return raise(F80Math.IE);
    }

    /** Stack overflow (IE + SF, C1 = 1); true when masked. */
    private boolean overflow() {
        sw |= SW_SF | SW_C1;
        return raise(F80Math.IE);
    }

    /** Records exception flags; true when every one of them is masked. */
    private boolean raise(int e) {
        sw |= e;
        if ((e & ~cw & 0x3F) != 0) {
            sw |= SW_ES | SW_B;
            return false;
        }
        return true;
    }

    /** Ends an arithmetic operation: records m's flags and C1 (rounded up); true when the result may be stored. */
    private boolean commit() {
        boolean store = !m.blocked();
        raise(m.exc);
        if (store) {
            sw = m.c1 ? sw | SW_C1 : sw & ~SW_C1;
        }
        return store;
    }

    private void setCc(int cc) {
        sw = (sw & ~CC) | cc;
    }

    // ---- memory operand forms ----

    private void memOp(Bus b, int op, int reg, int seg, int off) {
        switch (op) {
            case 0xD8 -> arithMem(reg, m.fromBinary(b.read(seg, off, 4) & 0xFFFF_FFFFL, 8, 23, false));
            case 0xDC -> arithMem(reg, m.fromBinary(read64(b, seg, off), 11, 52, false));
            case 0xDA -> arithMem(reg, F80Math.fromLong(b.read(seg, off, 4)));
            case 0xDE -> arithMem(reg, F80Math.fromLong((short) b.read(seg, off, 2)));
            case 0xD9 -> d9Mem(b, reg, seg, off);
            case 0xDB -> dbMem(b, reg, seg, off);
            case 0xDD -> ddMem(b, reg, seg, off);
            default -> dfMem(b, reg, seg, off);
        }
    }

    private long read64(Bus b, int seg, int off) {
        b.checkRead(seg, off, 8);
        long lo = b.read(seg, off, 4) & 0xFFFF_FFFFL;
        long hi = b.read(seg, b.offPlus(off, 4), 4) & 0xFFFF_FFFFL;
        return lo | (hi << 32);
    }

    private void write64(Bus b, int seg, int off, long v) {
        b.write(seg, off, 4, (int) v);
        b.write(seg, b.offPlus(off, 4), 4, (int) (v >>> 32));
    }

    private Ext80 read80(Bus b, int seg, int off) {
        b.checkRead(seg, off, 10);
        long sig = read64(b, seg, off);
        int se = b.read(seg, b.offPlus(off, 8), 2);
        return new Ext80(se, sig);
    }

    private void write80(Bus b, int seg, int off, Ext80 v) {
        write64(b, seg, off, v.sig());
        b.write(seg, b.offPlus(off, 8), 2, v.se());
    }

    /** D8/DA/DC/DE memory forms: ST(0) op source; /2 and /3 compare (and pop). */
    private void arithMem(int reg, Ext80 src) {
        if (reg == 2 || reg == 3) {
            compareSt0(src, true, reg == 3, false);
            return;
        }
        int loadExc = m.exc;
        if (isEmpty(0)) {
            m.exc = loadExc;
            if (underflow()) {
                setSt(0, Ext80.INDEFINITE);
            }
            return;
        }
        // A denormal dividend over a zero ST(0) (FDIVR) is a zero divide only.
        if (!(reg == 7 && st(0).isZero()) && memDenormal(st(0))) {
            raise(m.exc);
            return;
        }
        Ext80 res = arith(reg, st(0), src);
        m.exc |= loadExc;
        if (commit()) {
            setSt(0, res);
        }
    }

    /**
     * A single/double denormal memory operand raises DE unless ST(0) is a NaN or unsupported (the
     * invalid-operand rules come first); true when DE is unmasked and the instruction stops.
     */
    private boolean memDenormal(Ext80 st0) {
        if (m.srcDenormal && !st0.isNaN() && !st0.isUnsupported()) {
            m.exc |= F80Math.DE;
            return !m.masked(F80Math.DE);
        }
        return false;
    }

    /** kind 0 add, 1 mul, 4 x-y, 5 y-x, 6 x/y, 7 y/x. */
    private Ext80 arith(int kind, Ext80 x, Ext80 y) {
        return switch (kind) {
            case 0 -> m.add(x, y, false);
            case 1 -> m.mul(x, y);
            case 4 -> m.add(x, y, true);
            case 5 -> m.add(y, x, true);
            case 6 -> m.div(x, y);
            default -> m.div(y, x);
        };
    }

    private void d9Mem(Bus b, int reg, int seg, int off) {
        switch (reg) {
            case 0 -> {
                Ext80 v = m.fromBinary(b.read(seg, off, 4) & 0xFFFF_FFFFL, 8, 23);
                load(v);
            }
            case 2, 3 -> {
                b.checkWrite(seg, off, 4);
                storeBinary(reg == 3, 8, 23, bits -> b.write(seg, off, 4, (int) bits));
            }
            case 4 -> fldenv(b, seg, off);
            case 5 -> {
                cw = b.read(seg, off, 2) | 0x40;
                cw &= 0x1F7F;
                updateEs();
            }
            case 6 -> {
                fstenv(b, seg, off);
                cw |= 0x3F;
                updateEs();
            }
            default -> b.write(seg, off, 2, cw);
        }
    }

    private void dbMem(Bus b, int reg, int seg, int off) {
        switch (reg) {
            case 0 -> load(F80Math.fromLong(b.read(seg, off, 4)));
            case 2, 3 -> {
                b.checkWrite(seg, off, 4);
                storeInt(reg == 3, 32, v -> b.write(seg, off, 4, (int) v));
            }
            case 5 -> load(read80(b, seg, off));
            default -> { // 7: FSTP m80
                b.checkWrite(seg, off, 10);
                Ext80 v;
                if (isEmpty(0)) {
                    if (!underflow()) {
                        return;
                    }
                    v = Ext80.INDEFINITE;
                } else {
                    v = st(0);
                }
                write80(b, seg, off, v);
                sw &= ~SW_C1;
                pop();
            }
        }
    }

    private void ddMem(Bus b, int reg, int seg, int off) {
        switch (reg) {
            case 0 -> load(m.fromBinary(read64(b, seg, off), 11, 52));
            case 2, 3 -> {
                b.checkWrite(seg, off, 8);
                storeBinary(reg == 3, 11, 52, bits -> write64(b, seg, off, bits));
            }
            case 4 -> frstor(b, seg, off);
            case 6 -> fsave(b, seg, off);
            default -> b.write(seg, off, 2, statusWord());
        }
    }

    private void dfMem(Bus b, int reg, int seg, int off) {
        switch (reg) {
            case 0 -> load(F80Math.fromLong((short) b.read(seg, off, 2)));
            case 2, 3 -> {
                b.checkWrite(seg, off, 2);
                storeInt(reg == 3, 16, v -> b.write(seg, off, 2, (int) v));
            }
            case 4 -> {
                b.checkRead(seg, off, 10);
                byte[] bcd = new byte[10];
                for (int i = 0; i < 10; i++) {
                    bcd[i] = (byte) b.read(seg, b.offPlus(off, i), 1);
                }
                load(Bcd.decode(bcd));
            }
            case 5 -> load(F80Math.fromLong(read64(b, seg, off)));
            case 6 -> {
                b.checkWrite(seg, off, 10);
                fbstp(b, seg, off);
            }
            default -> {
                b.checkWrite(seg, off, 8);
                storeInt(true, 64, v -> write64(b, seg, off, v));
            }
        }
    }

    /** FLD/FILD/FBLD: pushes a loaded value (with stack overflow checks and load exceptions). */
    private void load(Ext80 v) {
        if (!isEmpty(7)) {
            if (overflow()) {
                push(Ext80.INDEFINITE);
            }
            return;
        }
        // An unmasked denormal exception still loads the value (host x87); an unmasked invalid does not.
        boolean ok = (m.exc & ~cw & F80Math.IE) == 0;
        raise(m.exc);
        if (ok) {
            sw &= ~SW_C1;
            push(v);
        }
    }

    interface LongSink {
        void put(long v);
    }

    /** FST/FSTP m32/m64. */
    private void storeBinary(boolean pop, int expBits, int fracBits, LongSink out) {
        long bits;
        if (isEmpty(0)) {
            if (!underflow()) {
                return;
            }
            bits = m.toBinary(Ext80.INDEFINITE, expBits, fracBits);
        } else {
            bits = m.toBinary(st(0), expBits, fracBits);
            boolean stored = m.stored;
            boolean ok = commit() || stored;
            if (!stored || !ok) {
                return;
            }
        }
        out.put(bits);
        if (pop) {
            pop();
        }
    }

    /** FIST/FISTP m16/m32/m64. */
    private void storeInt(boolean pop, int bits, LongSink out) {
        long v;
        if (isEmpty(0)) {
            if (!underflow()) {
                return;
            }
            v = 1L << (bits - 1);
        } else {
            v = m.toInt(st(0), bits);
            if (!commit()) {
                return;
            }
        }
        out.put(v);
        if (pop) {
            pop();
        }
    }

    private void fbstp(Bus b, int seg, int off) {
        byte[] out;
        if (isEmpty(0)) {
            if (!underflow()) {
                return;
            }
            out = Bcd.indefinite();
        } else {
            out = Bcd.encode(m, st(0));
            if (!commit()) {
                return;
            }
        }
        for (int i = 0; i < 10; i++) {
            b.write(seg, b.offPlus(off, i), 1, out[i]);
        }
        pop();
    }

    // ---- register forms ----

    private void regOp(Bus b, int op, int reg, int rm, int modrm) {
        switch (op) {
            case 0xD8 -> arithReg(reg, 0, rm, false);
            case 0xDC -> arithReg(reg, rm, 0, false);
            case 0xDE -> {
                if (reg == 3) {
                    compareRegs(1, true, 2, false); // FCOMPP
                } else {
                    arithReg(reg, rm, 0, true);
                }
            }
            case 0xD9 -> d9Reg(reg, rm, modrm);
            case 0xDA -> {
                if (modrm == 0xE9) {
                    compareRegs(1, false, 2, false); // FUCOMPP
                } else {
                    fcmov(b, reg, rm, false);
                }
            }
            case 0xDB -> dbReg(b, reg, rm, modrm);
            case 0xDD -> ddReg(reg, rm);
            default -> dfReg(b, reg, rm, modrm);
        }
    }

    /** Arithmetic with register operands: destination ST(dst), the other ST(src); pop afterwards for DE. */
    private void arithReg(int reg, int dst, int src, boolean popAfter) {
        if (reg == 2 || reg == 3) {
            // FCOM/FCOMP (D8), FCOM2/FCOMP3 (DC), FCOMP5 (DE): ST(0) against ST(i).
            compareRegs(dst + src, true, reg == 3 || popAfter ? 1 : 0, false);
            return;
        }
        int kind = reg;
        if (dst != 0 && reg >= 4) {
            kind = reg ^ 1;
        }
        if (isEmpty(dst) || isEmpty(src)) {
            if (underflow()) {
                setSt(dst, Ext80.INDEFINITE);
                if (popAfter) {
                    pop();
                }
            }
            return;
        }
        Ext80 res = arith(kind, st(dst), st(src));
        if (commit()) {
            setSt(dst, res);
            if (popAfter) {
                pop();
            }
        }
    }

    /** C3/C2/C0 for a comparison result -1 (less), 0 (equal), 1 (greater), 2 (unordered). */
    private static int cmpCc(int c) {
        return switch (c) {
            case -1 -> SW_C0;
            case 0 -> SW_C3;
            case 1 -> 0;
            default -> SW_C3 | SW_C2 | SW_C0;
        };
    }

    /** FCOM/FUCOM family on ST(0) and ST(i); pops {@code pops} times; FCOMI-style into EFLAGS when eflagsOut. */
    private void compareRegs(int i, boolean signal, int pops, boolean eflagsOut) {
        if (isEmpty(0) || isEmpty(i)) {
            // Unordered codes even when the exception is unmasked (host x87); pops only when masked.
            boolean masked = underflow();
            setCc(SW_C3 | SW_C2 | SW_C0);
            if (masked) {
                doPops(pops);
            }
            return;
        }
        int c = m.compare(st(0), st(i), signal);
        finishCompare(c, pops);
    }

    private void compareSt0(Ext80 src, boolean signal, boolean popAfter, boolean unused) {
        int loadExc = m.exc;
        if (isEmpty(0)) {
            boolean masked = underflow();
            setCc(SW_C3 | SW_C2 | SW_C0);
            if (masked && popAfter) {
                pop();
            }
            return;
        }
        memDenormal(st(0));
        int c = m.compare(st(0), src, signal);
        m.exc |= loadExc;
        finishCompare(c, popAfter ? 1 : 0);
    }

    private void finishCompare(int c, int pops) {
        boolean ok = !m.blocked();
        raise(m.exc);
        setCc(cmpCc(c)); // also with an unmasked exception (host x87)
        if (ok) {
            doPops(pops);
        }
    }

    private void doPops(int n) {
        for (int k = 0; k < n; k++) {
            pop();
        }
    }

    /** FCOMI/FUCOMI(P): compare ST(0) with ST(i) into ZF, PF, CF. */
    private void comi(Bus b, int i, boolean signal, boolean popAfter) {
        if (isEmpty(0) || isEmpty(i)) {
            boolean masked = underflow();
            b.setCompareFlags(true, true, true);
            if (masked && popAfter) {
                pop();
            }
            return;
        }
        int c = m.compare(st(0), st(i), signal);
        boolean ok = !m.blocked();
        raise(m.exc); // C1 unchanged (host x87)
        // Unordered sets ZF, PF, CF even when the invalid exception is unmasked (host x87).
        b.setCompareFlags(c == 0 || c == 2, c == 2, c == -1 || c == 2);
        if (ok && popAfter) {
            pop();
        }
    }

    private void fcmov(Bus b, int reg, int rm, boolean negate) {
        int f = b.eflags();
        boolean cf = (f & 1) != 0;
        boolean pf = (f & 4) != 0;
        boolean zf = (f & 0x40) != 0;
        boolean cond = switch (reg & 3) {
            case 0 -> cf;
            case 1 -> zf;
            case 2 -> cf || zf;
            default -> pf;
        };
        if (negate) {
            cond = !cond;
        }
        if (isEmpty(0) || isEmpty(rm)) {
            // The masked response writes the indefinite whatever the condition (as the host x87 does).
            if (underflow()) {
                setSt(0, Ext80.INDEFINITE);
            }
            return;
        }
        if (cond) { // C1 unchanged (host x87)
            setSt(0, st(rm));
        }
    }

    private void d9Reg(int reg, int rm, int modrm) {
        switch (reg) {
            case 0 -> { // FLD ST(i)
                if (isEmpty(rm)) {
                    // An empty source is reported (underflow, C1 = 0) before a full stack.
                    if (underflow()) {
                        push(Ext80.INDEFINITE);
                    }
                    return;
                }
                load(st(rm));
            }
            case 1 -> fxch(rm);
            case 2 -> {
                // FNOP (D9 D0): condition codes unchanged
            }
            case 3 -> fstReg(rm, true); // FSTP1
            case 4 -> d9E0(modrm);
            case 5 -> loadConstant(modrm);
            case 6 -> Transcendental.d9F0(this, modrm);
            default -> Transcendental.d9F8(this, modrm);
        }
    }

    private void fxch(int i) {
        if (isEmpty(0) || isEmpty(i)) {
            if (!underflow()) {
                return;
            }
            if (isEmpty(0)) {
                setSt(0, Ext80.INDEFINITE);
            }
            if (isEmpty(i)) {
                setSt(i, Ext80.INDEFINITE);
            }
        } else {
            sw &= ~SW_C1;
        }
        Ext80 t = st(0);
        setSt(0, st(i));
        setSt(i, t);
    }

    private void fstReg(int i, boolean popAfter) {
        if (isEmpty(0)) {
            if (underflow()) {
                setSt(i, Ext80.INDEFINITE);
                if (popAfter) {
                    pop();
                }
            }
            return;
        }
        sw &= ~SW_C1;
        setSt(i, st(0));
        if (popAfter) {
            pop();
        }
    }

    private void d9E0(int modrm) {
        if (isEmpty(0)) {
            if (modrm == 0xE5) { // FXAM of an empty register
                setCc(SW_C3 | SW_C0 | (st(0).negative() ? SW_C1 : 0));
                return;
            }
            boolean masked = underflow();
            if (modrm == 0xE4) {
                setCc(SW_C3 | SW_C2 | SW_C0); // FTST: unordered, also when unmasked (host x87)
            } else if (masked) {
                setSt(0, Ext80.INDEFINITE);
            }
            return;
        }
        Ext80 x = st(0);
        switch (modrm) {
            case 0xE0 -> {
                sw &= ~SW_C1;
                setSt(0, x.negate());
            }
            case 0xE1 -> {
                sw &= ~SW_C1;
                setSt(0, x.withSign(false));
            }
            case 0xE4 -> compareSt0(Ext80.POS_ZERO, true, false, false);
            default -> setCc(fxamClass(x) | (x.negative() ? SW_C1 : 0));
        }
    }

    private static int fxamClass(Ext80 x) {
        if (x.isUnsupported()) {
            return 0;
        }
        if (x.isNaN()) {
            return SW_C0;
        }
        if (x.isInf()) {
            return SW_C2 | SW_C0;
        }
        if (x.isZero()) {
            return SW_C3;
        }
        if (x.isDenormal()) {
            return SW_C3 | SW_C2;
        }
        return SW_C2;
    }

    private void loadConstant(int modrm) {
        Ext80 v = switch (modrm) {
            case 0xE8 -> Ext80.ONE;
            case 0xEE -> Ext80.POS_ZERO;
            default -> Constants.get(modrm, m.rc());
        };
        load(v);
    }

    private void dbReg(Bus b, int reg, int rm, int modrm) {
        switch (reg) {
            case 0, 1, 2, 3 -> fcmov(b, reg, rm, true);
            case 4 -> {
                if (modrm == 0xE2) {
                    sw &= ~(0x3F | SW_SF | SW_ES | SW_B);
                } else if (modrm == 0xE3) {
                    finit();
                }
                // E0 FENI, E1 FDISI, E4 FSETPM: no-ops on a 387 and later.
            }
            case 5 -> comi(b, rm, false, false);
            case 6 -> comi(b, rm, true, false);
            default -> throw new IllegalStateException("DB /7 register form is #UD");
        }
    }

    private void ddReg(int reg, int rm) {
        switch (reg) {
            case 0 -> { // FFREE (clears C1 on the host x87)
                empty |= 1 << phys(rm);
                sw &= ~SW_C1;
            }
            case 1 -> fxch(rm); // FXCH4
            case 2 -> fstReg(rm, false);
            case 3 -> fstReg(rm, true);
            case 4 -> compareRegs(rm, false, 0, false); // FUCOM
            case 5 -> compareRegs(rm, false, 1, false); // FUCOMP
            default -> throw new IllegalStateException("DD /6 /7 register forms are #UD");
        }
    }

    private void dfReg(Bus b, int reg, int rm, int modrm) {
        switch (reg) {
            case 0 -> { // FFREEP
                empty |= 1 << phys(rm);
                pop();
            }
            case 1 -> fxch(rm); // FXCH7
            case 2, 3 -> fstReg(rm, true); // FSTP8, FSTP9
            case 4 -> b.setAx(statusWord()); // FNSTSW AX
            case 5 -> comi(b, rm, false, true);
            case 6 -> comi(b, rm, true, true);
            default -> throw new IllegalStateException("DF /7 register form is #UD");
        }
    }

    // ---- environment ----

    private void updateEs() {
        if ((sw & ~cw & 0x3F) != 0) {
            sw |= SW_ES | SW_B;
        } else {
            sw &= ~(SW_ES | SW_B);
        }
    }

    private int envSize(Bus b) {
        return b.operandSize() == 4 ? 28 : 14;
    }

    private void fstenv(Bus b, int seg, int off) {
        b.checkWrite(seg, off, envSize(b));
        writeEnv(b, seg, off);
    }

    private void writeEnv(Bus b, int seg, int off) {
        int[] w = envWords(b);
        int step = b.operandSize();
        for (int i = 0; i < 7; i++) {
            b.write(seg, b.offPlus(off, i * step), step, w[i]);
        }
    }

    /** The seven fields of FSTENV in the layout of the current mode and operand size (SDM Vol. 1, 8.1.10). */
    private int[] envWords(Bus b) {
        boolean o32 = b.operandSize() == 4;
        int pad = o32 ? 0xFFFF_0000 : 0;
        int[] w = new int[7];
        w[0] = pad | cw;
        w[1] = pad | statusWord();
        w[2] = pad | tagWord();
        if (b.realLayout()) {
            if (o32) {
                w[3] = pad | (fip & 0xFFFF);
                w[4] = ((fip >>> 16) << 12) | fop;
                w[5] = pad | (fdp & 0xFFFF);
                w[6] = (fdp >>> 16) << 12;
            } else {
                w[3] = fip & 0xFFFF;
                w[4] = ((fip >>> 16 & 0xF) << 12) | fop;
                w[5] = fdp & 0xFFFF;
                w[6] = (fdp >>> 16 & 0xF) << 12;
            }
        } else {
            w[3] = o32 ? fip : fip & 0xFFFF;
            w[4] = o32 ? (fop << 16) | fcs : fcs;
            w[5] = o32 ? fdp : fdp & 0xFFFF;
            w[6] = o32 ? (pad | fds) : fds;
        }
        return w;
    }

    private int[] readEnv(Bus b, int seg, int off) {
        int step = b.operandSize();
        int[] w = new int[7];
        for (int i = 0; i < 7; i++) {
            w[i] = b.read(seg, b.offPlus(off, i * step), step);
        }
        return w;
    }

    private void applyEnv(Bus b, int[] w) {
        cw = (w[0] & 0x1F7F) | 0x40;
        int s = w[1] & 0xFFFF;
        top = (s >>> 11) & 7;
        sw = s & ~0x3800;
        int tw = w[2] & 0xFFFF;
        empty = 0;
        for (int i = 0; i < 8; i++) {
            if ((tw >>> (2 * i) & 3) == 3) {
                empty |= 1 << i;
            }
        }
        boolean o32 = b.operandSize() == 4;
        if (b.realLayout()) {
            fip = (w[3] & 0xFFFF) | ((w[4] >>> 12 & (o32 ? 0xFFFF : 0xF)) << 16);
            fop = w[4] & 0x7FF;
            fdp = (w[5] & 0xFFFF) | ((w[6] >>> 12 & (o32 ? 0xFFFF : 0xF)) << 16);
            fcs = 0;
            fds = 0;
        } else {
            fip = o32 ? w[3] : w[3] & 0xFFFF;
            fcs = w[4] & 0xFFFF;
            fop = o32 ? (w[4] >>> 16) & 0x7FF : fop;
            fdp = o32 ? w[5] : w[5] & 0xFFFF;
            fds = w[6] & 0xFFFF;
        }
        updateEs();
    }

    private void fldenv(Bus b, int seg, int off) {
        b.checkRead(seg, off, envSize(b));
        applyEnv(b, readEnv(b, seg, off));
    }

    private void fsave(Bus b, int seg, int off) {
        int env = envSize(b);
        b.checkWrite(seg, off, env + 80);
        writeEnv(b, seg, off);
        for (int i = 0; i < 8; i++) {
            write80(b, seg, b.offPlus(off, env + 10 * i), st(i));
        }
        finit();
    }

    private void frstor(Bus b, int seg, int off) {
        int env = envSize(b);
        b.checkRead(seg, off, env + 80);
        int[] w = readEnv(b, seg, off);
        Ext80[] regs = new Ext80[8];
        for (int i = 0; i < 8; i++) {
            regs[i] = read80(b, seg, b.offPlus(off, env + 10 * i));
        }
        applyEnv(b, w);
        for (int i = 0; i < 8; i++) {
            r[phys(i)] = regs[i];
        }
    }

    // ---- for the transcendental and miscellaneous group (package access) ----

    F80Math math() {
        return m;
    }

    boolean emptyAt(int i) {
        return isEmpty(i);
    }

    void set(int i, Ext80 v) {
        setSt(i, v);
    }

    void doPop() {
        pop();
    }

    void doPush(Ext80 v) {
        push(v);
    }

    boolean stackUnderflow() {
        return underflow();
    }

    boolean stackOverflow() {
        return overflow();
    }

    boolean finishOp() {
        return commit();
    }

    void setConditions(int cc) {
        setCc(cc);
    }

    int status() {
        return sw;
    }

    void setStatusBits(int set, int clear) {
        sw = (sw & ~clear) | set;
    }

    void incTop(int d) {
        top = (top + d) & 7;
    }
}
