package jx86.devices.ata;

/**
 * Builds the 256-word IDENTIFY DEVICE block (ATA/ATAPI-6, section 8.15) of a jx86 hard disk:
 * a fixed, non-removable LBA48 device with PIO transfers only (no DMA is advertised), READ/WRITE
 * MULTIPLE up to {@link AtaDrive#MAX_MULTIPLE} sectors, FLUSH CACHE (EXT), and the checksum in
 * word 255 so that all 512 bytes sum to zero.
 */
final class AtaIdentify {
    static final String MODEL = "JX86 HARDDISK";
    static final String FIRMWARE = "1.0";

    private AtaIdentify() {
    }

    /**
     * @param sectors  capacity in sectors
     * @param serial   up to 20 characters
     * @param cyls     default cylinders (words 1, 54)
     * @param multiple current READ/WRITE MULTIPLE block size, 0 when not set
     * @param curHeads current (translated) heads, curSpt current sectors per track
     */
    static int[] words(long sectors, String serial, int cyls, int multiple, int curCyls, int curHeads, int curSpt) {
        int[] w = new int[256];
        w[0] = 0x0040; // fixed device, not removable, ATA
        w[1] = cyls;
        w[3] = AtaDrive.HEADS;
        w[6] = AtaDrive.SECTORS_PER_TRACK;
        putString(w, 10, 20, serial);
        putString(w, 23, 8, FIRMWARE);
        putString(w, 27, 40, MODEL);
        w[47] = 0x8000 | AtaDrive.MAX_MULTIPLE;
        w[49] = 0x0200; // LBA supported (bit 9); no DMA (bit 8 clear)
        w[50] = 0x4000;
        w[51] = 0x0200; // PIO mode 2 timing (obsolete field)
        w[53] = 0x0003; // words 54-58 and 64-70 are valid
        long chsCapacity = (long) curCyls * curHeads * curSpt;
        w[54] = curCyls;
        w[55] = curHeads;
        w[56] = curSpt;
        w[57] = (int) (chsCapacity & 0xFFFF);
        w[58] = (int) ((chsCapacity >>> 16) & 0xFFFF);
        w[59] = multiple != 0 ? 0x0100 | multiple : 0;
        long lba28 = Math.min(sectors, 0x0FFF_FFFFL);
        w[60] = (int) (lba28 & 0xFFFF);
        w[61] = (int) (lba28 >>> 16);
        w[64] = 0x0003; // PIO modes 3 and 4
        w[65] = 120;
        w[66] = 120;
        w[67] = 120;
        w[68] = 120;
        w[80] = 0x007E; // ATA-1 .. ATA-6
        w[82] = 0x0000;
        w[83] = 0x4000 | 0x2000 | 0x1000 | 0x0400; // FLUSH CACHE EXT, FLUSH CACHE, 48-bit address
        w[84] = 0x4000;
        w[85] = 0x0000;
        w[86] = 0x2000 | 0x1000 | 0x0400;
        w[87] = 0x4000;
        long lba48 = Math.min(sectors, 0xFFFF_FFFF_FFFFL);
        w[100] = (int) (lba48 & 0xFFFF);
        w[101] = (int) ((lba48 >>> 16) & 0xFFFF);
        w[102] = (int) ((lba48 >>> 32) & 0xFFFF);
        w[103] = 0;
        w[255] = 0xA5;
        int sum = 0;
        for (int i = 0; i < 255; i++) {
            sum += (w[i] & 0xFF) + (w[i] >>> 8);
        }
        sum += 0xA5;
        w[255] |= ((-sum) & 0xFF) << 8;
        return w;
    }

    /** ATA strings: space padded, two characters per word, the first in the high byte. */
    private static void putString(int[] w, int firstWord, int chars, String s) {
        for (int i = 0; i < chars; i += 2) {
            int hi = i < s.length() ? s.charAt(i) & 0x7F : ' ';
            int lo = i + 1 < s.length() ? s.charAt(i + 1) & 0x7F : ' ';
            w[firstWord + i / 2] = (hi << 8) | lo;
        }
    }
}
