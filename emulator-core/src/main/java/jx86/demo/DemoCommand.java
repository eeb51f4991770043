package jx86.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jx86 demo}: the lecture demos. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Lecture demos built on the run API.",
        subcommands = {CrashCommand.class, CommandLine.HelpCommand.class})
public final class DemoCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
