package jx86.bus;

/**
 * The CPU's view of the interrupt controller (the 8259 pair, or the local APIC when enabled): the
 * INTR pin and the interrupt-acknowledge cycle. The controller calls {@code Cpu.setIntr} when its
 * output changes; the CPU calls {@link #acknowledge} once it decides to take the interrupt.
 */
public interface InterruptController {
    /** The INTA cycle: returns the vector of the highest-priority pending request (or a spurious vector). */
    int acknowledge();
}
