package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * The scan of scan-and-patch decodes the guest kernel by itself (vmm/core/patch.c: a length
 * decoder and a linear sweep of each function). With "patch=list" the hypervisor prints every
 * sensitive or privileged instruction it finds; they must be exactly the ones binutils' objdump
 * finds inside the same functions of kernel-monolithic's kernel.elf — a decoder that lost an
 * instruction boundary anywhere would disagree. (Skipped without objdump and nm.)
 */
class ScanAndPatchTest {
    private static final Pattern OBJDUMP_SENSITIVE = Pattern.compile(
            "^\\s*([0-9a-f]+):\\t[0-9a-f ]+\\t(?:(?:rep |repz |repnz )?(?:pushf|popf|iret|cli|sti|hlt|in|out"
            + "|ins[bwl]?|outs[bwl]?|lgdtl?|lidtl?|sgdtl?|sidtl?|smsw|lmsw|invlpg|sldt|str|lldt|ltr|verr|verw|lar|lsl)"
            + "(?: |$)|push   %(?:cs|ss|ds|es|fs|gs) *$|mov    %(?:cr[0-7]|db[0-7]|dr[0-7]|cs|ss|ds|es|fs|gs),"
            + "|mov    %[a-z]+,%(?:cr[0-7]|db[0-7]|dr[0-7]) *$)");

    private static String tool(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, cmd[0] + " not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void scanFindsExactlyWhatObjdumpFinds_inTheMonolithsFunctions() throws Exception {
        String kernel = Guest.KERNEL.toString();
        List<long[]> funcs = new ArrayList<>();
        for (String line : tool("nm", "-S", "--defined-only", kernel).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && (f[2].equals("T") || f[2].equals("t"))) {
                funcs.add(new long[] {Long.parseLong(f[0], 16), Long.parseLong(f[1], 16)});
            }
        }
        Set<Long> expected = new TreeSet<>();
        for (String line : tool("objdump", "-d", kernel).split("\n")) {
            Matcher m = OBJDUMP_SENSITIVE.matcher(line);
            if (m.find()) {
                long a = Long.parseLong(m.group(1), 16);
                if (funcs.stream().anyMatch(f -> a >= f[0] && a < f[0] + f[1])) {
                    expected.add(a);
                }
            }
        }

        RunResult r = PcMachine.run(Guest.VMM.config("console=ttyS0", List.of(Guest.USER.resolve("init")), null,
                false, null, 400_000_000L, "patch=list").build());
        Set<Long> found = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^vmm: scan: ([0-9a-f]+)\\s*$").matcher(r.serial());
        while (m.find()) {
            found.add(Long.parseLong(m.group(1), 16));
        }

        assertThat(expected).hasSizeGreaterThan(100);       // cli, sti, in, out, mov cr, ..., pushf
        assertThat(found).isEqualTo(expected);
        // kernel-monolithic has nothing to patch (its PUSHFs are right without): it runs as is
        assertThat(r.serial()).doesNotContain("vmm: patched").contains("init: child 2 exited with status 42");
        assertThat(r.exitPortValue()).isZero();
    }
}
