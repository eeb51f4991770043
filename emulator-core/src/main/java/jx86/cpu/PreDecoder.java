package jx86.cpu;

import static jx86.cpu.DecodeCache.*;

import jx86.memory.PhysicalMemory;

/**
 * The decoding half of {@link DecodeCache}: turns the bytes of one instruction into a cache entry
 * exactly as {@link Exec} and {@link Mem#modrm} decode them at run time (SDM Vol. 2, 2.1 and
 * Appendix A), then picks a specialised id for the frequent 32-bit forms. Runs only on a miss.
 * The rows it holds, their handler ids, aux values, operand sizes and immediates come from the
 * opcode table ({@link OpTable.Row#cacheId}, {@link OpTable#cacheForms}).
 */
final class PreDecoder {
    private final int[] bytes = new int[MAX_LEN];
    /** The opcode table's cache column, flat ({@link OpTable#cacheForms}). */
    private final int[] forms = OpTable.cacheForms();
    private int dOpnd;
    private int dDisp;
    private int dPos;


    /**
     * Decodes the instruction at physical {@code pa} (RAM; only bytes up to the page end are read)
     * into entry {@code i} of {@code e} with the code-size and valid bits {@code flags}; returns
     * the entry's id word (id SLOW when the cache does not hold this instruction).
     */
    int fill(int[] e, PhysicalMemory m, int i, int pa, int flags) {
        // Only this page's bytes: the next physical page need not be the next linear one. An
        // instruction that would need a byte past the page end is not cached (dPos > avail).
        final int avail = Math.min(MAX_LEN, 0x1000 - (pa & 0xFFF));
        for (int k = 0; k < MAX_LEN; k++) {
            bytes[k] = k < avail ? m.ramRead8(pa + k) : 0;
        }
        dOpnd = 0;
        dDisp = 0;
        dPos = 0;
        long d = decode((flags & CODE32) != 0);
        if (d != Long.MIN_VALUE && dPos <= avail) {
            d = specialize(d); // Long.MIN_VALUE for a form held only with a 32-bit operand size (PUSHF, SHRD)
        }
        int o;
        if (d == Long.MIN_VALUE || dPos > avail) {
            o = SLOW | (MAX_LEN << 8);
            dOpnd = 0;
            dDisp = 0;
            d = 0;
        } else {
            o = (int) d | (dPos << 8);
        }
        o |= flags;
        e[i] = o;
        e[i + 1] = dOpnd;
        e[i + 2] = dDisp;
        e[i + 3] = (int) (d >>> 32);
        return o;
    }

    /** Rewrites a decoded 32-bit-operand form into its specialised id where one exists. */
    private long specialize(long d) {
        int o = (int) d;
        int imm = (int) (d >>> 32);
        int id = o & 0xFF;
        int od = dOpnd;
        boolean reg3 = ((od >>> 6) & 3) == 3;
        int reg = (od >>> 3) & 7;
        int rm = od & 7;
        switch (id) { // the forms whose rows are held only as these specialised ids
            case PUSHF32:
                return ((o >>> 19) & 7) == 4 ? d : Long.MIN_VALUE;
            case DSHIFT_I32:
            case DSHIFT_CL32: // a register form (K_REGFORM)
                return ((o >>> 16) & 7) == 4 ? registerForm(d, id, false) : Long.MIN_VALUE;
            case MOV_FROM_CR:
                return d; // Rd: the ModR/M byte was read as registers (K_REGONLY)
            default:
                break;
        }
        if (((o >>> 16) & 7) == 1) {
            if (reg3 && (id == ALU_EG || id == ALU_GE)) {
                return withId(o, ALU_RR8, id == ALU_EG ? rm | reg << 3 : reg | rm << 3);
            }
            if (reg3 && id == TEST_EG) {
                return withId(o, TEST_RR8, rm | reg << 3);
            }
            if (id == TEST_AI) {
                return withId(o, TEST_AL8, imm);
            }
            if (!reg3 && id == GRP1 && reg == Alu.CMP) {
                return withId(o, CMP_MI8, imm);
            }
            if (id == ALU_AI) {
                return withId(o, ALU_AL8, imm);
            }
            if (!reg3 && id == MOV_EG) {
                return withId(o, STORE8, imm);
            }
        }
        if (((o >>> 19) & 7) == 4) { // forms without a sized operand: by the operand size
            if (id == MISC && ((o >>> 12) & 15) <= MISC_POPA) {
                return withId(o, ((o >>> 12) & 15) == MISC_PUSHA ? PUSHA32 : POPA32, imm);
            }
            if (id == CWD) {
                return withId(o, CDQ, imm);
            }
        }
        if (((o >>> 16) & 7) != 4) {
            return d;
        }
        switch (id) {
            case ALU_EG:
                return reg3 ? withId(o, ALU_RR32_OP + ((o >>> 12) & 7), rm | reg << 3) : d;
            case ALU_GE:
                return reg3 ? withId(o, ALU_RR32_OP + ((o >>> 12) & 7), reg | rm << 3) : d;
            case MOV_EG:
                return reg3 ? withId(o, MOV_RR32, rm | reg << 3) : withId(o, STORE32, imm);
            case MOV_GE:
                return reg3 ? withId(o, MOV_RR32, reg | rm << 3) : withId(o, LOAD32, imm);
            case GRP1:
                return !reg3 && reg == Alu.CMP ? withId(o, CMP_MI32, imm) : registerForm(d, ALU_RI32_OP + reg, true);
            case TEST_EG:
                return reg3 ? withId(o, TEST_RR32, rm | reg << 3) : d;
            case ALU_AI:
                dDisp = Cpu.EAX;
                return withId(o, ALU_RI32_OP + ((o >>> 12) & 7), imm);
            case INC_R:
                return withId(o, INC_R32, imm);
            case DEC_R:
                return withId(o, DEC_R32, imm);
            case JCC:
                return withId(o, JCC32, imm);
            case JMP:
                return withId(o, JMP32, imm);
            case SHIFT_I:
                return registerForm(d, SHIFT_RI32, true);
            case MOVZX8:
                return withId(o, MOVZX8_32, imm);
            case IMUL_GEI:
                return registerForm(d, IMUL_RRI32, false);
            case LEA:
                return (od & (1 << 21)) != 0 ? withId(o, LEA32, imm) : d;
            case MOV_RI:
                return withId(o, MOV_RI32, imm);
            case GRP3:
                return registerForm(d, GRP3_R32, true);
            case TEST_EI:
                return registerForm(d, TEST_RI32, false);
            case PUSH_R:
                return withId(o, PUSH_R32, imm);
            case POP_R:
                return withId(o, POP_R32, imm);
            case PUSH_I:
                return withId(o, PUSH_I32, imm);
            case CALL:
                return withId(o, CALL32, imm);
            case RET:
                return withId(o, RET32, imm);
            case LEAVE:
                return withId(o, LEAVE32, imm);
            case PUSH_E:
                return reg3 ? d : withId(o, PUSH_M32, imm);
            default:
                return d;
        }
    }

    /**
     * The register form ({@code mod = 3}) of a ModR/M instruction as specialised id {@code id}, or
     * {@code d} unchanged for a memory operand: the r/m register goes to the displacement field and,
     * when {@code regIsOp}, the ModR/M reg field (the group's operation) to aux.
     */
    private long registerForm(long d, int id, boolean regIsOp) {
        int od = dOpnd;
        if (((od >>> 6) & 3) != 3) {
            return d;
        }
        dDisp = od & 7;
        int o = (int) d;
        if (regIsOp) {
            o = (o & ~(15 << 12)) | ((od >>> 3) & 7) << 12;
        }
        return withId(o, id, (int) (d >>> 32));
    }

    private static long withId(int o, int id, int imm) {
        return ((o & ~0xFF) | id) & 0xFFFF_FFFFL | ((long) imm << 32);
    }

    /** The next instruction byte; past the 8 cached bytes it returns 0 and the entry becomes SLOW (dPos > 8). */
    private int next() {
        int p = dPos++;
        return p < MAX_LEN ? bytes[p] : 0;
    }

    /** Little-endian immediate of {@code n} bytes, zero-extended (past the 8 bytes: makes the entry SLOW via dPos). */
    private int fetch(int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            v |= next() << (8 * k);
        }
        return v;
    }

    private static long pack(int id, int aux, int size, int osz, int seg, int immValue) {
        return (id | (aux << 12) | (size << 16) | (osz << 19) | ((seg + 1) << 22)) & 0xFFFF_FFFFL
                | ((long) immValue << 32);
    }

    /**
     * Decodes the instruction in {@link #bytes}; Long.MIN_VALUE when it is not cached. Which
     * instructions are cached, with which id, aux, operand size and immediate, comes from the
     * opcode table's cache column ({@link OpTable#cacheForms}); only the prefixes and the
     * ModR/M/SIB/displacement encoding are decoded here.
     */
    private long decode(boolean code32) {
        boolean rep = false;
        int osz = code32 ? 4 : 2;
        boolean asz32 = code32;
        int seg = -1;
        int b;
        prefixes:
        for (;;) {
            if (dPos >= MAX_LEN) {
                return Long.MIN_VALUE;
            }
            b = next();
            switch (b) {
                case 0x66:
                    osz = code32 ? 2 : 4;
                    break;
                case 0x67:
                    asz32 = !code32;
                    break;
                case 0x26:
                    seg = Cpu.ES;
                    break;
                case 0x2E:
                    seg = Cpu.CS;
                    break;
                case 0x36:
                    seg = Cpu.SS;
                    break;
                case 0x3E:
                    seg = Cpu.DS;
                    break;
                case 0x64:
                    seg = Cpu.FS;
                    break;
                case 0x65:
                    seg = Cpu.GS;
                    break;
                case 0xF3:
                    rep = true;
                    break;
                case 0xF0:
                case 0xF2:
                    return Long.MIN_VALUE; // LOCK and REPNE take the decoder
                default:
                    break prefixes;
            }
        }
        dOpnd = asz32 ? 1 << 21 : 0;
        int code = b == 0x0F ? 0x100 | next() : b;
        int form = forms[code << 3];
        if (form == 0) {
            return Long.MIN_VALUE;
        }
        if ((form & OpTable.K_MOFFS) != 0) {
            moffs(asz32, seg);
        } else if ((form & OpTable.K_MODRM) != 0) {
            int regMod = (form & OpTable.K_REGONLY) != 0 ? modrmRegisters(asz32) : modrm(asz32, seg);
            form = forms[code << 3 | regMod >>> 2];
            if ((form & OpTable.K_MEMONLY) != 0 && (regMod & 3) == 3) {
                return Long.MIN_VALUE; // #UD: the decoder raises it
            }
            if ((form & OpTable.K_REGFORM) != 0 && (regMod & 3) != 3) {
                return Long.MIN_VALUE; // only the register form is cached (SHLD/SHRD)
            }
        }
        int id = form & 0xFF;
        if (id == SLOW || rep && id != STRING) {
            return Long.MIN_VALUE; // not cached; REP with anything but MOVS/STOS (e.g. REP RET) too
        }
        int size = (form & OpTable.K_BYTE) != 0 ? 1 : osz;
        int aux = id == STRING ? (rep ? 1 : 0) : (form >>> 8) & 15;
        return pack(id, aux, size, osz, seg, immediate((form >>> 12) & 15, size, osz, b));
    }

    /** The immediate (or relative displacement) of kind {@code kind} (OpTable.IMM_*), as the slot holds it. */
    private int immediate(int kind, int size, int osz, int opcode) {
        switch (kind) {
            case OpTable.IMM_B:
                return next();
            case OpTable.IMM_BS:
                return (byte) next();
            case OpTable.IMM_BS_MASKED:
                return (byte) next() & Flags.mask(osz);
            case OpTable.IMM_V:
                return fetch(size);
            case OpTable.IMM_VS:
                return signed(osz);
            case OpTable.IMM_W:
                return fetch(2);
            case OpTable.IMM_ONE:
                return 1;
            case OpTable.IMM_OPCODE:
                return opcode;
            default:
                return 0;
        }
    }

    private int signed(int n) {
        int v = fetch(n);
        return n == 2 ? (short) v : v;
    }

    /**
     * A moffs operand as the ModR/M form {@link Mem#modrm} would give MOV eAX, [disp] (reg = eAX,
     * mod 0, no base or index): the displacement of the address size, DS unless overridden.
     */
    private void moffs(boolean asz32, int segOvr) {
        dDisp = fetch(asz32 ? 4 : 2);
        int seg = segOvr >= 0 ? segOvr : Cpu.DS;
        dOpnd = operand(asz32 ? 5 : 6, Cpu.EAX, 0, seg, 8, 8, 0, asz32);
    }

    /**
     * A ModR/M byte that names two registers whatever its mod field, as {@link Mem#modrmRegisters}
     * reads it (MOV to and from CRn); returns {@code (reg << 2) | 3}.
     */
    private int modrmRegisters(boolean asz32) {
        int m = next();
        int reg = (m >>> 3) & 7;
        dOpnd = operand(m & 7, reg, 3, Cpu.DS, 8, 8, 0, asz32);
        return (reg << 2) | 3;
    }

    /**
     * The operand word {@link Mem#modrm} leaves (rm, reg, mod, segment, base and index register or
     * 8 for none, scale, address size, and bit 22: decoded), in the one layout moffs, the register-only
     * ModR/M and the full ModR/M all use.
     */
    private static int operand(int rm, int reg, int mod, int seg, int base, int index, int scale, boolean asz32) {
        return rm | (reg << 3) | (mod << 6) | (seg << 8) | (base << 11) | (index << 15) | (scale << 19)
                | (asz32 ? 1 << 21 : 0) | (1 << 22);
    }

    /**
     * Decodes ModR/M (+ SIB, displacement) into {@link #dOpnd}/{@link #dDisp} exactly as
     * {@link Mem#modrm} does at run time; returns {@code (reg << 2) | mod}.
     */
    private int modrm(boolean asz32, int segOvr) {
        int m = next();
        int mod = m >>> 6;
        int reg = (m >>> 3) & 7;
        int rm = m & 7;
        int seg = Cpu.DS;
        int base = 8;
        int index = 8;
        int scale = 0;
        int disp = 0;
        if (mod != 3) {
            if (asz32) {
                if (rm == 4) {
                    int sib = next();
                    index = (sib >>> 3) & 7;
                    if (index == 4) {
                        index = 8;
                    }
                    scale = sib >>> 6;
                    int sb = sib & 7;
                    if (sb == 5 && mod == 0) {
                        disp = fetch(4);
                    } else {
                        base = sb;
                        if (sb == Cpu.ESP || sb == Cpu.EBP) {
                            seg = Cpu.SS;
                        }
                    }
                } else if (rm == 5 && mod == 0) {
                    disp = fetch(4);
                } else {
                    base = rm;
                    if (rm == Cpu.EBP) {
                        seg = Cpu.SS;
                    }
                }
                if (mod == 1) {
                    disp += (byte) next();
                } else if (mod == 2) {
                    disp += fetch(4);
                }
            } else {
                switch (rm) {
                    case 0:
                        base = Cpu.EBX;
                        index = Cpu.ESI;
                        break;
                    case 1:
                        base = Cpu.EBX;
                        index = Cpu.EDI;
                        break;
                    case 2:
                        base = Cpu.EBP;
                        index = Cpu.ESI;
                        seg = Cpu.SS;
                        break;
                    case 3:
                        base = Cpu.EBP;
                        index = Cpu.EDI;
                        seg = Cpu.SS;
                        break;
                    case 4:
                        base = Cpu.ESI;
                        break;
                    case 5:
                        base = Cpu.EDI;
                        break;
                    case 6:
                        if (mod == 0) {
                            disp = fetch(2);
                        } else {
                            base = Cpu.EBP;
                            seg = Cpu.SS;
                        }
                        break;
                    default:
                        base = Cpu.EBX;
                        break;
                }
                if (mod == 1) {
                    disp += (byte) next();
                } else if (mod == 2) {
                    disp += fetch(2);
                }
            }
        }
        if (segOvr >= 0) {
            seg = segOvr;
        }
        dOpnd = operand(rm, reg, mod, seg, base, index, scale, asz32);
        dDisp = disp;
        return (reg << 2) | mod;
    }
}
