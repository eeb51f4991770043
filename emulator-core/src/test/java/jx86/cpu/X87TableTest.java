package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The x87 opcode table against its consumers: on every one of the 8 x 256 ModR/M bytes of D8-DF the
 * CPU raises #UD exactly where the table has no row and the disassembler prints the row (or
 * objdump's "(bad)"); and the disassembly of each row group against GNU objdump 2.40's output
 * ({@code objdump -D -b binary -m i386 -M i386}, {@code -m i8086} for 16-bit code), typed in from
 * objdump's runs on assembled samples. vmm's DisassemblerObjdumpTest runs objdump itself on every
 * encoding and on the project's binaries.
 */
class X87TableTest {
    private static final int D = CpuTestSupport.DATA;


    /** The escape {@code op} with {@code modrm}: SIB 00 (EAX+EAX) for rm = 4, a disp32 of DATA where mod 0 rm 5 wants one. */
    private static int[] encoding(int op, int modrm) {
        int mod = modrm >>> 6;
        int rm = modrm & 7;
        List<Integer> b = new ArrayList<>(List.of(op, modrm));
        if (mod != 3 && rm == 4) {
            b.add(0x00);
        }
        int disp = mod == 1 ? 1 : mod == 2 || mod == 0 && rm == 5 ? 4 : 0;
        int value = mod == 0 ? D : 0;
        for (int k = 0; k < disp; k++) {
            b.add(value >>> (8 * k) & 0xFF);
        }
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyEscapeEncoding_cpuTableAndDisassemblerAgree() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int r = 0; r < 8; r++) {
            if (r != Cpu.ESP) {
                t.set(r, D);
            }
        }
        List<String> mismatches = new ArrayList<>();
        int valid = 0;
        for (int op = 0xD8; op <= 0xDF; op++) {
            for (int modrm = 0; modrm < 256; modrm++) {
                int[] code = encoding(op, modrm);
                byte[] bytes = new byte[code.length];
                for (int i = 0; i < code.length; i++) {
                    t.mem.poke8(CpuTestSupport.CODE + i, code[i]);
                    bytes[i] = (byte) code[i];
                }
                t.cpu.eip = CpuTestSupport.CODE;
                boolean ud;
                try {
                    Exec.execute(t.cpu);
                    ud = false;
                } catch (CpuFault f) {
                    ud = f.vector == Vectors.UD;
                    if (!ud) {
                        mismatches.add(String.format("%02X %02X: fault %d", op, modrm, f.vector));
                    }
                }
                X87Table.Row row = X87Table.lookup(op, modrm);
                String where = String.format("%02X %02X", op, modrm);
                if (ud != (row == null) || X87Table.valid(op, modrm) != (row != null)) {
                    mismatches.add(where + ": cpu " + (ud ? "#UD" : "executes") + ", table " + row);
                }
                valid += row == null ? 0 : 1;
                Disassembler.Insn insn = Disassembler.decode(bytes, 0, 0, true);
                String expect = row == null || row.has(X87Table.ALIAS) ? "(bad)" : row.att();
                boolean named = insn.text().equals(expect) || insn.text().startsWith(expect + " ");
                if (!named || insn.length() != code.length || (insn.row() == null) != (row == null)) {
                    mismatches.add(where + ": disassembly [" + insn.text() + "] (" + insn.length() + " bytes), row " + row);
                }
            }
        }
        assertThat(mismatches).isEmpty();
        // Counted from the SDM's x87 maps: 64 memory groups of 24 ModR/M bytes less 7 empty ones (D9/1,
        // DB/1 /4 /6, DD/1 /5, DF/1); 512 register forms less the empty cells per opcode: D9 12 (D1-D7,
        // E2 E3 E6 E7 EF), DA 31, DB 11 (E5-E7, F8-FF), DD 16, DE 7, DF 15 (E1-E7, F8-FF).
        assertThat(valid).isEqualTo((64 - 7) * 24 + 512 - (12 + 31 + 11 + 16 + 7 + 15));
    }

    @Test
    void nonWaitingAndControlRows_areTheSdmsLists() {
        Set<String> noWait = new TreeSet<>();
        Set<String> control = new TreeSet<>();
        for (X87Table.Row r : X87Table.rows()) {
            if (r.has(X87Table.NOWAIT)) {
                noWait.add(r.name());
            }
            if (r.has(X87Table.CONTROL)) {
                control.add(r.name());
            }
        }
        assertThat(noWait).containsExactlyInAnyOrder("FNSTENV", "FNSTCW", "FNSAVE", "FNSTSW", "FNCLEX", "FNINIT",
                "FNENI", "FNDISI", "FNSETPM");
        assertThat(control).containsExactlyInAnyOrder("FLDENV", "FLDCW", "FRSTOR");
        assertThat(X87Table.rows().stream().filter(r -> r.has(X87Table.ALIAS)).map(X87Table.Row::name))
                .containsExactlyInAnyOrder("FSTP1", "FCOM2", "FCOMP3", "FXCH4", "FCOMP5", "FXCH7", "FSTP8", "FSTP9");
        assertThat(X87Table.rows().stream().filter(r -> r.since() == OpTable.Model.P6).map(X87Table.Row::name))
                .containsExactlyInAnyOrder("FCMOVB", "FCMOVE", "FCMOVBE", "FCMOVU", "FCMOVNB", "FCMOVNE", "FCMOVNBE",
                        "FCMOVNU", "FCOMI", "FUCOMI", "FCOMIP", "FUCOMIP");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the SDM's opcode and name (Vol. 2, FSUB/FSUBR/FDIV/FDIVR), and objdump's AT&T name for it
        "DC | E1 | FSUBR  | fsub",
        "DC | E9 | FSUB   | fsubr",
        "DC | F1 | FDIVR  | fdiv",
        "DC | F9 | FDIV   | fdivr",
        "DE | E1 | FSUBRP | fsubp",
        "DE | E9 | FSUBP  | fsubrp",
        "DE | F1 | FDIVRP | fdivp",
        "DE | F9 | FDIVP  | fdivrp",
        "D8 | E1 | FSUB   | fsub",
        "D8 | E9 | FSUBR  | fsubr",
    })
    void reversedRegisterForms_haveTheSdmsNameAndObjdumpsSwap(String op, String modrm, String sdm, String att) {
        X87Table.Row r = X87Table.lookup(Integer.parseInt(op, 16), Integer.parseInt(modrm, 16));
        assertThat(r.name()).isEqualTo(sdm);
        assertThat(r.att()).isEqualTo(att);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // D8 / DC / DA / DE memory: m32fp, m64fp, m32int, m16int
        "d8 44 24 04       | fadds  0x4(%esp)",
        "d8 8d 00 10 00 00 | fmuls  0x1000(%ebp)",
        "d8 18             | fcomps (%eax)",
        "dc 64 24 08       | fsubl  0x8(%esp)",
        "dc 3d 00 20 00 00 | fdivrl 0x2000",
        "dc 4d f8          | fmull  -0x8(%ebp)",
        "da 4c 24 04       | fimull 0x4(%esp)",
        "da 18             | ficompl (%eax)",
        "de 74 24 02       | fidivs 0x2(%esp)",
        "de 0d 00 30 00 00 | fimuls 0x3000",
        // D8 register forms: ST(0) op ST(i)
        "d8 c1             | fadd   %st(1),%st",
        "d8 d2             | fcom   %st(2)",
        "d8 db             | fcomp  %st(3)",
        "d8 e4             | fsub   %st(4),%st",
        "d8 ed             | fsubr  %st(5),%st",
        "d8 fe             | fdivr  %st(6),%st",
        // DC / DE register forms: objdump's AT&T names swap SUB/SUBR and DIV/DIVR
        "dc c0             | fadd   %st,%st(0)",
        "dc e1             | fsub   %st,%st(1)",
        "dc e9             | fsubr  %st,%st(1)",
        "dc f9             | fdivr  %st,%st(1)",
        "de c9             | fmulp  %st,%st(1)",
        "de e1             | fsubp  %st,%st(1)",
        "de e9             | fsubrp %st,%st(1)",
        "de f1             | fdivp  %st,%st(1)",
        "de f9             | fdivrp %st,%st(1)",
        "de d9             | fcompp",
        // D9
        "d9 5c 24 04       | fstps  0x4(%esp)",
        "d9 00             | flds   (%eax)",
        "d9 65 e4          | fldenv -0x1c(%ebp)",
        "d9 75 e4          | fnstenv -0x1c(%ebp)",
        "d9 2d 00 00 00 00 | fldcw  0x0",
        "d9 7d fe          | fnstcw -0x2(%ebp)",
        "d9 c7             | fld    %st(7)",
        "d9 c9             | fxch   %st(1)",
        "d9 d0             | fnop",
        "d9 e0             | fchs",
        "d9 e5             | fxam",
        "d9 e8             | fld1",
        "d9 eb             | fldpi",
        "d9 ee             | fldz",
        "d9 f0             | f2xm1",
        "d9 f5             | fprem1",
        "d9 fb             | fsincos",
        "d9 ff             | fcos",
        // DA / DB register forms
        "da c1             | fcmovb %st(1),%st",
        "da de             | fcmovu %st(6),%st",
        "da e9             | fucompp",
        "db d3             | fcmovnbe %st(3),%st",
        "db e2             | fnclex",
        "db e3             | fninit",
        "db e0             | fneni(8087 only)",
        "db e4             | fnsetpm(287 only)",
        "db e9             | fucomi %st(1),%st",
        "db f7             | fcomi  %st(7),%st",
        // DB / DD / DF memory
        "db 45 fc          | fildl  -0x4(%ebp)",
        "db 10             | fistl  (%eax)",
        "db 6d f4          | fldt   -0xc(%ebp)",
        "db 7d f4          | fstpt  -0xc(%ebp)",
        "dd 44 24 08       | fldl   0x8(%esp)",
        "dd 14 85 00 10 00 00 | fstl   0x1000(,%eax,4)",
        "dd 5d f8          | fstpl  -0x8(%ebp)",
        "dd 65 94          | frstor -0x6c(%ebp)",
        "dd 75 94          | fnsave -0x6c(%ebp)",
        "dd 38             | fnstsw (%eax)",
        "df 45 fe          | filds  -0x2(%ebp)",
        "df 18             | fistps (%eax)",
        "df 65 f0          | fbld   -0x10(%ebp)",
        "df 6d f0          | fildll -0x10(%ebp)",
        "df 75 f0          | fbstp  -0x10(%ebp)",
        "df 7d f0          | fistpll -0x10(%ebp)",
        // DD / DF register forms
        "dd c3             | ffree  %st(3)",
        "dd d1             | fst    %st(1)",
        "dd d8             | fstp   %st(0)",
        "dd e1             | fucom  %st(1)",
        "dd ea             | fucomp %st(2)",
        "df c1             | ffreep %st(1)",
        "df e0             | fnstsw %ax",
        "df e8             | fucomip %st(0),%st",
        "df f1             | fcomip %st(1),%st",
        // WAIT: alone, and merged with the escape after it (the non-waiting names lose their n)
        "9b                | fwait",
        "9b d9 7d fe       | fstcw  -0x2(%ebp)",
        "9b dd 7d fe       | fstsw  -0x2(%ebp)",
        "9b df e0          | fstsw  %ax",
        "9b db e2          | fclex",
        "9b db e3          | finit",
        "9b d9 30          | fstenv (%eax)",
        "9b dd 30          | fsave  (%eax)",
        "9b db e0          | feni(8087 only)",
        "9b d9 c0          | fld    %st(0)",
        "9b 9b d9 7d fe    | fstcw  -0x2(%ebp)",
        // prefixes: 66 picks the 16-bit environment layout, else objdump shows it; 67 and segments
        "66 d9 30          | fnstenvs (%eax)",
        "66 dd 30          | fnsaves (%eax)",
        "66 d9 20          | fldenvs (%eax)",
        "66 dd 20          | frstors (%eax)",
        "66 9b d9 30       | fstenvs (%eax)",
        "9b 66 d9 30       | fstenvs (%eax)",
        "66 66 d9 30       | data16 fnstenvs (%eax)",
        "66 d9 38          | data16 fnstcw (%eax)",
        "66 d8 c0          | data16 fadd %st(0),%st",
        "66 df e0          | data16 fnstsw %ax",
        "67 d8 00          | fadds  (%bx,%si)",
        "67 d9 c0          | addr16 fld %st(0)",
        "26 d8 00          | fadds  %es:(%eax)",
        "26 3e d8 00       | es fadds %ds:(%eax)",
        "26 d9 c0          | es fld %st(0)",
        "f0 d8 00          | lock fadds (%eax)",
        "f3 d9 30          | repz fnstenv (%eax)",
        "f2 9b dd 30       | repnz fsave (%eax)",
        "2e 9b d9 38       | fstcw  %cs:(%eax)",
        // encodings objdump does not name: the undocumented aliases jx86 executes, and #UD ones
        "d9 d8             | (bad)",
        "dc d0             | (bad)",
        "dd c8             | (bad)",
        "df d0             | (bad)",
        "d9 08             | (bad)  (%eax)",
        "dd 28             | (bad)  (%eax)",
        "d9 e2             | (bad)",
        "66 d9 d1          | data16 (bad)",
    })
    void code32_asObjdumpPrintsIt(String bytes, String objdump) {
        DisassemblerTest.assertDisassembles(bytes, objdump, 0x1000, true);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "d9 30             | fnstenv (%bx,%si)",
        "66 d9 30          | fnstenvl (%bx,%si)",
        "66 dd 20          | frstorl (%bx,%si)",
        "d9 07             | flds   (%bx)",
        "dd 06 34 12       | fldl   0x1234",
        "d8 40 08          | fadds  0x8(%bx,%si)",
        "67 d9 08          | (bad)  (%eax)",
        "66 d9 08          | data32 (bad) (%bx,%si)",
        "9b df e0          | fstsw  %ax",
    })
    void code16_asObjdumpPrintsIt(String bytes, String objdump) {
        DisassemblerTest.assertDisassembles(bytes, objdump, 0, false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a WAIT that no escape follows is one byte of its own (with the prefixes before it)
        "9b 90    | fwait  | 1",
        "9b 66 90 | fwait  | 1",
        "9b 9b 90 | fwait  | 1",
        "66 9b 90 | data16 fwait | 2",
        "f0 9b 90 | lock fwait | 2",
        "26 9b 90 | es fwait | 2",
    })
    void waitWithoutEscape_isItsOwnInstruction(String bytes, String objdump, int length) {
        Disassembler.Insn insn = Disassembler.decode(DisassemblerTest.hex(bytes), 0, 0, true);
        assertThat(insn.text()).isEqualTo(objdump.trim());
        assertThat(insn.length()).isEqualTo(length);
        assertThat(insn.row()).isEqualTo(OpTable.lookup(0x9B, 0));
    }
}
