package jx86.debug.gdb;

import java.util.Arrays;

/**
 * The debugger's breakpoints (GDB's Z0 software and Z1 hardware kinds alike): a small set of LINEAR
 * addresses checked against CS.base + EIP before each instruction. Nothing is written into guest
 * memory, so breakpoints also work in ROM and are invisible to the guest.
 */
public final class Breakpoints {
    private int[] addresses = new int[8];
    private int count;

    /** Adds {@code linear}; adding it twice keeps one. */
    public void add(int linear) {
        if (contains(linear)) {
            return;
        }
        if (count == addresses.length) {
            addresses = Arrays.copyOf(addresses, count * 2);
        }
        addresses[count++] = linear;
    }

    /** Removes {@code linear}; false if it was not set. */
    public boolean remove(int linear) {
        for (int i = 0; i < count; i++) {
            if (addresses[i] == linear) {
                addresses[i] = addresses[--count];
                return true;
            }
        }
        return false;
    }

    public boolean contains(int linear) {
        for (int i = 0; i < count; i++) {
            if (addresses[i] == linear) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public void clear() {
        count = 0;
    }
}
