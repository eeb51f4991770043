package jx86.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The master boot record: the loader's stage 1 code (bytes 0..439), a zero disk signature, the
 * partition table at 1BEh with one entry, and the 55h AAh signature at 1FEh. The entry is a
 * bootable (80h) Linux (83h) partition; its CHS fields use the usual 255-head, 63-sector geometry
 * and saturate at cylinder 1023 (FEh FFh FFh) as fdisk writes them. Only the LBA fields matter to
 * the jx86 loader.
 */
public final class Mbr {
    public static final int PARTITION_TABLE = 0x1BE;
    public static final int CODE_LIMIT = 440;
    public static final byte TYPE_LINUX = (byte) 0x83;
    public static final byte BOOTABLE = (byte) 0x80;
    private static final int HEADS = 255;
    private static final int SECTORS = 63;

    private Mbr() {
    }

    /** Builds sector 0 from the stage 1 code and the partition's LBA range. */
    public static byte[] build(byte[] stage1, long startLba, long sectors) {
        if (stage1.length != ImageLayout.SECTOR || (stage1[510] & 0xFF) != 0x55 || (stage1[511] & 0xFF) != 0xAA) {
            throw new IllegalStateException("loader mbr.bin is not a 512-byte boot sector");
        }
        byte[] mbr = new byte[ImageLayout.SECTOR];
        System.arraycopy(stage1, 0, mbr, 0, CODE_LIMIT);
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        int e = PARTITION_TABLE;
        b.put(e, BOOTABLE);
        putChs(b, e + 1, startLba);
        b.put(e + 4, TYPE_LINUX);
        putChs(b, e + 5, startLba + sectors - 1);
        b.putInt(e + 8, (int) startLba);
        b.putInt(e + 12, (int) sectors);
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return mbr;
    }

    private static void putChs(ByteBuffer b, int at, long lba) {
        long cylinder = lba / (HEADS * SECTORS);
        if (cylinder > 1023) {
            b.put(at, (byte) 0xFE);
            b.put(at + 1, (byte) 0xFF);
            b.put(at + 2, (byte) 0xFF);
            return;
        }
        int head = (int) (lba / SECTORS % HEADS);
        int sector = (int) (lba % SECTORS) + 1;
        b.put(at, (byte) head);
        b.put(at + 1, (byte) (sector | (cylinder >> 2 & 0xC0)));
        b.put(at + 2, (byte) cylinder);
    }
}
