package jx86.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * The ISA port space: 65536 ports, each owned by at most one device.
 *
 * <p>Devices register a range, a name and the access widths they implement. Overlaps are rejected
 * when the machine is wired, never at run time. An access of a width the device did not declare is
 * split into byte accesses (like the ISA bus does for an 8-bit card). Unclaimed ports read as all
 * ones (the data lines float high) and ignore writes.
 */
public final class IoBus {
    /** Width masks for {@link #register}. */
    public static final int W8 = 1;
    public static final int W16 = 2;
    public static final int W32 = 4;
    public static final int W_ALL = W8 | W16 | W32;

    private final short[] owner = new short[65536];
    private final List<IoDevice> devices = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private IoDevice[] deviceArray = new IoDevice[1];
    private int[] widthArray = new int[1];

    public IoBus() {
        devices.add(null); // index 0 = unclaimed
        names.add("unclaimed");
        widths.add(0);
    }

    /**
     * Claims ports {@code first .. first+count-1} for {@code device}.
     *
     * @throws IllegalStateException when any port is already claimed (a wiring bug)
     */
    public void register(int first, int count, String name, int widthMask, IoDevice device) {
        if (first < 0 || count <= 0 || first + count > 65536) {
            throw new IllegalArgumentException("bad port range " + first + "+" + count + " for " + name);
        }
        for (int p = first; p < first + count; p++) {
            if (owner[p] != 0) {
                throw new IllegalStateException(String.format(
                        "port 0x%04x: %s conflicts with %s", p, name, names.get(owner[p])));
            }
        }
        devices.add(device);
        names.add(name);
        widths.add(widthMask);
        short index = (short) (devices.size() - 1);
        for (int p = first; p < first + count; p++) {
            owner[p] = index;
        }
        deviceArray = devices.toArray(new IoDevice[0]);
        widthArray = widths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The name of the device owning {@code port}, or "unclaimed". */
    public String ownerName(int port) {
        return names.get(owner[port & 0xFFFF]);
    }

    public int in(int port, int size) {
        port &= 0xFFFF;
        int index = owner[port];
        if (index == 0) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFF_FFFF;
        }
        if ((widthArray[index] & size) != 0) {
            return deviceArray[index].ioRead(port, size);
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= (in(port + i, 1) & 0xFF) << (8 * i);
        }
        return value;
    }

    public void out(int port, int size, int value) {
        port &= 0xFFFF;
        int index = owner[port];
        if (index == 0) {
            return;
        }
        if ((widthArray[index] & size) != 0) {
            deviceArray[index].ioWrite(port, size, size == 4 ? value : value & ((1 << (8 * size)) - 1));
            return;
        }
        for (int i = 0; i < size; i++) {
            out(port + i, 1, value >>> (8 * i));
        }
    }
}
