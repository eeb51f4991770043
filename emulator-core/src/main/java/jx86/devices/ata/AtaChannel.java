package jx86.devices.ata;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqLine;

/**
 * One ATA (IDE) channel with up to two drives, as on the PC/AT: the command block at
 * {@code cmdBase .. cmdBase+7} and the control block (alternate status / device control) at
 * {@code ctrlPort}; primary 0x1F0-0x1F7 + 0x3F6 on IRQ14, secondary 0x170-0x177 + 0x376 on IRQ15.
 * Implements the register protocol of ATA/ATAPI-6 section 7 (the drives do the commands).
 *
 * <p>Every command-block write is latched by both drives; reads and commands go to the drive
 * selected by the DEV bit (device register bit 4). The shared INTRQ line follows the selected
 * drive's pending interrupt unless nIEN is set. Reading the status register acknowledges the
 * interrupt; the alternate status does not. Device control: nIEN (bit 1), SRST (bit 2: asserting it
 * makes the drives busy, releasing it completes the reset with the ATA signature), HOB (bit 7:
 * reads of the count and LBA registers return the previously written bytes; any command-block write
 * clears it). The data port takes 16-bit accesses; a 32-bit access transfers two words (low first)
 * and an 8-bit access one word of which the low byte is used.
 *
 * <p>An absent selected drive reads as 0 in every register and ignores commands; a channel with no
 * drive at all floats (reads 0xFF). Not modelled: DMA and the bus-master registers.
 */
public final class AtaChannel implements IoDevice {
    public static final int PRIMARY_CMD = 0x1F0;
    public static final int PRIMARY_CTRL = 0x3F6;
    public static final int PRIMARY_IRQ = 14;
    public static final int SECONDARY_CMD = 0x170;
    public static final int SECONDARY_CTRL = 0x376;
    public static final int SECONDARY_IRQ = 15;

    private static final int DEVCTL_NIEN = 0x02;
    private static final int DEVCTL_SRST = 0x04;
    private static final int DEVCTL_HOB = 0x80;

    private final IrqLine irq;
    private final AtaDrive[] drives = new AtaDrive[2];
    private int cmdBase = -1;
    private int ctrlPort = -1;
    private int selected;
    private int devctl;

    /**
     * @param irq    the channel's IRQ line (IRQ14 primary, IRQ15 secondary)
     * @param master the master drive, or null
     * @param slave  the slave drive, or null
     */
    public AtaChannel(IrqLine irq, AtaDrive master, AtaDrive slave) {
        this.irq = irq;
        drives[0] = master;
        drives[1] = slave;
        for (AtaDrive d : drives) {
            if (d != null) {
                d.setIrqListener(this::updateIrq);
            }
        }
    }

    /** Claims the command block (8 ports) and the control port on {@code bus}. */
    public void attach(IoBus bus, int cmdBase, int ctrlPort) {
        String name = cmdBase == PRIMARY_CMD ? "ata0" : cmdBase == SECONDARY_CMD ? "ata1" : String.format("ata@%x", cmdBase);
        bus.register(cmdBase, 1, name + "-data", IoBus.W8 | IoBus.W16 | IoBus.W32, this);
        bus.register(cmdBase + 1, 7, name, IoBus.W8, this);
        bus.register(ctrlPort, 1, name + "-ctrl", IoBus.W8, this);
        this.cmdBase = cmdBase;
        this.ctrlPort = ctrlPort;
    }

    /** Hardware reset (RESET- on the cable): both drives end with the signature, master selected. */
    public void reset() {
        devctl = 0;
        for (AtaDrive d : drives) {
            if (d != null) {
                d.resetAsserted();
                d.resetComplete();
                d.powerOnDefaults();
            }
        }
        selected = 0;
        updateIrq();
    }

    public AtaDrive drive(int unit) {
        return drives[unit];
    }

    private boolean noDrives() {
        return drives[0] == null && drives[1] == null;
    }

    @Override
    public int ioRead(int port, int size) {
        if (noDrives()) {
            return size == 4 ? 0xFFFF_FFFF : size == 2 ? 0xFFFF : 0xFF;
        }
        AtaDrive d = drives[selected];
        if (port == ctrlPort) {
            return d == null ? 0 : d.status; // alternate status: no interrupt acknowledge
        }
        int reg = port - cmdBase;
        if (reg == 0) {
            if (d == null) {
                return 0;
            }
            int lo = d.readData();
            if (size == 4) {
                return lo | (d.readData() << 16);
            }
            return size == 2 ? lo : lo & 0xFF;
        }
        if (d == null) {
            return 0;
        }
        if (reg == 7) {
            if (d.intrq) {
                d.intrq = false;
                updateIrq();
            }
            return d.status;
        }
        return d.readRegister(reg, (devctl & DEVCTL_HOB) != 0);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port == ctrlPort) {
            writeDeviceControl(value & 0xFF);
            return;
        }
        int reg = port - cmdBase;
        AtaDrive d = drives[selected];
        if (reg == 0) {
            if (d != null) {
                d.writeData(value & 0xFFFF);
                if (size == 4) {
                    d.writeData(value >>> 16);
                }
            }
            return;
        }
        devctl &= ~DEVCTL_HOB;
        value &= 0xFF;
        if (reg == 7) {
            command(value);
            return;
        }
        for (AtaDrive drive : drives) {
            if (drive != null) {
                drive.writeRegister(reg, value);
            }
        }
        if (reg == 6) {
            selected = (value >> 4) & 1;
            updateIrq();
        }
    }

    private void command(int cmd) {
        if (cmd == 0x90) {
            executeDeviceDiagnostic();
            return;
        }
        AtaDrive d = drives[selected];
        if (d != null && (d.status & AtaDrive.BSY) == 0) {
            d.command(cmd);
        }
    }

    /** EXECUTE DEVICE DIAGNOSTIC: both drives reset to the signature; device 0 is selected and interrupts. */
    private void executeDeviceDiagnostic() {
        for (AtaDrive d : drives) {
            if (d != null) {
                d.resetComplete();
                d.intrq = false;
            }
        }
        selected = 0;
        if (drives[0] != null) {
            drives[0].intrq = true;
        }
        updateIrq();
    }

    private void writeDeviceControl(int value) {
        int old = devctl;
        devctl = value;
        if ((value & DEVCTL_SRST) != 0 && (old & DEVCTL_SRST) == 0) {
            for (AtaDrive d : drives) {
                if (d != null) {
                    d.resetAsserted();
                }
            }
        } else if ((value & DEVCTL_SRST) == 0 && (old & DEVCTL_SRST) != 0) {
            for (AtaDrive d : drives) {
                if (d != null) {
                    d.resetComplete();
                }
            }
            selected = 0;
        }
        updateIrq();
    }

    private void updateIrq() {
        AtaDrive d = drives[selected];
        irq.set((devctl & DEVCTL_NIEN) == 0 && d != null && d.intrq);
    }
}
