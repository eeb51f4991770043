package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.image.Ext2Check;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-monolithic's system-call fuzzer (the same /bin/sysfuzz) against the POSIX personality,
 * from the shell: 100,000 seeded random system calls with wild arguments in children that fork
 * one after another (its defaults: seed 1; there is no kernel command line to change them here).
 * The personality and the servers behind it must keep serving (sysfuzz reports all its calls and
 * the shell powers off), and e2fsck must find the file system clean afterwards.
 */
class SyscallFuzzTest {
    private static final Pattern DONE = Pattern.compile("sysfuzz: done: (\\d+) calls in (\\d+) children that finished");

    @TempDir
    Path tmp;

    @Test
    void randomSystemCalls_leaveThePersonalityServingAndTheFileSystemClean() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        RunResult r = MultiServerTest.boot(img, "sysfuzz", "poweroff");

        String serial = r.serial();
        String tail = serial.substring(Math.max(0, serial.length() - 3000));
        assertThat(serial).as(tail).doesNotContain("panic").doesNotContain("posix: init");
        Matcher m = DONE.matcher(serial);
        assertThat(m.find()).as(tail).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(100_000);
        assertThat(serial).contains("reboot: power down");
        assertThat(r.event()).as(tail).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();

        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(img);
    }
}
