package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jx86.demo.ElfSymbols;
import jx86.harness.ConsoleLine;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import jx86.image.Ext2Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart server on microkernel.img: drivers that die are started again, and nothing else
 * dies with them. A server's pid on the shell is 1000 + its L4 thread number (ata is thread 20,
 * console 19); canary (kernel-monolithic's corruption detector) checks every file it writes.
 */
class RestartTest {
    /** restart.c's line for a death of buggy: the faulting instruction's address. */
    private static final Pattern DIED_IP = Pattern.compile("restart: buggy \\(pid \\d+\\) died: page fault at \\w+ \\(ip (\\w+)\\)");

    @TempDir
    Path tmp;

    private Path image() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        return img;
    }

    @Test
    void killingTheAtaThenTheConsoleDriver_whileCanaryRuns_restartsEach_andNothingIsLost() throws Exception {
        Path img = image();
        RunResult r = MultiServerTest.boot(img,
                "canary -r 60 & kill -9 1020",
                "wait",
                "ls /sbin",
                "canary -r 30 & kill -9 1019",
                "wait",
                "echo still here",
                "cat /etc/motd",
                "poweroff");
        assertThat(MultiServerTest.lines(r)).containsSubsequence(
                "restart: ata (pid 1020) died: killed (its thread is gone); restarted as pid 1100",
                "names: ata -> 190001",
                "canary: all rounds passed",
                "restart: console (pid 1019) died: killed (its thread is gone); restarted as pid 1101",
                "console: COM1 in user space, irq 4 as IPC",
                "canary: all rounds passed",
                "still here",
                "hello from ext2",
                "reboot: power down");
        assertThat(r.serial()).doesNotContain("CORRUPT").doesNotContain("panic").doesNotContain("left dead");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
        assertClean(img);
    }

    /**
     * The ATA driver is killed right before a write: the file server's next block write through its
     * stub gets the IPC error code, it says so, looks the driver up again and retries until the
     * restarted driver answers; the write is acknowledged. Files acknowledged before and after the
     * restart are both there in the next boot, and e2fsck finds the file system clean.
     */
    @Test
    void ataKilledBeforeAWrite_fileServerRetriesThroughItsStub_andNoAcknowledgedWriteIsLost() throws Exception {
        Path img = image();
        RunResult first = MultiServerTest.boot(img,
                "echo written before > /before",
                "kill -9 1020; echo written after > /after; cat /after",
                "poweroff");
        assertThat(first.serial()).containsPattern("ext2fs: disk I/O failed \\(-\\d+\\); finding the ATA driver again");
        assertThat(MultiServerTest.lines(first)).containsSubsequence(
                "restart: ata (pid 1020) died: killed (its thread is gone); restarted as pid 1100",
                "names: ata -> 190001",
                "written after",
                "reboot: power down");
        assertThat(first.serial()).doesNotContain("panic").doesNotContain("left dead");

        RunResult second = MultiServerTest.boot(img, "cat /before /after", "poweroff");
        assertThat(MultiServerTest.lines(second)).containsSubsequence("written before", "written after",
                "reboot: power down");
        assertThat(second.serial()).doesNotContain("restart: ata");
        assertClean(img);
    }

    @Test
    void buggyDriverWith4096Words_isTheOnlyTaskThatDies_andIsLeftDeadAfterFiveRestarts() throws Exception {
        Path img = image();
        // driven step by step: the shell's last commands are typed after the sixth death, so the
        // outcome does not depend on how long canary happens to run on this image
        HarnessResult r;
        try (Harness h = bootToFirstPrompt(img)) {
            h.send("insmod /sbin/buggy n=4096 period=1 seed=7\rcanary -r 200\r");
            assertThat(h.runUntil(Pattern.compile("deaths in a row, left dead$"), Duration.ofSeconds(60)).matched())
                    .as("buggy left dead").isTrue();
            h.send("ls /\rcat /etc/motd\rpoweroff\r");
            r = h.runToEnd();
        }
        String serial = r.lines().stream().map(ConsoleLine::text).collect(Collectors.joining("\n", "", "\n")) + r.tail();
        List<String> lines = serial.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();   // prompts off
        String first = "memcorrupt: burst 1, 4096 words, first at virt 0x001ce0e4";
        String died = "page fault at 1ce0e4 (ip ";
        assertThat(lines).containsSubsequence(
                "restart: started buggy (pid 1100) with \"n=4096 period=1 seed=7\"",
                "memcorrupt: 4096 words every 1 s over its own address space, seed 7",
                first);
        long restarts = serial.lines().filter(l -> l.startsWith("restart: buggy (pid ") && l.contains(died)
                && l.contains("; restarted as pid ")).count();
        assertThat(restarts).isEqualTo(5);
        assertThat(serial).contains("restart: buggy (pid 1105) died: " + died);
        assertThat(serial).contains("6 deaths in a row, left dead");
        // every death is the store of buggy's burst loop, in main (the address depends on the layout)
        ElfSymbols.Symbol main = ElfSymbols.read(Mk.USER.resolve("buggy")).symbol("main").orElseThrow();
        List<Long> ips = serial.lines().map(DIED_IP::matcher).filter(Matcher::find)
                .map(m -> Long.parseLong(m.group(1), 16)).toList();
        assertThat(ips).hasSize(6).allSatisfy(ip -> assertThat(ip)
                .isBetween(main.value() & 0xFFFFFFFFL, (main.value() & 0xFFFFFFFFL) + main.size() - 1));
        // the only task that died: no other restart, no kernel kill, no corruption, the shell and files work
        assertThat(serial.lines().filter(l -> l.startsWith("restart: ") && !l.startsWith("restart: buggy")
                && !l.startsWith("restart: started buggy") && !l.startsWith("restart: watching"))).isEmpty();
        assertThat(serial).doesNotContain("mk: thread").doesNotContain("CORRUPT").doesNotContain("panic");
        assertThat(lines).containsSubsequence("canary: all rounds passed",
                "drwxr-xr-x  2     1024 sbin", "hello from ext2", "reboot: power down");
        assertThat(r.exitValue()).isZero();
        assertClean(img);
    }

    /** restart.c's line for a driver the heartbeat found deaf: how long it went without answering. */
    private static final Pattern DEAF = Pattern.compile(
            "restart: buggy \\(pid 1100\\) died: no answer to heartbeat for (\\d+) ms; restarted as pid 1101$", Pattern.MULTILINE);

    /**
     * A driver that hangs: buggy with hang=1 answers the heartbeat for a second, then spins for ever
     * without receiving (alive, deaf). The restart server's pings go unanswered; after 20 misses in a
     * row (each a ping that waited 100 ms: at least 2 s) it is killed and restarted with the reason
     * in the log line. canary runs meanwhile and finds nothing corrupted; the shell keeps working;
     * no other driver is restarted (the busy ATA and console drivers answer between requests).
     */
    @Test
    void hangingDriver_isRestartedByTheHeartbeat_andNothingElseDies() throws Exception {
        Path img = image();
        HarnessResult r;
        try (Harness h = bootToFirstPrompt(img)) {
            h.send("insmod /sbin/buggy hang=1\rcanary -r 60\r");
            assertThat(h.runUntil(Pattern.compile("died: no answer to heartbeat for \\d+ ms; restarted as pid 1101$"),
                    Duration.ofSeconds(60)).matched()).as("the heartbeat's restart").isTrue();
            h.send("echo still here\rcat /etc/motd\rpoweroff\r");
            r = h.runToEnd();
        }
        String serial = r.lines().stream().map(ConsoleLine::text).collect(Collectors.joining("\n", "", "\n")) + r.tail();
        List<String> lines = serial.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();   // prompts off
        assertThat(lines).containsSubsequence(
                "restart: started buggy (pid 1100) with \"hang=1\"",
                "buggy: hangs after 1 s: spins without receiving");
        Matcher deaf = DEAF.matcher(serial);
        assertThat(deaf.find()).as("restart line with the heartbeat's reason").isTrue();
        assertThat(Long.parseLong(deaf.group(1))).as("ms without an answer").isBetween(2000L, 4000L);
        // the restarted copy runs (and hangs again: the same image with the same parameters)
        assertThat(serial.substring(deaf.end())).contains("buggy: hangs after 1 s: spins without receiving");
        // only buggy died: no restart of ata or console, no kernel kill, no corruption
        assertThat(serial.lines().filter(l -> l.startsWith("restart: ") && !l.startsWith("restart: buggy")
                && !l.startsWith("restart: started buggy") && !l.startsWith("restart: watching"))).isEmpty();
        assertThat(serial).doesNotContain("mk: thread").doesNotContain("CORRUPT").doesNotContain("panic");
        assertThat(lines).containsSubsequence("canary: all rounds passed", "still here",
                "hello from ext2", "reboot: power down");
        assertThat(r.exitValue()).isZero();
        assertClean(img);
    }

    private static void assertClean(Path img) {
        if (!Ext2Check.available()) {
            System.out.println("RestartTest: e2fsprogs not installed; file-system check skipped");
            return;
        }
        Ext2Check.assertClean(img);   // e2fsck -fn on partition 1
    }

    /** A harness on the image, driven step by step, at the shell's first prompt. */
    private static Harness bootToFirstPrompt(Path img) {
        Harness h = Harness.boot(MachineConfig.builder().disk(img).maxInstructions(4_000_000_000L).build());
        try {
            h.timeLimit(Duration.ofSeconds(120));
            assertThat(h.runUntilPrompt("/$ ", Duration.ofSeconds(20)).matched()).as("first prompt").isTrue();
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }
}
