package jx86.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Where everything lives on a jx86 disk image (sectors of 512 bytes; docs/disk-images.md):
 * <pre>
 * LBA 0           MBR: stage 1 code, partition table (one bootable type 83h partition)
 * LBA 1..59       stage 2 of the loader (at most 59 sectors)
 * LBA 60..63      boot catalog (2048 bytes: kernel and module extents, strings)
 * LBA 64..        kernel, then each module, as raw extents, each starting on a 4 KiB boundary
 * LBA P..end      the ext2 root partition, P = the first 1 MiB boundary after the extents
 * </pre>
 * The MBR loads LBA 1..63 in one go, so stage 2 finds the catalog in memory at F600h.
 */
public final class ImageLayout {
    public static final int SECTOR = 512;
    public static final int STAGE2_LBA = 1;
    public static final int STAGE2_MAX_SECTORS = 59;
    public static final int CATALOG_LBA = 60;
    public static final int CATALOG_SECTORS = 4;
    public static final int FIRST_EXTENT_LBA = 64;
    /** Extents start on 4 KiB boundaries (8 sectors). */
    public static final int EXTENT_ALIGN = 8;
    /** Partitions start on 1 MiB boundaries (2048 sectors), as fdisk does. */
    public static final int PARTITION_ALIGN = 2048;
    public static final int MAX_MODULES = 16;
    /** Directory in the root file system that holds copies of the kernel and modules. */
    public static final String BOOT_DIR = "/boot";

    /** A run of sectors holding one file. */
    public record Extent(long lba, long bytes) {
        public long sectors() {
            return (bytes + SECTOR - 1) / SECTOR;
        }
    }

    private final Extent kernel;
    private final List<Extent> modules;
    private final long partitionLba;
    private final long partitionSectors;

    private ImageLayout(Extent kernel, List<Extent> modules, long partitionLba, long partitionSectors) {
        this.kernel = kernel;
        this.modules = List.copyOf(modules);
        this.partitionLba = partitionLba;
        this.partitionSectors = partitionSectors;
    }

    /**
     * Places the kernel and module extents and the partition in an image of {@code imageBytes}.
     *
     * @throws ImageException if the image has no room left for a root partition of at least 1 MiB
     */
    public static ImageLayout plan(long kernelBytes, List<Long> moduleBytes, long imageBytes) {
        long next = FIRST_EXTENT_LBA;
        Extent kernel = new Extent(next, kernelBytes);
        next = alignUp(next + kernel.sectors(), EXTENT_ALIGN);
        List<Extent> modules = new ArrayList<>();
        for (long bytes : moduleBytes) {
            Extent e = new Extent(next, bytes);
            modules.add(e);
            next = alignUp(next + e.sectors(), EXTENT_ALIGN);
        }
        long partitionLba = Math.max(PARTITION_ALIGN, alignUp(next, PARTITION_ALIGN));
        long totalSectors = imageBytes / SECTOR;
        if (totalSectors - partitionLba < PARTITION_ALIGN) {
            throw new ImageException("mkimage: image size " + sizeText(imageBytes)
                    + " leaves no room for the root partition (the loader, kernel and modules need "
                    + sizeText(partitionLba * SECTOR) + " and the partition at least 1M)");
        }
        return new ImageLayout(kernel, modules, partitionLba, totalSectors - partitionLba);
    }

    public Extent kernel() {
        return kernel;
    }

    public List<Extent> modules() {
        return modules;
    }

    public long partitionLba() {
        return partitionLba;
    }

    public long partitionSectors() {
        return partitionSectors;
    }

    public long partitionOffset() {
        return partitionLba * SECTOR;
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) / align * align;
    }

    /** "64M", "1536K" or "1000 bytes": the largest binary unit that divides the size. */
    static String sizeText(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return (bytes >> 10) + "K";
        }
        return bytes + " bytes";
    }
}
