package jx86.devices.fwcfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * QEMU's firmware configuration device, the traditional I/O-port interface of x86 PCs (QEMU's
 * docs/specs/fw_cfg.rst; the selector keys are those of Linux's uapi/linux/qemu_fw_cfg.h): a 16-bit
 * selector at 0x510 chooses an item and resets the read offset; each byte read from 0x511 returns
 * the item's next byte, 0 past its end or for an unknown key.
 *
 * <p>Items: the signature "QEMU" (key 0x00), the interface ID (0x01, bit 0: traditional interface,
 * no DMA), the RAM size (0x03, 64-bit), the CPU count and the maximum (0x05, 0x0F, 16-bit), the kernel
 * command line (0x14 its size with the NUL, 0x15 its bytes) and the file directory (0x19). Numbers
 * are little-endian, as in QEMU; the directory is big-endian: a 32-bit count, then per file a 32-bit
 * size, a 16-bit key, 16 reserved bits and a 56-byte NUL-padded name. Files get keys from 0x20.
 *
 * <p>Not modelled: the DMA interface (0x514, ID bit 1 clear tells guests so), writes to items, the
 * ACPI, SMBIOS and boot-order files a firmware would need (jx86's firmware is built in).
 */
public final class FwCfg implements IoDevice {
    public static final int SELECTOR_PORT = 0x510;
    public static final int DATA_PORT = 0x511;

    public static final int SIGNATURE = 0x00;
    public static final int ID = 0x01;
    public static final int RAM_SIZE = 0x03;
    public static final int NB_CPUS = 0x05;
    public static final int MAX_CPUS = 0x0F;
    public static final int CMDLINE_SIZE = 0x14;
    public static final int CMDLINE_DATA = 0x15;
    public static final int FILE_DIR = 0x19;
    public static final int FILE_FIRST = 0x20;
    static final int MAX_FILE_PATH = 56;

    private final Map<Integer, byte[]> items = new HashMap<>();
    private final List<String> fileNames = new ArrayList<>();
    private int selector = 0xFFFF;
    private int offset;

    /**
     * @param ramBytes RAM size reported to the guest
     * @param cpus     processor count
     * @param cmdline  the kernel command line ({@code --append}); empty = none
     */
    public FwCfg(long ramBytes, int cpus, String cmdline) {
        items.put(SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII));
        items.put(ID, le(4, 1));
        items.put(RAM_SIZE, le(8, ramBytes));
        items.put(NB_CPUS, le(2, cpus));
        items.put(MAX_CPUS, le(2, cpus));
        byte[] line = (cmdline + "\0").getBytes(StandardCharsets.UTF_8);
        items.put(CMDLINE_SIZE, le(4, cmdline.isEmpty() ? 0 : line.length));
        items.put(CMDLINE_DATA, cmdline.isEmpty() ? new byte[0] : line);
        items.put(FILE_DIR, directory());
    }

    /** Adds a file (name at most 55 bytes) under the next free key and rebuilds the directory. */
    public void addFile(String name, byte[] data) {
        if (name.getBytes(StandardCharsets.UTF_8).length >= MAX_FILE_PATH) {
            throw new IllegalArgumentException("fw_cfg file name too long: " + name);
        }
        items.put(FILE_FIRST + fileNames.size(), data.clone());
        fileNames.add(name);
        items.put(FILE_DIR, directory());
    }

    private byte[] directory() {
        ByteBuffer b = ByteBuffer.allocate(4 + 64 * fileNames.size()).order(ByteOrder.BIG_ENDIAN);
        b.putInt(fileNames.size());
        for (int i = 0; i < fileNames.size(); i++) {
            b.putInt(items.get(FILE_FIRST + i).length);
            b.putShort((short) (FILE_FIRST + i));
            b.putShort((short) 0);
            byte[] name = new byte[MAX_FILE_PATH];
            byte[] n = fileNames.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, name, 0, n.length);
            b.put(name);
        }
        return b.array();
    }

    private static byte[] le(int size, long value) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    /** Claims 0x510 (selector, 16-bit) and 0x511 (data, byte-wide). */
    public void attach(IoBus bus) {
        bus.register(SELECTOR_PORT, 2, "fw_cfg", IoBus.W_ALL, this);
    }

    @Override
    public int ioRead(int port, int size) {
        if (port == SELECTOR_PORT) {
            return 0;          // the selector is write-only
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= nextByte() << (8 * i);
        }
        return value;
    }

    private int nextByte() {
        byte[] item = items.get(selector & 0x3FFF);
        if (item == null || offset >= item.length) {
            return 0;
        }
        return item[offset++] & 0xFF;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port == SELECTOR_PORT) {
            selector = value & 0xFFFF;
            offset = 0;
        }
        // data-port writes: the write channel is not supported, as in QEMU since 2.4
    }
}
