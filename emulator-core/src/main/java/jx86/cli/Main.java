package jx86.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code jx86} command line. Subcommands live in their own classes; modules outside the core
 * (the image builder) contribute theirs through {@link CliExtension} and the ServiceLoader.
 *
 * <p>Exit statuses: 0 success, 2 bad usage or bad input (missing image, bad ELF), others as
 * documented per subcommand (see docs/machine.md).
 */
@Command(name = "jx86", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A full-system IA-32 PC emulator.",
        subcommands = {BootCommand.class, BenchCommand.class, TestCommand.class, jx86.demo.DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad usage or bad input (one clear line on stderr). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "-v", description = "More log output on stderr (-v INFO, -vv DEBUG).")
    boolean[] verbose = new boolean[0];

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit status (for tests: no System.exit). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        for (CliExtension ext : ServiceLoader.load(CliExtension.class)) {
            cli.addSubcommand(ext.name(), ext.command());
        }
        cli.setExecutionStrategy(parseResult -> {
            Main main = (Main) parseResult.commandSpec().userObject();
            configureLogging(main.verbose.length);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            System.err.println("jx86: " + ex.getMessage() + " (see 'jx86 --help')");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserError) {
                System.err.println("jx86: " + ex.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    static void configureLogging(int verbosity) {
        Level level = verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN;
        Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof Logger) {
            ((Logger) root).setLevel(level);
        }
    }

    /** Reads the version Maven filtered into jx86-version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/jx86-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"jx86 " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
