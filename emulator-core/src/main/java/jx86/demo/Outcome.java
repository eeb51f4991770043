package jx86.demo;

/**
 * How one crash-demo run ended, decided from console lines, machine events and the harness's
 * watchdog (never guessed: a run that fits no rule is {@link #UNCLASSIFIED}). The order is the
 * order of the table's columns and the plot's stacked bands, from best to worst.
 */
public enum Outcome {
    SURVIVED("survived", "survived clean: the canary kept passing until the end", "#4caf50"),
    RESTARTED("restarted", "the buggy component crashed and was restarted (microkernel)", "#8bc34a"),
    VM_FAILED("vm-failed", "the VM with the bug failed while the other VM survived (vmm)", "#cddc39"),
    CORRUPTED("corrupted", "data corrupted: the canary reported CORRUPT or died of a fault", "#ffc107"),
    PANIC("panic", "kernel panic", "#f44336"),
    TRIPLE_FAULT("triple-fault", "triple fault or reset: the processor shut down", "#9c27b0"),
    HANG("hang", "hang: no console progress and no scheduler activity", "#607d8b"),
    UNCLASSIFIED("unclassified", "no rule matched (see the run's last lines)", "#000000");

    private final String label;
    private final String description;
    private final String color;

    Outcome(String label, String description, String color) {
        this.label = label;
        this.description = description;
        this.color = color;
    }

    /** Short name used in tables, CSV and JSON. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The plot colour (#rrggbb). */
    public String color() {
        return color;
    }

    /** Whether the run counts as surviving in the plot's "fraction surviving". */
    public boolean survived() {
        return this == SURVIVED || this == RESTARTED;
    }
}
