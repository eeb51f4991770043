package jx86.firmware;

/** A hard disk as the BIOS's INT 13h sees it: 512-byte sectors addressed by LBA. */
public interface BiosDisk {
    long sectorCount();

    /** Reads one sector into {@code buf[off..off+511]}. */
    void readSector(long lba, byte[] buf, int off);

    /** Writes one sector from {@code buf[off..off+511]}. */
    void writeSector(long lba, byte[] buf, int off);
}
