package jx86.devices.pic;

/**
 * An interrupt controller's output wire towards the CPU's INTR pin (or towards the
 * {@code jx86.devices.apic.InterruptRouter}). The machine connects it to {@code cpu::setIntr}.
 */
@FunctionalInterface
public interface IntrOutput {
    void set(boolean level);
}
