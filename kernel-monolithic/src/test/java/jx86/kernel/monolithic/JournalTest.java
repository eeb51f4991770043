package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.kernel.monolithic.E2fsprogs.Result;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-monolithic's ext3 journal (fs/journal.c) at the exact crash points, in-process and
 * deterministic: the kernel's test hook {@code journal.crash=commit:N} stops the machine right
 * after the N-th transaction's commit block reached the disk (before its blocks go home),
 * {@code journal.crash=log:N} right before the commit block. Checked with the real e2fsprogs:
 * debugfs's logdump reads what jx86 wrote, e2fsck -fy replays it (the journal is genuine JBD2),
 * and jx86 replays at mount a transaction that debugfs wrote. ext2 images still mount.
 */
class JournalTest {
    private static final Path KERNEL = Path.of("target/kernel.elf");
    private static final Pattern CRASH = Pattern.compile("journal: test crash (before|after) the commit block of transaction (\\d+)");

    @TempDir
    Path tmp;
    Path img;

    @BeforeEach
    void copyDisk() throws IOException {
        img = tmp.resolve("disk.img");
        Files.copy(Path.of("target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);
    }

    private static RunResult boot(Path disk, String append, String input) {
        MachineConfig.Builder b = MachineConfig.builder().kernel(KERNEL).append("console=ttyS0 panic=exit " + append)
                .disk(disk).maxInstructions(2_000_000_000L);
        if (input != null) {
            b.serialInput(input);
        }
        return PcMachine.run(b.build());
    }

    @Test
    void crashAfterTheCommitBlock_isReplayedByE2fsckAndByJx86() throws Exception {
        Path e2fsck = tool("e2fsck");
        Path debugfs = tool("debugfs");
        assumeThat(e2fsck != null && debugfs != null).as("e2fsprogs installed").isTrue();

        RunResult w = boot(img, "init=/bin/durable journal.crash=commit:30", null);
        Matcher m = CRASH.matcher(w.serial());
        assertThat(m.find()).as(w.serial()).isTrue();
        assertThat(m.group(1)).isEqualTo("after");
        String seq = m.group(2);
        assertThat(w.exitPortValue()).isEqualTo(3);
        Map<String, String> acked = acked(w.serial());
        assertThat(acked).isNotEmpty();

        Path part = partition(img, "part.img");
        String log = run(debugfs.toString(), "-R", "logdump", part.toString()).out();
        assertThat(log).contains("Journal starts at block 1, transaction " + seq,
                "Found expected sequence " + seq + ", type 1 (descriptor block) at block 1",
                "Found expected sequence " + seq + ", type 2 (commit block)");
        assertThat(superblockNeedsRecovery(part)).as("needs_recovery set while the journal holds the commit").isTrue();
        Result fy = run(e2fsck.toString(), "-fy", part.toString());
        assertThat(fy.out()).contains("recovering journal");
        assertThat(fy.exit()).as(fy.out()).isLessThanOrEqualTo(1);
        Result fn = run(e2fsck.toString(), "-fn", part.toString());
        assertThat(fn.exit()).as(fn.out()).isZero();

        RunResult c = boot(img, "init=/bin/durcheck", null);
        assertThat(c.serial()).contains("journal: recovering 1 transaction from sequence " + seq, "durcheck: done")
                .doesNotContain("FAIL");
        Map<String, String> found = files(c.serial());
        acked.forEach((name, value) -> assertThat(found.get(name)).as(name).isEqualTo(value));
        Path after = partition(img, "after.img");
        assertThat(superblockNeedsRecovery(after)).isFalse();
        // what jx86's replay and what e2fsck's replay made of the same journal agree on every file
        for (String name : found.keySet()) {
            byte[] mine = run(debugfs.toString(), "-R", "cat " + name, after.toString()).bytes();
            byte[] linux = run(debugfs.toString(), "-R", "cat " + name, part.toString()).bytes();
            assertThat(Arrays.equals(mine, linux)).as(name).isTrue();
        }
        fn = run(e2fsck.toString(), "-fn", after.toString());
        assertThat(fn.exit()).as(fn.out()).isZero();
    }

    @Test
    void crashBeforeTheCommitBlock_isDiscarded() throws Exception {
        Path e2fsck = tool("e2fsck");
        assumeThat(e2fsck).as("e2fsprogs installed").isNotNull();

        RunResult w = boot(img, "init=/bin/durable journal.crash=log:45", null);
        Matcher m = CRASH.matcher(w.serial());
        assertThat(m.find()).as(w.serial()).isTrue();
        assertThat(m.group(1)).isEqualTo("before");
        String seq = m.group(2);
        Map<String, String> acked = acked(w.serial());

        Path part = partition(img, "part.img");
        Result fy = run(e2fsck.toString(), "-fy", part.toString());
        assertThat(fy.exit()).as(fy.out()).isLessThanOrEqualTo(1);
        assertThat(run(e2fsck.toString(), "-fn", part.toString()).exit()).isZero();

        RunResult c = boot(img, "init=/bin/durcheck", null);
        assertThat(c.serial()).contains("journal: recovering 0 transactions from sequence " + seq, "durcheck: done");
        Map<String, String> found = files(c.serial());
        acked.forEach((name, value) -> assertThat(found.get(name)).as(name).isEqualTo(value));
        Result fn = run(e2fsck.toString(), "-fn", partition(img, "after.img").toString());
        assertThat(fn.exit()).as(fn.out()).isZero();
    }

    @Test
    void aTransactionWrittenByDebugfs_isReplayedAtMount() throws Exception {
        Path debugfs = tool("debugfs");
        Path e2fsck = tool("e2fsck");
        assumeThat(e2fsck != null && debugfs != null).as("e2fsprogs installed").isTrue();
        long off = E2fsprogs.partitionOffset(img);
        String fs = img + "?offset=" + off;
        String block = run(debugfs.toString(), "-R", "bmap /etc/motd 0", fs).out().lines()
                .filter(l -> l.matches("\\d+")).findFirst().orElseThrow();
        byte[] data = new byte[1024];
        byte[] text = "journal replayed by jx86\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, data, 0, text.length);
        Path blk = tmp.resolve("blk.bin");
        Files.write(blk, data);
        Path cmds = tmp.resolve("cmds");
        Files.writeString(cmds, "jo\njw -b " + block + " " + blk + "\njc\n");
        run(debugfs.toString(), "-w", "-f", cmds.toString(), fs);
        assertThat(run(debugfs.toString(), "-R", "logdump", fs).out()).contains("type 2 (commit block)");

        RunResult r = boot(img, "init=/bin/sh", "cat /etc/motd\rpoweroff\r");
        // the inode still says 16 bytes: the first 16 of the replayed block
        assertThat(r.serial()).contains("journal: recovering 1 transaction from sequence 1", "journal replayed")
                .doesNotContain("hello from ext2");
        Result fn = run(e2fsck.toString(), "-fn", partition(img, "after.img").toString());
        assertThat(fn.exit()).as(fn.out()).isZero();
    }

    @Test
    void anExt2Image_stillMountsAndIsWritten() throws Exception {
        Path ext2 = tmp.resolve("ext2.img");
        Result mk = run("sh", "tools/mkdisk.sh", ext2.toString(), "target/root", "16", "ext2");
        assumeThat(mk.exit()).as("mkdisk.sh (mke2fs): " + mk.out()).isZero();
        RunResult r = boot(ext2, "init=/bin/sh", "echo written on ext2 > /x; cp /etc/big /big2; rm /etc/big; sync; wc /x /big2; poweroff\r");
        assertThat(r.serial()).contains("ext2: mounted hda1", " 16 /x", " 300000 /big2", "reboot: power down")
                .doesNotContain("ext3:").doesNotContain("journal");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        Path e2fsck = tool("e2fsck");
        if (e2fsck != null) {
            Result fn = run(e2fsck.toString(), "-fn", partition(ext2, "p2.img").toString());
            assertThat(fn.exit()).as(fn.out()).isZero();
        }
    }

    /** name -> "SIZE CKSUM" of durable's acknowledged files (fsync ok, rename ok; minus unlink ok). */
    private static Map<String, String> acked(String serial) {
        Map<String, String> m = new LinkedHashMap<>();
        serial.lines().forEach(l -> {
            String[] f = l.split(" ");
            if ((l.startsWith("fsync ok ") || l.startsWith("rename ok ")) && f.length == 5) {
                m.put(f[2], f[3] + " " + f[4]);
            } else if (l.startsWith("unlink ok ") && f.length == 3) {
                m.remove(f[2]);
            }
        });
        return m;
    }

    private static Map<String, String> files(String serial) {
        Map<String, String> m = new LinkedHashMap<>();
        serial.lines().filter(l -> l.startsWith("file ")).forEach(l -> {
            String[] f = l.split(" ");
            m.put(f[1], f[2] + " " + f[3]);
        });
        return m;
    }

    /** s_feature_incompat & 4 (needs_recovery) of the ext2 superblock at byte 1024 + 0x60. */
    private static boolean superblockNeedsRecovery(Path part) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "r")) {
            f.seek(1024 + 0x60);
            return (Integer.reverseBytes(f.readInt()) & 4) != 0;
        }
    }

    private Path partition(Path disk, String name) throws IOException {
        return E2fsprogs.partition(disk, tmp.resolve(name));
    }

    private static Result run(String... cmd) throws Exception {
        return E2fsprogs.run(cmd);
    }

    private static Path tool(String name) {
        return E2fsprogs.tool(name);
    }
}
