package jx86.cpu.oracle;

import java.util.List;

/**
 * One differential test case: a block of user-mode instructions plus the initial state (eight
 * GPRs, EFLAGS, the 4 KiB data window). Both runners place the window and the code at the same
 * linear addresses, so absolute addresses in the code mean the same thing on both sides.
 */
final class OracleCase {
    static final int WINDOW_ADDRESS = 0x0010_0000;
    static final int WINDOW_SIZE = 8192;
    static final int CODE_ADDRESS = 0x0011_0000;
    /** A read-only page right after the window holding {@link #readOnlyByte} (both sides). */
    static final int READ_ONLY_PAGE = WINDOW_ADDRESS + WINDOW_SIZE;

    static int readOnlyByte(int i) {
        return (i * 7 + 0x5A) & 0xFF;
    }
    /** Largest block the native runner accepts (its code buffer is 8 KiB, the block starts in its first page). */
    static final int MAX_CODE = 4000;

    /** One instruction of the block; {@code undefBefore} = flags undefined when it starts. */
    record Insn(int offset, int length, String text, String key, int undefBefore) {
    }

    final long id;
    /** Linear address of the first code byte: in [CODE_ADDRESS, CODE_ADDRESS + 4096). */
    final int codeAddress;
    final byte[] code;
    final List<Insn> insns;
    final int[] regs;
    /** Initial EFLAGS: arithmetic flags and DF only (user mode can set nothing else safely). */
    final int eflags;
    final byte[] window;
    /** Arithmetic flags undefined at the end of the block. */
    final int undefAtEnd;

    OracleCase(long id, byte[] code, List<Insn> insns, int[] regs, int eflags, byte[] window, int undefAtEnd) {
        this(id, CODE_ADDRESS, code, insns, regs, eflags, window, undefAtEnd);
    }

    OracleCase(long id, int codeAddress, byte[] code, List<Insn> insns, int[] regs, int eflags, byte[] window,
            int undefAtEnd) {
        this.id = id;
        this.codeAddress = codeAddress;
        this.code = code;
        this.insns = insns;
        this.regs = regs;
        this.eflags = eflags;
        this.window = window;
        this.undefAtEnd = undefAtEnd;
    }

    /** The flags undefined just before the instruction at {@code eip} (for a faulting block). */
    int undefAt(int eip) {
        for (Insn i : insns) {
            if (codeAddress + i.offset() == eip) {
                return i.undefBefore();
            }
        }
        return undefAtEnd;
    }

    /** The instruction starting at linear address {@code eip}, or null. */
    Insn insnAt(int eip) {
        for (Insn i : insns) {
            if (codeAddress + i.offset() == eip) {
                return i;
            }
        }
        return null;
    }

    String listing() {
        StringBuilder sb = new StringBuilder();
        for (Insn i : insns) {
            StringBuilder hex = new StringBuilder();
            for (int k = 0; k < i.length(); k++) {
                hex.append(String.format("%02x ", code[i.offset() + k] & 0xFF));
            }
            sb.append(String.format("  %08x  %-30s %s%n", codeAddress + i.offset(), hex, i.text()));
        }
        return sb.toString();
    }

    String initialState() {
        StringBuilder sb = new StringBuilder("  ");
        for (int r = 0; r < 8; r++) {
            sb.append(Asm.R32[r]).append('=').append(String.format("%08x ", regs[r]));
        }
        sb.append(String.format("eflags=%08x", eflags));
        return sb.toString();
    }
}
