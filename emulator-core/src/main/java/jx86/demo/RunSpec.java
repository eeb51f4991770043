package jx86.demo;

/**
 * One crash-demo run: which kernel, and the buggy component's parameters.
 *
 * @param kernel          scenario name (monolithic, microkernel, vmm)
 * @param n               words overwritten per burst
 * @param seed            the component's random seed (same seed and n: same run, byte for byte)
 * @param period          seconds between bursts (the kernel's own clock)
 * @param durationSeconds virtual seconds the run lasts after the component starts, if nothing decisive happens
 */
public record RunSpec(String kernel, int n, int seed, int period, double durationSeconds) {
    /** "monolithic n=64 seed=3". */
    public String name() {
        return kernel + " n=" + n + " seed=" + seed;
    }
}
