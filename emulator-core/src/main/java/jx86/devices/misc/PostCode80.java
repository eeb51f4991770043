package jx86.devices.misc;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port 0x80, the POST diagnostic port: firmware and kernels write progress codes here (and Linux
 * uses it as an I/O delay). Each write is logged at DEBUG and the last value is kept; reads return
 * the last value written (like a POST card's latch). Byte port.
 */
public final class PostCode80 implements IoDevice {
    private static final Logger LOG = LoggerFactory.getLogger(PostCode80.class);
    private int last;

    /** Registers port 0x80 (byte port). */
    public void attach(IoBus bus) {
        bus.register(0x80, 1, "POST code", IoBus.W8, this);
    }

    public int last() {
        return last;
    }

    @Override
    public int ioRead(int port, int size) {
        return last;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        last = value & 0xFF;
        if (LOG.isDebugEnabled()) { // Linux writes here for every outb_p delay: keep it cheap
            LOG.debug("POST code 0x{}", Integer.toHexString(last));
        }
    }
}
