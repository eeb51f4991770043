package jx86;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jx86.machine.PcMachine;
import org.junit.jupiter.api.Test;

/**
 * Principle: no global state, so two machines can run side by side in one JVM. A static field
 * that is not final (or a static final array, which is mutable too) anywhere in the emulator
 * would let one machine see another's state.
 */
class NoGlobalStateTest {
    private static List<Class<?>> mainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(PcMachine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                classes.add(Class.forName(name, false, NoGlobalStateTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    @Test
    void emulatorClasses_haveNoMutableStaticFields() throws Exception {
        List<Class<?>> classes = mainClasses();
        assertThat(classes).as("the scan found the emulator's classes").hasSizeGreaterThan(100);
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || f.isSynthetic() || f.isEnumConstant()) {
                    continue;
                }
                if (!Modifier.isFinal(m)) {
                    offenders.add(c.getName() + "." + f.getName() + " (not final)");
                } else if (f.getType().isArray()) {
                    offenders.add(c.getName() + "." + f.getName() + " (final, but an array: its elements can change)");
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
