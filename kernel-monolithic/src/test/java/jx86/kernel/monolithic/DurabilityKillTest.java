package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of kernel-monolithic's ext3 (fs/journal.c) under abrupt kills: jx86 runs as a
 * separate OS process on a private copy of target/disk.img (no snapshot) with the guest
 * program durable, which writes files, fsyncs them and prints "fsync ok NAME SIZE CKSUM" (and
 * "rename ok", "unlink ok") once the call returned. At a seeded random moment (after a seeded
 * number of acknowledgements plus a seeded pause) the test kills the process with SIGKILL
 * (Process.destroyForcibly). Then for every kill point:
 * <ul>
 *   <li>Linux's e2fsck replays the journal jx86 left behind on a copy ({@code -fy}) and then
 *       finds the file system clean ({@code -fn}): the journal is genuine JBD2;</li>
 *   <li>jx86 boots the killed image itself with the checker durcheck: the kernel replays the
 *       journal at mount, every acknowledged file is there with its size and checksum, every
 *       acknowledged unlink stays done, and e2fsck -fn is clean afterwards.</li>
 * </ul>
 * {@code -Djx86.kill.points=N} (20 by default, more with -Psoak) sets the number of kills,
 * {@code -Djx86.kill.seed=S} the seed.
 */
class DurabilityKillTest {
    private static final int POINTS = Integer.getInteger("jx86.kill.points", 20);
    private static final long SEED = Long.getLong("jx86.kill.seed", 18L);
    private static final Path KERNEL = Path.of("target/kernel.elf");

    @TempDir
    Path tmp;

    /**
     * What the writer acknowledged before it died: name -> "SIZE CKSUM", the unlinked names, and
     * the change in flight when it died (its "begin" line was the last): inFlightName may have
     * the value inFlightValue ("SIZE CKSUM") or, for an unlink, be absent (inFlightValue null).
     */
    private record Acks(Map<String, String> files, Set<String> unlinked, int lines, String inFlightName,
            String inFlightValue) {}

    @Test
    void killedWhileWritingAndFsyncing_everyAcknowledgedFileSurvivesAndTheFileSystemIsClean() throws Exception {
        Path e2fsck = tool("e2fsck");
        Path debugfs = tool("debugfs");
        assumeThat(e2fsck != null && debugfs != null).as("e2fsck and debugfs (e2fsprogs) installed").isTrue();
        Random rnd = new Random(SEED);
        int recovered = 0;
        int totalAcks = 0;
        long t0 = System.nanoTime();
        for (int point = 0; point < POINTS; point++) {
            int wantAcks = 1 + rnd.nextInt(24);
            int pauseMs = rnd.nextInt(30);
            String where = "kill point " + point + " (seed " + SEED + ", after " + wantAcks + " acks + " + pauseMs + " ms)";
            Path img = tmp.resolve("disk" + point + ".img");
            Files.copy(Path.of("target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);

            Acks acks = runAndKill(img, wantAcks, pauseMs);
            assertThat(acks.lines()).as(where + ": the writer acknowledged something").isGreaterThanOrEqualTo(wantAcks);
            totalAcks += acks.lines();

            // Linux's own journal recovery on a copy of the partition, then a clean check
            Path part = tmp.resolve("part" + point + ".img");
            extractPartition(img, part);
            int fy = run(e2fsck.toString(), "-fy", part.toString()).exit();
            assertThat(fy).as(where + ": e2fsck -fy exit status (0 clean, 1 fixed = replayed)").isLessThanOrEqualTo(1);
            E2fsprogs.Result fn = run(e2fsck.toString(), "-fn", part.toString());
            assertThat(fn.exit()).as(where + ": e2fsck -fn after e2fsck's replay\n" + fn.out()).isZero();

            // jx86's replay at mount, and the files
            RunResult check = PcMachine.run(MachineConfig.builder().kernel(KERNEL)
                    .append("console=ttyS0 panic=exit init=/bin/durcheck").disk(img)
                    .maxInstructions(2_000_000_000L).build());
            String serial = check.serial();
            assertThat(serial).as(where).contains("durcheck: done").doesNotContain("panic:").doesNotContain("FAIL");
            assertThat(check.event()).isEqualTo(MachineEvent.EXIT_PORT);
            if (serial.contains("journal: recovering 1 transaction")) {
                recovered++;
            }
            Map<String, String> found = new LinkedHashMap<>();
            serial.lines().filter(l -> l.startsWith("file ")).forEach(l -> {
                String[] f = l.split(" ");
                found.put(f[1], f[2] + " " + f[3]);
            });
            for (Map.Entry<String, String> e : acks.files().entrySet()) {
                String name = e.getKey();
                String now = found.get(name);
                if (name.equals(acks.inFlightName()) && java.util.Objects.equals(now, acks.inFlightValue())) {
                    continue;                     // the change in flight happened: also correct
                }
                assertThat(now).as(where + ": acknowledged " + name).isEqualTo(e.getValue());
            }
            for (String gone : acks.unlinked()) {
                assertThat(found).as(where + ": acknowledged unlink of " + gone).doesNotContainKey(gone);
            }
            Path mine = tmp.resolve("mine" + point + ".img");
            extractPartition(img, mine);
            fn = run(e2fsck.toString(), "-fn", mine.toString());
            assertThat(fn.exit()).as(where + ": e2fsck -fn after jx86's replay\n" + fn.out()).isZero();
            // jx86's replay and e2fsck's replay of the same journal give the same files, byte for byte
            // (this is what catches a replay that skips a committed transaction: the acknowledged
            // files are home already, the change in flight at the kill is not)
            Map<String, byte[]> linux = files(debugfs, part);
            Map<String, byte[]> ours = files(debugfs, mine);
            assertThat(ours.keySet()).as(where + ": /d after jx86's vs e2fsck's replay").isEqualTo(linux.keySet());
            for (String name : linux.keySet()) {
                assertThat(ours.get(name)).as(where + ": " + name + " after jx86's vs e2fsck's replay").isEqualTo(linux.get(name));
            }
            Files.delete(part);
            Files.delete(mine);
            Files.delete(img);
        }
        System.out.println("DurabilityKillTest: " + POINTS + " kills, " + totalAcks + " acknowledgements checked, "
                + recovered + " boots replayed a committed transaction, "
                + (System.nanoTime() - t0) / 1_000_000_000 + " s");
    }

    /** Boots the writer in a separate JVM, kills it with SIGKILL after wantAcks "fsync ok" lines and a pause. */
    private Acks runAndKill(Path img, int wantAcks, int pauseMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // a short run: the client compiler alone starts faster, and the serial collector is enough
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp,
                "jx86.cli.Main", "boot", "--kernel=" + KERNEL,
                "--append=console=ttyS0 init=/bin/durable", "--disk=" + img, "--max-instructions=20000000000")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> unlinked = new HashSet<>();
        List<String> all = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int fsyncs = 0;
            String line;
            while (fsyncs < wantAcks && (line = in.readLine()) != null) {
                all.add(line);
                if (line.startsWith("fsync ok ")) {
                    fsyncs++;
                }
            }
            Thread.sleep(pauseMs);
            // SIGKILL (no shutdown hook, no flush), through the handle: Process.destroyForcibly
            // would also close our end of the pipe, losing lines the guest printed before it died
            p.toHandle().destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // what it printed before it died was acknowledged too
            while ((line = in.readLine()) != null) {
                all.add(line);
            }
        }
        int acks = 0;
        String inFlightName = null;
        String inFlightValue = null;
        for (String line : all) {
            String[] f = line.split(" ");
            inFlightName = null;
            if (line.startsWith("rename begin ") && f.length == 5) {
                inFlightName = f[2];
                inFlightValue = f[3] + " " + f[4];
            } else if (line.startsWith("unlink begin ") && f.length == 3) {
                inFlightName = f[2];
                inFlightValue = null;
            }
            if ((line.startsWith("fsync ok ") || line.startsWith("rename ok ")) && f.length == 5) {
                files.put(f[2], f[3] + " " + f[4]);
                acks++;
            } else if (line.startsWith("unlink ok ") && f.length == 3) {
                files.remove(f[2]);
                unlinked.add(f[2]);
                acks++;
            }
            assertThat(line).doesNotContain("FAIL").doesNotContain("panic:");
        }
        return new Acks(files, unlinked, acks, inFlightName, inFlightValue);
    }

    /** The files in /d of a file-system image and their contents, read with debugfs. */
    private static Map<String, byte[]> files(Path debugfs, Path part) throws Exception {
        Map<String, byte[]> m = new java.util.TreeMap<>();
        for (String line : run(debugfs.toString(), "-R", "ls -p /d", part.toString()).out().split("\n")) {
            String[] f = line.split("/");          // "/INODE/MODE/UID/GID/NAME/SIZE/"
            if (f.length >= 6 && f[2].startsWith("100")) {
                m.put(f[5], run(debugfs.toString(), "-R", "cat /d/" + f[5], part.toString()).bytes());
            }
        }
        return m;
    }

    private static void extractPartition(Path img, Path part) throws IOException {
        E2fsprogs.partition(img, part);
    }

    private static E2fsprogs.Result run(String... cmd) throws Exception {
        return E2fsprogs.run(cmd);
    }

    private static Path tool(String name) {
        return E2fsprogs.tool(name);
    }
}
