package jx86.devices.ata;

import java.io.IOException;
import jx86.host.DiskBackend;

/**
 * One ATA hard disk (master or slave) on an {@link AtaChannel}: its task-file registers, its status
 * and the PIO data transfers of the ATA/ATAPI-4 command subset, plus the 48-bit commands of ATA-6.
 *
 * <p>Commands: IDENTIFY DEVICE (0xEC); READ/WRITE SECTORS (0x20/0x21, 0x30/0x31); READ/WRITE
 * MULTIPLE (0xC4/0xC5) after SET MULTIPLE MODE (0xC6, 0 or a power of two up to 16); READ/WRITE
 * SECTORS EXT (0x24/0x34) and MULTIPLE EXT (0x29/0x39) with the HOB registers; READ VERIFY
 * (0x40/0x41/0x42); FLUSH CACHE (0xE7) and EXT (0xEA); INITIALIZE DEVICE PARAMETERS (0x91);
 * RECALIBRATE (0x1x), SEEK (0x7x), SET FEATURES (0xEF), CHECK POWER MODE (0xE5) and the idle /
 * standby commands (0xE0-0xE3, 0x94-0x97), READ NATIVE MAX ADDRESS (0xF8/0x27) are accepted.
 * IDENTIFY PACKET DEVICE (0xA1) and everything else abort (ERR, error ABRT). Addresses are CHS
 * (device register bit 6 clear, through the current INITIALIZE DEVICE PARAMETERS translation) or
 * LBA; an address outside the disk ends the command with IDNF.
 *
 * <p>Timing: every command completes at once (BSY is never observed except during a soft reset),
 * which keeps runs deterministic. INTRQ is asserted at each data block of a PIO read (DRQ), after
 * each written block and at the completion of non-data commands, like the protocol requires.
 *
 * <p>Not modelled: DMA, ATAPI, security, SMART, power management states, write caching (data
 * reaches the back-end at once; FLUSH CACHE forces the host file).
 */
public final class AtaDrive {
    static final int HEADS = 16;
    static final int SECTORS_PER_TRACK = 63;
    static final int MAX_MULTIPLE = 16;

    // status register bits
    static final int BSY = 0x80;
    static final int DRDY = 0x40;
    static final int DF = 0x20;
    static final int DSC = 0x10;
    static final int DRQ = 0x08;
    static final int ERR = 0x01;
    // error register bits
    static final int UNC = 0x40;
    static final int IDNF = 0x10;
    static final int ABRT = 0x04;

    private final DiskBackend disk;
    private final String serial;
    private final long sectors;
    private final int cylinders;
    private Runnable irqChanged = () -> { };

    // task file (current value and the previous one: the "high order byte" for 48-bit commands)
    int features;
    int featuresHob;
    int count;
    int countHob;
    int lbaLow;
    int lbaLowHob;
    int lbaMid;
    int lbaMidHob;
    int lbaHigh;
    int lbaHighHob;
    int device;
    int status = DRDY | DSC;
    int error = 0x01;
    boolean intrq;

    private int multiple;
    private int curHeads = HEADS;
    private int curSpt = SECTORS_PER_TRACK;
    private int curCyls;

    // PIO transfer state
    private final byte[] buffer = new byte[MAX_MULTIPLE * DiskBackend.SECTOR_SIZE];
    private int bufPos;
    private int bufLen;
    private boolean writing;
    private long nextLba;
    private long remaining;
    private int blockSize;
    private int blockSectors;
    private int addressing; // ADDR_CHS, ADDR_LBA28, ADDR_LBA48
    private static final int ADDR_CHS = 0;
    private static final int ADDR_LBA28 = 1;
    private static final int ADDR_LBA48 = 2;

    /** A drive on {@code disk}, with serial number "JX86-" and a disk-size-derived suffix. */
    public AtaDrive(DiskBackend disk) {
        this(disk, "JX86-" + Long.toHexString(disk.sectorCount()).toUpperCase());
    }

    /** @param serial the IDENTIFY serial number (at most 20 ASCII characters are kept) */
    public AtaDrive(DiskBackend disk, String serial) {
        this.disk = disk;
        this.serial = serial.length() > 20 ? serial.substring(0, 20) : serial;
        this.sectors = disk.sectorCount();
        this.cylinders = (int) Math.max(1, Math.min(16383, sectors / (HEADS * SECTORS_PER_TRACK)));
        this.curCyls = cylinders;
    }

    public DiskBackend disk() {
        return disk;
    }

    /** Default CHS geometry: cylinders (heads are 16, sectors per track 63). */
    public int cylinders() {
        return cylinders;
    }

    void setIrqListener(Runnable listener) {
        irqChanged = listener;
    }

    private void interrupt() {
        intrq = true;
        irqChanged.run();
    }

    // ---- task file ----------------------------------------------------------------------------

    /** A write to command-block register 1-6 (both drives on a channel latch every write). */
    void writeRegister(int reg, int value) {
        switch (reg) {
            case 1 -> {
                featuresHob = features;
                features = value;
            }
            case 2 -> {
                countHob = count;
                count = value;
            }
            case 3 -> {
                lbaLowHob = lbaLow;
                lbaLow = value;
            }
            case 4 -> {
                lbaMidHob = lbaMid;
                lbaMid = value;
            }
            case 5 -> {
                lbaHighHob = lbaHigh;
                lbaHigh = value;
            }
            default -> device = value;
        }
    }

    /** A read of command-block register 1-6; {@code hob} selects the previous values (DEVCTL bit 7). */
    int readRegister(int reg, boolean hob) {
        return switch (reg) {
            case 1 -> error;
            case 2 -> hob ? countHob : count;
            case 3 -> hob ? lbaLowHob : lbaLow;
            case 4 -> hob ? lbaMidHob : lbaMid;
            case 5 -> hob ? lbaHighHob : lbaHigh;
            default -> device | 0xA0;
        };
    }

    // ---- reset and diagnostics ----------------------------------------------------------------

    /** SRST asserted: the drive is busy and abandons any transfer. */
    void resetAsserted() {
        endTransfer();
        status = BSY;
        intrq = false;
    }

    /** SRST released (or EXECUTE DEVICE DIAGNOSTIC): the ATA signature and "diagnostic passed". */
    void resetComplete() {
        count = 1;
        lbaLow = 1;
        lbaMid = 0;
        lbaHigh = 0;
        countHob = 0;
        lbaLowHob = 0;
        lbaMidHob = 0;
        lbaHighHob = 0;
        device = 0;
        error = 0x01;
        status = DRDY | DSC;
    }

    /** Hardware reset also forgets SET MULTIPLE MODE and INITIALIZE DEVICE PARAMETERS. */
    void powerOnDefaults() {
        multiple = 0;
        curHeads = HEADS;
        curSpt = SECTORS_PER_TRACK;
        curCyls = cylinders;
    }

    // ---- commands -----------------------------------------------------------------------------

    /** Executes a command written to the command register. */
    void command(int cmd) {
        endTransfer();
        error = 0;
        intrq = false;
        irqChanged.run();
        switch (cmd) {
            case 0xEC -> identify();
            case 0x20, 0x21 -> startTransfer(false, ADDR_LBA28, 1);
            case 0x30, 0x31 -> startTransfer(true, ADDR_LBA28, 1);
            case 0xC4 -> startMultiple(false, ADDR_LBA28);
            case 0xC5 -> startMultiple(true, ADDR_LBA28);
            case 0x24 -> startTransfer(false, ADDR_LBA48, 1);
            case 0x34 -> startTransfer(true, ADDR_LBA48, 1);
            case 0x29 -> startMultiple(false, ADDR_LBA48);
            case 0x39 -> startMultiple(true, ADDR_LBA48);
            case 0x40, 0x41 -> verify(ADDR_LBA28);
            case 0x42 -> verify(ADDR_LBA48);
            case 0xC6 -> setMultiple();
            case 0x91 -> initializeDeviceParameters();
            case 0xE7, 0xEA -> flushCache();
            case 0xF8 -> nativeMax(false);
            case 0x27 -> nativeMax(true);
            case 0xE5 -> {
                count = 0xFF; // active or idle
                complete();
            }
            case 0xEF, 0xE0, 0xE1, 0xE2, 0xE3, 0x94, 0x95, 0x96, 0x97 -> complete();
            default -> {
                if ((cmd & 0xF0) == 0x10 || (cmd & 0xF0) == 0x70) {
                    complete(); // RECALIBRATE, SEEK: nothing moves
                } else {
                    abort(ABRT);
                }
            }
        }
    }

    private void complete() {
        status = DRDY | DSC;
        interrupt();
    }

    private void abort(int errorBits) {
        endTransfer();
        error = errorBits;
        status = DRDY | DSC | ERR;
        interrupt();
    }

    private void identify() {
        int[] w = AtaIdentify.words(sectors, serial, cylinders, multiple, curCyls, curHeads, curSpt);
        for (int i = 0; i < 256; i++) {
            buffer[2 * i] = (byte) w[i];
            buffer[2 * i + 1] = (byte) (w[i] >>> 8);
        }
        bufPos = 0;
        bufLen = 512;
        writing = false;
        remaining = 0;
        status = DRDY | DSC | DRQ;
        interrupt();
    }

    private void setMultiple() {
        int n = count;
        if (n > MAX_MULTIPLE || (n & (n - 1)) != 0) {
            abort(ABRT);
            return;
        }
        multiple = n;
        complete();
    }

    private void initializeDeviceParameters() {
        int heads = (device & 0x0F) + 1;
        int spt = count;
        if (spt == 0) {
            abort(ABRT);
            return;
        }
        curHeads = heads;
        curSpt = spt;
        curCyls = (int) Math.min(65535, sectors / ((long) heads * spt));
        complete();
    }

    private void flushCache() {
        try {
            disk.flush();
            complete();
        } catch (IOException e) {
            abort(ABRT);
        }
    }

    private void nativeMax(boolean ext) {
        long max = sectors - 1;
        if (ext) {
            setAddress(max, ADDR_LBA48);
        } else {
            setAddress(Math.min(max, 0x0FFF_FFFFL), ADDR_LBA28);
        }
        complete();
    }

    private void verify(int mode) {
        long lba = startAddress(mode);
        long n = sectorCount(mode);
        if (lba < 0 || lba + n > sectors) {
            abort(IDNF);
            return;
        }
        setAddress(lba + n - 1, mode);
        complete();
    }

    private void startMultiple(boolean write, int mode) {
        if (multiple == 0) {
            abort(ABRT);
            return;
        }
        startTransfer(write, mode, multiple);
    }

    private void startTransfer(boolean write, int mode, int block) {
        if ((device & 0x40) == 0 && mode == ADDR_LBA28) {
            mode = ADDR_CHS;
        }
        long lba = startAddress(mode);
        long n = sectorCount(mode);
        if (lba < 0 || lba + n > sectors) {
            abort(IDNF);
            return;
        }
        if (write && disk.readOnly()) {
            abort(ABRT);
            return;
        }
        addressing = mode;
        writing = write;
        nextLba = lba;
        remaining = n;
        blockSize = block;
        if (write) {
            prepareWriteBlock();
            status = DRDY | DSC | DRQ; // the first block is requested without an interrupt
        } else {
            loadReadBlock();
        }
    }

    private long sectorCount(int mode) {
        if (mode == ADDR_LBA48) {
            int n = (countHob << 8) | count;
            return n == 0 ? 65536 : n;
        }
        return count == 0 ? 256 : count;
    }

    /** The command's start address as an LBA, or -1 for an invalid CHS address. */
    private long startAddress(int mode) {
        return switch (mode) {
            case ADDR_LBA48 -> ((long) lbaHighHob << 40) | ((long) lbaMidHob << 32) | ((long) lbaLowHob << 24)
                    | ((long) lbaHigh << 16) | ((long) lbaMid << 8) | lbaLow;
            case ADDR_LBA28 -> ((long) (device & 0x0F) << 24) | ((long) lbaHigh << 16) | ((long) lbaMid << 8) | lbaLow;
            default -> {
                int cyl = (lbaHigh << 8) | lbaMid;
                int head = device & 0x0F;
                int sector = lbaLow;
                if (sector == 0 || sector > curSpt || head >= curHeads) {
                    yield -1;
                }
                yield ((long) cyl * curHeads + head) * curSpt + (sector - 1);
            }
        };
    }

    /** Leaves {@code lba} in the address registers (the last sector transferred, or the failing one). */
    private void setAddress(long lba, int mode) {
        switch (mode) {
            case ADDR_LBA48 -> {
                lbaLow = (int) (lba & 0xFF);
                lbaMid = (int) ((lba >>> 8) & 0xFF);
                lbaHigh = (int) ((lba >>> 16) & 0xFF);
                lbaLowHob = (int) ((lba >>> 24) & 0xFF);
                lbaMidHob = (int) ((lba >>> 32) & 0xFF);
                lbaHighHob = (int) ((lba >>> 40) & 0xFF);
            }
            case ADDR_LBA28 -> {
                lbaLow = (int) (lba & 0xFF);
                lbaMid = (int) ((lba >>> 8) & 0xFF);
                lbaHigh = (int) ((lba >>> 16) & 0xFF);
                device = (device & 0xF0) | (int) ((lba >>> 24) & 0x0F);
            }
            default -> {
                long perCyl = (long) curHeads * curSpt;
                long cyl = lba / perCyl;
                lbaMid = (int) (cyl & 0xFF);
                lbaHigh = (int) ((cyl >>> 8) & 0xFF);
                device = (device & 0xF0) | (int) ((lba / curSpt) % curHeads);
                lbaLow = (int) (lba % curSpt) + 1;
            }
        }
    }

    private void loadReadBlock() {
        int n = (int) Math.min(blockSize, remaining);
        for (int i = 0; i < n; i++) {
            try {
                disk.read(nextLba + i, buffer, i * DiskBackend.SECTOR_SIZE);
            } catch (IOException e) {
                setAddress(nextLba + i, addressing);
                abort(UNC);
                return;
            }
        }
        blockSectors = n;
        bufPos = 0;
        bufLen = n * DiskBackend.SECTOR_SIZE;
        status = DRDY | DSC | DRQ;
        interrupt();
    }

    private void prepareWriteBlock() {
        blockSectors = (int) Math.min(blockSize, remaining);
        bufPos = 0;
        bufLen = blockSectors * DiskBackend.SECTOR_SIZE;
    }

    private void endTransfer() {
        bufPos = 0;
        bufLen = 0;
        remaining = 0;
    }

    // ---- data port ----------------------------------------------------------------------------

    /** A 16-bit read of the data register (0 when no data is requested). */
    int readData() {
        if ((status & DRQ) == 0 || writing || bufPos >= bufLen) {
            return 0;
        }
        int value = (buffer[bufPos] & 0xFF) | ((buffer[bufPos + 1] & 0xFF) << 8);
        bufPos += 2;
        if (bufPos >= bufLen) {
            readBlockDone();
        }
        return value;
    }

    private void readBlockDone() {
        if (remaining == 0) { // IDENTIFY
            status = DRDY | DSC;
            return;
        }
        remaining -= blockSectors;
        nextLba += blockSectors;
        if (remaining > 0) {
            loadReadBlock();
        } else {
            setAddress(nextLba - 1, addressing);
            count = 0;
            countHob = 0;
            endTransfer();
            status = DRDY | DSC; // no interrupt after the last block of a read
        }
    }

    /** A 16-bit write of the data register (ignored when no data is requested). */
    void writeData(int value) {
        if ((status & DRQ) == 0 || !writing || bufPos >= bufLen) {
            return;
        }
        buffer[bufPos] = (byte) value;
        buffer[bufPos + 1] = (byte) (value >>> 8);
        bufPos += 2;
        if (bufPos >= bufLen) {
            writeBlockDone();
        }
    }

    private void writeBlockDone() {
        for (int i = 0; i < blockSectors; i++) {
            try {
                disk.write(nextLba + i, buffer, i * DiskBackend.SECTOR_SIZE);
            } catch (IOException e) {
                setAddress(nextLba + i, addressing);
                writing = false;
                error = ABRT;
                endTransfer();
                status = DRDY | DSC | DF | ERR;
                interrupt();
                return;
            }
        }
        remaining -= blockSectors;
        nextLba += blockSectors;
        if (remaining > 0) {
            prepareWriteBlock();
            status = DRDY | DSC | DRQ;
        } else {
            setAddress(nextLba - 1, addressing);
            count = 0;
            countHob = 0;
            endTransfer();
            writing = false;
            status = DRDY | DSC;
        }
        interrupt();
    }
}
