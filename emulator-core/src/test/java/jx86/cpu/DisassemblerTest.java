package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The disassembler on hand-picked encodings; the expected texts are GNU objdump 2.40's
 * ({@code objdump -D -b binary -m i386 -M i386}, or {@code -m i8086} for 16-bit code), with
 * branch targets as objdump prints them in an ELF file (bare hex). The whole-binary comparison is
 * vmm's DisassemblerObjdumpTest.
 */
class DisassemblerTest {
    /** Bytes written as objdump shows them ("0f b6 c0"). */
    static byte[] hex(String s) {
        String[] p = s.trim().split(" ");
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return b;
    }

    /** {@code bytes} at {@code eip} disassemble to objdump's line, one instruction of all the bytes. */
    static void assertDisassembles(String bytes, String objdump, int eip, boolean code32) {
        byte[] b = hex(bytes);
        Disassembler.Insn insn = Disassembler.decode(b, 0, eip, code32);
        assertThat(insn.text()).isEqualTo(objdump.trim());
        assertThat(insn.length()).isEqualTo(b.length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "f0 0f b1 11          | lock cmpxchg %edx,(%ecx)",
        "0f ba 28 03          | btsl   $0x3,(%eax)",
        "64 a1 00 00 00 00    | mov    %fs:0x0,%eax",
        "8b 04 85 00 00 10 c0 | mov    -0x3ff00000(,%eax,4),%eax",
        "66 0f 1f 44 00 00    | nopw   0x0(%eax,%eax,1)",
        "2e 8b 00             | mov    %cs:(%eax),%eax",
        "f3 ab                | rep stos %eax,%es:(%edi)",
        "f2 ae                | repnz scas %es:(%edi),%al",
        "c8 10 00 00          | enter  $0x10,$0x0",
        "9a 00 00 10 00 08 00 | lcall  $0x8,$0x100000",
        "0f 20 c0             | mov    %cr0,%eax",
        "d1 20                | shll   (%eax)",
        "6b c0 fc             | imul   $0xfffffffc,%eax,%eax",
        "ff 24 85 00 00 00 00 | jmp    *0x0(,%eax,4)",
        "8d 74 26 00          | lea    0x0(%esi,%eiz,1),%esi",
        "66 90                | xchg   %ax,%ax",
        "0f b6 c0             | movzbl %al,%eax",
        "e8 fb ff ff ff       | call   1000",
        "74 fe                | je     1000",
        "0f b9 44 24 08       | ud1    0x8(%esp),%eax",
        "66 0f b9 c8          | ud1    %ax,%cx",
    })
    void code32(String bytes, String objdump) {
        assertDisassembles(bytes, objdump, 0x1000, true);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "66 8b 46 04    | mov    0x4(%bp),%eax",
        "8b 00          | mov    (%bx,%si),%ax",
        "26 8a 07       | mov    %es:(%bx),%al",
        "f3 a4          | rep movsb %ds:(%si),%es:(%di)",
        "66 ad          | lods   %ds:(%si),%eax",
        "ea 00 10 00 00 | ljmp   $0x0,$0x1000",
        "cd 10          | int    $0x10",
        "0f 01 16 00 10 | lgdtw  0x1000",
        "ff 76 02       | push   0x2(%bp)",
        "8e d8          | mov    %ax,%ds",
        "90             | nop",
        "66 90          | xchg   %eax,%eax",
    })
    void code16(String bytes, String objdump) {
        assertDisassembles(bytes, objdump, 0, false);
    }

    @ParameterizedTest
    @CsvSource({"0f 0b", "0f 05", "c7 c8 00 00 00 00"})
    void opcodesOutsideTheTable_areBad(String bytes) {
        Disassembler.Insn insn = Disassembler.decode(hex(bytes), 0, 0, true);
        if (bytes.startsWith("0f 0b")) {
            assertThat(insn.text()).isEqualTo("ud2"); // in the table: defined to raise #UD
            return;
        }
        assertThat(insn.text()).isEqualTo("(bad)");
        assertThat(insn.row()).isNull();
    }
}
