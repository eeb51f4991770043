package jx86.bus;

/** An interrupt controller's input pins (the 8259 pair, the I/O APIC). */
public interface IrqSink {
    /** Sets the level of input {@code line} (an ISA IRQ number 0-15, or an I/O APIC pin 0-23). */
    void setIrq(int line, boolean level);
}
