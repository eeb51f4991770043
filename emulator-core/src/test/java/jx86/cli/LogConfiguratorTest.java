package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The logging set-up that replaced logback.xml: stderr only, "jx86 LEVEL Logger: message", WARN. */
class LogConfiguratorTest {
    @Test
    void configuredContext_logsWarningsToStderrInTheProjectsFormat() {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());   // as slf4j's provider does
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            org.slf4j.Logger log = context.getLogger("jx86.devices.Example");
            log.info("not shown at the default level");
            log.warn("disk {} is read-only", "a.img");
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
            log.debug("shown at -vv");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            context.stop();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("jx86 WARN  Example: disk a.img is read-only", "jx86 DEBUG Example: shown at -vv");
    }

    @Test
    void logback_findsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()))
                .contains(LogConfigurator.class.getName());
    }
}
