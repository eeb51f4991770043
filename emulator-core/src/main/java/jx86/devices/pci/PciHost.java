package jx86.devices.pci;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * PCI configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2) at ports
 * 0xCF8-0xCFF, with one function behind it: an Intel 82441FX host bridge (the i440FX "PMC", as in
 * QEMU's {@code pc} machine) at bus 0, device 0, function 0. There is no other PCI device.
 *
 * <ul>
 * <li>CONFIG_ADDRESS (0xCF8) is a 32-bit register: a doubleword write latches it (reserved bits
 * 30:24 and 1:0 read as 0), a doubleword read returns it. Byte and word accesses to 0xCF8-0xCFB are
 * not configuration accesses: they go to the ISA bus, where nothing answers (reads all ones, writes
 * ignored), as on a PIIX-based PC.
 * <li>CONFIG_DATA (0xCFC-0xCFF), any width: with the enable bit (31) set, the bytes
 * {@code register + (port - 0xCFC)} onwards of the addressed function's configuration space; an
 * absent function (every one but 00:00.0, and every bus above 0: there are no bridges) ends in a
 * master abort and reads all ones, writes vanish. With the enable bit clear the data port is not
 * decoded either: all ones.
 * </ul>
 *
 * <p>The host bridge's header is the 82441FX's after reset (datasheet 290549, 3.2): vendor 8086h,
 * device 1237h, command 0006h, status 0280h, revision 02h, class 060000h (host bridge), header type
 * 00h (one function), no BARs. Its registers are read-only here: writes are ignored, since jx86
 * models none of what they control (PAM shadowing, SMRAM, DRAM rows, the latency timer). This is
 * what an OS's probe needs to see a PC with a PCI bus: Linux's type-1 check (the address
 * read-back) and its sanity check (a host bridge on bus 0) pass, and the bus scan finds this one
 * function.
 */
public final class PciHost implements IoDevice {
    public static final int CONFIG_ADDRESS = 0xCF8;
    public static final int CONFIG_DATA = 0xCFC;
    private static final int ENABLE = 0x8000_0000;
    /** Bits of CONFIG_ADDRESS that hold a value: enable, bus, device, function, register. */
    private static final int ADDRESS_BITS = ENABLE | 0x00FF_FFFC;

    private final byte[] hostBridge = new byte[256];
    private int address;

    public PciHost() {
        put16(0x00, 0x8086);    // vendor: Intel
        put16(0x02, 0x1237);    // device: 82441FX PCI and memory controller
        put16(0x04, 0x0006);    // command: memory space, bus master
        put16(0x06, 0x0280);    // status: fast back-to-back capable, medium DEVSEL timing
        hostBridge[0x08] = 0x02;    // revision
        hostBridge[0x0B] = 0x06;    // class 06h (bridge), subclass 00h (host), programming interface 00h
        hostBridge[0x0E] = 0x00;    // header type 0, single function
    }

    private void put16(int offset, int value) {
        hostBridge[offset] = (byte) value;
        hostBridge[offset + 1] = (byte) (value >>> 8);
    }

    public void attach(IoBus bus) {
        bus.register(CONFIG_ADDRESS, 8, "pci", IoBus.W_ALL, this);
    }

    /** The latched CONFIG_ADDRESS. */
    public int address() {
        return address;
    }

    @Override
    public int ioRead(int port, int size) {
        if (port < CONFIG_DATA) {
            if (port == CONFIG_ADDRESS && size == 4) {
                return address;
            }
            return allOnes(size);
        }
        int offset = configOffset(port);
        if (offset < 0) {
            return allOnes(size);
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= (hostBridge[(offset + i) & 0xFF] & 0xFF) << (8 * i);
        }
        return value;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port == CONFIG_ADDRESS && size == 4) {
            address = value & ADDRESS_BITS;
        }
        // CONFIG_DATA writes: the host bridge's registers are read-only; absent functions master-abort.
    }

    /** The configuration-space offset a data-port access reaches in the host bridge, or -1 for none. */
    private int configOffset(int port) {
        if ((address & ENABLE) == 0 || (address & 0x00FF_FF00) != 0) {   // disabled, or not bus 0 device 0 function 0
            return -1;
        }
        return (address & 0xFC) + (port - CONFIG_DATA);
    }

    private static int allOnes(int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }
}
