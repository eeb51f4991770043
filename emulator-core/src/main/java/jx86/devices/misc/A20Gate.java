package jx86.devices.misc;

import jx86.memory.PhysicalMemory;

/**
 * The chipset's A20 gate as seen by the devices that control it (the 8042's output port bit 1 and
 * port 0x92 bit 1). The last write wins, as on QEMU; the two controls are not OR-ed.
 */
public interface A20Gate {
    void setA20(boolean enabled);

    boolean a20Enabled();

    /** The gate of {@code memory} (masks physical address bit 20 when disabled). */
    static A20Gate of(PhysicalMemory memory) {
        return new A20Gate() {
            @Override
            public void setA20(boolean enabled) {
                memory.setA20(enabled);
            }

            @Override
            public boolean a20Enabled() {
                return memory.a20Enabled();
            }
        };
    }
}
