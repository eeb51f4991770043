package jx86.devices.misc;

import java.util.function.IntConsumer;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * The test exit port at 0xF4-0xF7, compatible with QEMU's {@code isa-debug-exit,iobase=0xf4,iosize=4}:
 * a write of value v (1, 2 or 4 bytes, at any of the four ports) asks the machine to stop and
 * delivers v unchanged to the exit request. The machine decides the exit status (jx86 exits with
 * v &amp; 0xFF, where QEMU would exit with (v &lt;&lt; 1) | 1). Reads return 0.
 */
public final class ExitPortF4 implements IoDevice {
    private final IntConsumer exitRequest;

    public ExitPortF4(IntConsumer exitRequest) {
        this.exitRequest = exitRequest;
    }

    /** Registers ports 0xF4-0xF7 for all widths. */
    public void attach(IoBus bus) {
        bus.register(0xF4, 4, "exit port", IoBus.W_ALL, this);
    }

    @Override
    public int ioRead(int port, int size) {
        return 0;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        exitRequest.accept(value);
    }
}
