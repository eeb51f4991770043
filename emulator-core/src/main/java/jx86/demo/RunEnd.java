package jx86.demo;

/** What ended a crash-demo run's machine, as the classifier sees it. */
public enum RunEnd {
    /** The run stopped at a decisive console line (the classifier finds which). */
    DECISIVE_LINE,
    /** The run reached its duration. */
    DURATION,
    /** The watchdog: no console progress and no scheduler activity for the hang time. */
    WATCHDOG,
    /** The processor shut down (triple fault). */
    TRIPLE_FAULT,
    /** The guest reset the machine. */
    RESET,
    /** HLT with interrupts off (a panicking kernel ends this way). */
    HALTED_FOREVER,
    /** The guest wrote to the exit port (powered off). */
    EXIT_PORT,
    /** Anything else (instruction limit, stopped): never decisive by itself. */
    OTHER
}
