package jx86.devices.ata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.host.DiskBackend;
import jx86.host.RawFileDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtaChannelTest {
    static final int DATA = 0x1F0, ERROR = 0x1F1, FEATURES = 0x1F1, COUNT = 0x1F2, LBA_LO = 0x1F3;
    static final int LBA_MID = 0x1F4, LBA_HI = 0x1F5, DEVICE = 0x1F6, STATUS = 0x1F7, COMMAND = 0x1F7;
    static final int ALT = 0x3F6, DEVCTL = 0x3F6;
    static final int SECTORS = 4096; // 2 MiB: 4 cylinders of 16 heads x 63 sectors

    @TempDir
    Path tmp;

    final List<String> irqEvents = new ArrayList<>();
    final IrqSink sink = (line, level) -> irqEvents.add(line + (level ? "+" : "-"));
    final List<DiskBackend> opened = new ArrayList<>();
    IoBus bus;
    Path image;

    @AfterEach
    void closeDisks() throws IOException {
        for (DiskBackend d : opened) {
            d.close();
        }
    }

    /** Sector n holds bytes (n + i) & 0xFF, with n as a 32-bit little-endian number in bytes 0-3. */
    static byte[] pattern(long sectors) {
        byte[] b = new byte[(int) sectors * 512];
        for (int n = 0; n < sectors; n++) {
            for (int i = 0; i < 512; i++) {
                b[n * 512 + i] = (byte) (n + i);
            }
            b[n * 512] = (byte) n;
            b[n * 512 + 1] = (byte) (n >> 8);
            b[n * 512 + 2] = 0;
            b[n * 512 + 3] = 0;
        }
        return b;
    }

    AtaChannel channelOn(DiskBackend disk) {
        opened.add(disk);
        AtaChannel ch = new AtaChannel(new IrqLine(new IrqSink[] {sink}, new int[] {14}), new AtaDrive(disk, "SN1"), null);
        bus = new IoBus();
        ch.attach(bus, AtaChannel.PRIMARY_CMD, AtaChannel.PRIMARY_CTRL);
        return ch;
    }

    AtaChannel channelOnImage() throws IOException {
        image = tmp.resolve("disk.img");
        Files.write(image, pattern(SECTORS));
        return channelOn(RawFileDisk.open(image, false));
    }

    int in(int port) {
        return bus.in(port, 1);
    }

    void out(int port, int v) {
        bus.out(port, 1, v);
    }

    void lba28(long lba, int count) {
        out(COUNT, count);
        out(LBA_LO, (int) lba & 0xFF);
        out(LBA_MID, (int) (lba >> 8) & 0xFF);
        out(LBA_HI, (int) (lba >> 16) & 0xFF);
        out(DEVICE, 0xE0 | (int) (lba >> 24) & 0x0F);
    }

    byte[] readBlock(int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i += 2) {
            int w = bus.in(DATA, 2);
            b[i] = (byte) w;
            b[i + 1] = (byte) (w >> 8);
        }
        return b;
    }

    void writeBlock(byte[] b) {
        for (int i = 0; i < b.length; i += 2) {
            bus.out(DATA, 2, (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8);
        }
    }

    int[] identifyWords() {
        out(DEVICE, 0xA0);
        out(COMMAND, 0xEC);
        assertThat(in(STATUS)).isEqualTo(0x58); // DRDY DSC DRQ
        int[] w = new int[256];
        for (int i = 0; i < 256; i++) {
            w[i] = bus.in(DATA, 2);
        }
        assertThat(in(STATUS)).isEqualTo(0x50);
        return w;
    }

    static byte[] fileSector(Path p, long sector) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            byte[] b = new byte[512];
            f.seek(sector * 512);
            f.readFully(b);
            return b;
        }
    }

    @Test
    void identify_reportsGeometryCapacityFeaturesAndChecksum() throws IOException {
        channelOnImage();
        int[] w = identifyWords();
        assertThat(w[0]).isEqualTo(0x0040);
        assertThat(w[1]).isEqualTo(4); // 4096 / (16 * 63)
        assertThat(w[3]).isEqualTo(16);
        assertThat(w[6]).isEqualTo(63);
        assertThat(w[10]).isEqualTo(('S' << 8) | 'N');
        assertThat(w[11]).isEqualTo(('1' << 8) | ' ');
        assertThat(w[27]).isEqualTo(('J' << 8) | 'X');
        assertThat(w[28]).isEqualTo(('8' << 8) | '6');
        assertThat(w[29]).isEqualTo((' ' << 8) | 'H');
        assertThat(w[46]).isEqualTo(0x2020);
        assertThat(w[47]).isEqualTo(0x8010);
        assertThat(w[49] & 0x0200).isEqualTo(0x0200);
        assertThat(w[59]).isZero();
        assertThat(w[57] | w[58] << 16).isEqualTo(4 * 16 * 63);
        assertThat(w[60] | w[61] << 16).isEqualTo(4096);
        assertThat(w[83] & 0x0400).isEqualTo(0x0400);
        assertThat(w[86] & 0x0400).isEqualTo(0x0400);
        assertThat(w[100]).isEqualTo(4096);
        assertThat(w[101] | w[102] | w[103]).isZero();
        int sum = 0;
        for (int x : w) {
            sum += (x & 0xFF) + (x >> 8);
        }
        assertThat(w[255] & 0xFF).isEqualTo(0xA5);
        assertThat(sum & 0xFF).isZero();
        assertThat(irqEvents).containsExactly("14+", "14-");
    }

    @Test
    void readSectorsLba28_returnsFileBytesWithOneInterruptPerSector() throws IOException {
        channelOnImage();
        lba28(5, 2);
        out(COMMAND, 0x20);
        assertThat(irqEvents).containsExactly("14+");
        assertThat(in(STATUS)).isEqualTo(0x58);
        assertThat(readBlock(512)).isEqualTo(fileSector(image, 5));
        assertThat(irqEvents).containsExactly("14+", "14-", "14+");
        assertThat(in(STATUS)).isEqualTo(0x58);
        assertThat(readBlock(512)).isEqualTo(fileSector(image, 6));
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(irqEvents).containsExactly("14+", "14-", "14+", "14-"); // none after the last block
        assertThat(in(LBA_LO)).isEqualTo(6); // the last sector transferred
        assertThat(in(COUNT)).isZero();
    }

    @Test
    void writeSectorsLba28_changesTheImageFile() throws IOException {
        channelOnImage();
        lba28(7, 1);
        out(COMMAND, 0x30);
        assertThat(in(STATUS)).isEqualTo(0x58);
        assertThat(irqEvents).isEmpty(); // the first block is requested without an interrupt
        byte[] data = new byte[512];
        for (int i = 0; i < 512; i++) {
            data[i] = (byte) (0xAA ^ i);
        }
        writeBlock(data);
        assertThat(irqEvents).containsExactly("14+");
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(fileSector(image, 7)).isEqualTo(data);
        assertThat(fileSector(image, 8)).isEqualTo(java.util.Arrays.copyOfRange(pattern(9), 8 * 512, 9 * 512));
    }

    @Test
    void chsAddressing_mapsCylinderHeadSectorThroughDefaultGeometry() throws IOException {
        channelOnImage();
        out(COUNT, 1);
        out(LBA_LO, 3); // sector 3
        out(LBA_MID, 1); // cylinder 1
        out(LBA_HI, 0);
        out(DEVICE, 0xA0 | 2); // head 2, LBA bit clear
        out(COMMAND, 0x20);
        byte[] got = readBlock(512);
        // (1 * 16 + 2) * 63 + (3 - 1) = 1136
        assertThat(got).isEqualTo(fileSector(image, 1136));
        assertThat(got[0] & 0xFF | (got[1] & 0xFF) << 8).isEqualTo(1136);
    }

    @Test
    void initializeDeviceParameters_changesTheChsTranslation() throws IOException {
        channelOnImage();
        out(COUNT, 32);
        out(DEVICE, 0xA0 | 7); // 8 heads, 32 sectors per track
        out(COMMAND, 0x91);
        assertThat(in(STATUS)).isEqualTo(0x50);
        out(COUNT, 1);
        out(LBA_LO, 1);
        out(LBA_MID, 2);
        out(LBA_HI, 0);
        out(DEVICE, 0xA0 | 1);
        out(COMMAND, 0x20);
        assertThat(readBlock(512)).isEqualTo(fileSector(image, (2 * 8 + 1) * 32));
    }

    @Test
    void lba48_readsAndWritesAboveThe28BitLimitWithHobRegisters() throws IOException {
        image = tmp.resolve("big.img");
        long sectors = (1L << 28) + 16;
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(sectors * 512); // sparse
        }
        channelOn(RawFileDisk.open(image, false));
        long lba = 0x1000_0005L;
        // HOB bytes first, then the low bytes
        out(COUNT, 0);
        out(LBA_LO, 0x10);
        out(LBA_MID, 0);
        out(LBA_HI, 0);
        out(COUNT, 2);
        out(LBA_LO, 0x05);
        out(LBA_MID, 0);
        out(LBA_HI, 0);
        out(DEVICE, 0x40);
        out(DEVCTL, 0x80);
        assertThat(in(LBA_LO)).isEqualTo(0x10); // HOB view
        out(DEVCTL, 0x00);
        assertThat(in(LBA_LO)).isEqualTo(0x05);
        out(COMMAND, 0x34);
        byte[] a = new byte[512];
        byte[] b = new byte[512];
        java.util.Arrays.fill(a, (byte) 0x11);
        java.util.Arrays.fill(b, (byte) 0x22);
        writeBlock(a);
        writeBlock(b);
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(fileSector(image, lba)).isEqualTo(a);
        assertThat(fileSector(image, lba + 1)).isEqualTo(b);
        // the registers hold the last sector written: 0x10000006
        assertThat(in(LBA_LO)).isEqualTo(0x06);
        out(DEVCTL, 0x80);
        assertThat(in(LBA_LO)).isEqualTo(0x10);
        out(DEVCTL, 0x00);
        // read it back with READ SECTORS EXT
        out(COUNT, 0);
        out(LBA_LO, 0x10);
        out(COUNT, 1);
        out(LBA_LO, 0x06);
        out(LBA_MID, 0);
        out(LBA_HI, 0);
        out(COMMAND, 0x24);
        assertThat(readBlock(512)).isEqualTo(b);
    }

    @Test
    void readMultiple_transfersBlocksWithOneInterruptPerBlock() throws IOException {
        channelOnImage();
        out(COUNT, 4);
        out(DEVICE, 0xE0);
        out(COMMAND, 0xC6);
        assertThat(in(STATUS)).isEqualTo(0x50);
        irqEvents.clear();
        lba28(100, 10);
        out(COMMAND, 0xC4);
        byte[] all = new byte[10 * 512];
        int pos = 0;
        for (int block : new int[] {4, 4, 2}) {
            assertThat(in(STATUS)).isEqualTo(0x58);
            System.arraycopy(readBlock(block * 512), 0, all, pos, block * 512);
            pos += block * 512;
        }
        assertThat(irqEvents).containsExactly("14+", "14-", "14+", "14-", "14+", "14-");
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(all).isEqualTo(java.util.Arrays.copyOfRange(Files.readAllBytes(image), 100 * 512, 110 * 512));
        int[] w = identifyWords();
        assertThat(w[59]).isEqualTo(0x0104);
    }

    @Test
    void readMultipleWithoutSetMultiple_aborts() throws IOException {
        channelOnImage();
        lba28(0, 1);
        out(COMMAND, 0xC4);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x04);
    }

    @Test
    void writeMultiple_writesWholeBlocksToTheFile() throws IOException {
        channelOnImage();
        out(COUNT, 2);
        out(COMMAND, 0xC6);
        assertThat(in(STATUS)).isEqualTo(0x50);
        irqEvents.clear();
        lba28(20, 3);
        out(COMMAND, 0xC5);
        byte[] data = new byte[3 * 512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 3);
        }
        writeBlock(java.util.Arrays.copyOfRange(data, 0, 1024));
        assertThat(irqEvents).containsExactly("14+");
        assertThat(in(STATUS)).isEqualTo(0x58);
        writeBlock(java.util.Arrays.copyOfRange(data, 1024, 1536));
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(java.util.Arrays.copyOfRange(Files.readAllBytes(image), 20 * 512, 23 * 512)).isEqualTo(data);
    }

    @Test
    void readBeyondTheEnd_failsWithIdnf() throws IOException {
        channelOnImage();
        lba28(SECTORS - 1, 2);
        out(COMMAND, 0x20);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x10);
        assertThat(irqEvents).containsExactly("14+", "14-");
    }

    @Test
    void unknownCommandAndIdentifyPacket_abortWithAbrt() throws IOException {
        channelOnImage();
        out(COMMAND, 0x55);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x04);
        out(COMMAND, 0xA1);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x04);
        out(COMMAND, 0xEF); // SET FEATURES is accepted
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(in(ERROR)).isZero();
    }

    @Test
    void nIen_suppressesTheIrqAndAltStatusDoesNotAcknowledge() throws IOException {
        channelOnImage();
        out(DEVCTL, 0x02);
        out(COMMAND, 0xEC);
        assertThat(irqEvents).isEmpty();
        out(DEVCTL, 0x00); // the drive's interrupt is still pending
        assertThat(irqEvents).containsExactly("14+");
        assertThat(in(ALT)).isEqualTo(0x58);
        assertThat(irqEvents).containsExactly("14+");
        in(STATUS);
        assertThat(irqEvents).containsExactly("14+", "14-");
    }

    @Test
    void softReset_busyWhileAssertedThenSignature() throws IOException {
        channelOnImage();
        lba28(0x123456, 9);
        out(DEVCTL, 0x04);
        assertThat(in(ALT)).isEqualTo(0x80);
        out(DEVCTL, 0x00);
        assertThat(in(STATUS)).isEqualTo(0x50);
        assertThat(in(COUNT)).isEqualTo(1);
        assertThat(in(LBA_LO)).isEqualTo(1);
        assertThat(in(LBA_MID)).isZero();
        assertThat(in(LBA_HI)).isZero();
        assertThat(in(ERROR)).isEqualTo(0x01);
        assertThat(irqEvents).isEmpty();
    }

    @Test
    void executeDeviceDiagnostic_setsSignatureAndInterrupts() throws IOException {
        channelOnImage();
        lba28(0x42, 3);
        out(COMMAND, 0x90);
        assertThat(in(ERROR)).isEqualTo(0x01);
        assertThat(in(COUNT)).isEqualTo(1);
        assertThat(in(LBA_LO)).isEqualTo(1);
        assertThat(irqEvents).containsExactly("14+");
    }

    @Test
    void flushCache_reachesTheBackend() {
        int[] flushes = {0};
        DiskBackend counting = new DiskBackend() {
            public void read(long s, byte[] b, int o) { }
            public void write(long s, byte[] b, int o) { }
            public long sectorCount() {
                return 100;
            }
            public boolean readOnly() {
                return false;
            }
            public void flush() {
                flushes[0]++;
            }
            public void close() { }
        };
        channelOn(counting);
        out(DEVICE, 0xE0);
        out(COMMAND, 0xE7);
        assertThat(flushes[0]).isEqualTo(1);
        out(COMMAND, 0xEA);
        assertThat(flushes[0]).isEqualTo(2);
        assertThat(in(STATUS)).isEqualTo(0x50);
    }

    @Test
    void dataPort32Bit_transfersTwoWordsLowFirst() throws IOException {
        channelOnImage();
        lba28(3, 1);
        out(COMMAND, 0x20);
        int first = bus.in(DATA, 4);
        // sector 3: bytes 03 00 00 00, then (3 + i) for i >= 4
        assertThat(first).isEqualTo(0x00000003);
        int second = bus.in(DATA, 4);
        assertThat(second).isEqualTo(0x0A090807);
    }

    @Test
    void absentSlave_readsZeroAndIgnoresCommands() throws IOException {
        channelOnImage();
        out(DEVICE, 0xB0);
        assertThat(in(STATUS)).isZero();
        out(COMMAND, 0xEC);
        assertThat(in(STATUS)).isZero();
        assertThat(irqEvents).isEmpty();
        out(DEVICE, 0xA0);
        assertThat(in(STATUS)).isEqualTo(0x50);
    }

    @Test
    void channelWithoutDrives_floatsHigh() {
        bus = new IoBus();
        new AtaChannel(IrqLine.unconnected(), null, null).attach(bus, AtaChannel.SECONDARY_CMD, AtaChannel.SECONDARY_CTRL);
        assertThat(bus.in(0x177, 1)).isEqualTo(0xFF);
        assertThat(bus.in(0x170, 2)).isEqualTo(0xFFFF);
    }

    @Test
    void readOnlyImage_abortsWrites() throws IOException {
        image = tmp.resolve("ro.img");
        Files.write(image, pattern(64));
        channelOn(RawFileDisk.open(image, true));
        lba28(1, 1);
        out(COMMAND, 0x30);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x04);
    }

    @Test
    void hardwareReset_forgetsMultipleModeAndShowsTheSignature() throws IOException {
        AtaChannel ch = channelOnImage();
        out(COUNT, 8);
        out(COMMAND, 0xC6);
        in(STATUS);
        ch.reset();
        assertThat(in(COUNT)).isEqualTo(1);
        assertThat(in(LBA_LO)).isEqualTo(1);
        assertThat(in(ERROR)).isEqualTo(1);
        int[] w = identifyWords();
        assertThat(w[59]).isZero();
    }

    @Test
    void setMultipleWithNonPowerOfTwo_aborts() throws IOException {
        channelOnImage();
        out(COUNT, 3);
        out(COMMAND, 0xC6);
        assertThat(in(STATUS)).isEqualTo(0x51);
        assertThat(in(ERROR)).isEqualTo(0x04);
    }
}
