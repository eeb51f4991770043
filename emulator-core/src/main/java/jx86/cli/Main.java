package jx86.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import jx86.machine.StartupTrace;
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
        description = "A full-system IA-32 PC emulator.")
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
        StartupTrace.mark("main() entered");
        System.exit(execute(args));
    }

    /** The built-in subcommands, in the order the help lists them (extensions follow). */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = builtins();

    private static Map<String, Supplier<Object>> builtins() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("boot", BootCommand::new);
        m.put("bench", BenchCommand::new);
        m.put("test", TestCommand::new);
        m.put("demo", jx86.demo.DemoCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** Runs the CLI and returns the exit status (for tests: no System.exit). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Picocli builds the model of every registered command by reflection, and the demo, bench
        // and test commands with theirs cost about as much as the rest of the start-up before the
        // machine (docs/performance.md, "Start-up"). When the first argument names a subcommand,
        // only that one is registered: the parse, its help and its errors are the same.
        // Otherwise (no argument, an option, help, an unknown name) all are, for the full help.
        String first = args.length > 0 ? args[0] : "";
        List<CliExtension> extensions = new ArrayList<>();
        ServiceLoader.load(CliExtension.class).forEach(extensions::add);
        boolean one = !first.equals("help") && (SUBCOMMANDS.containsKey(first)
                || extensions.stream().anyMatch(e -> e.name().equals(first)));
        SUBCOMMANDS.forEach((name, command) -> {
            if (!one || name.equals(first)) {
                cli.addSubcommand(name, command.get());
            }
        });
        for (CliExtension ext : extensions) {
            if (!one || ext.name().equals(first)) {
                cli.addSubcommand(ext.name(), ext.command());
            }
        }
        StartupTrace.mark("command line model built");
        cli.setExecutionStrategy(parseResult -> {
            Main main = (Main) parseResult.commandSpec().userObject();
            StartupTrace.mark("arguments parsed");
            configureLogging(main.verbose.length);
            StartupTrace.mark("logging configured");
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
