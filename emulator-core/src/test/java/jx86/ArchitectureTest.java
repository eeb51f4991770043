package jx86;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package directions of docs/architecture.md ("Packages and the direction of dependencies"),
 * checked with ArchUnit on the compiled main classes: a class of package P may use only P itself,
 * the packages P's row allows, and anything outside jx86 (the JDK, the libraries in the pom).
 */
class ArchitectureTest {
    /** The table of docs/architecture.md: package -> the jx86 packages it may use. */
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("arch", Set.of()),
            Map.entry("clock", Set.of()),
            Map.entry("bus", Set.of()),
            Map.entry("memory", Set.of("bus")),
            Map.entry("mmu", Set.of("memory", "clock", "arch", "bus")),
            Map.entry("cpu", Set.of("mmu", "memory", "bus", "clock", "arch")),
            Map.entry("devices", Set.of("bus", "clock", "memory", "host", "arch")),
            Map.entry("host", Set.of()),
            Map.entry("firmware", Set.of("cpu", "memory", "bus", "arch")),
            Map.entry("debug", Set.of("cpu", "mmu", "memory", "machine", "arch")),
            Map.entry("machine", Set.of("arch", "clock", "bus", "memory", "mmu", "cpu", "devices", "host",
                    "firmware", "debug")),
            Map.entry("harness", Set.of("machine", "host", "clock", "mmu", "cpu")),
            Map.entry("script", Set.of("harness", "machine", "host", "clock", "cpu")),
            Map.entry("demo", Set.of("harness", "machine", "host", "memory", "mmu")),
            Map.entry("cli", Set.of("machine", "demo", "harness", "script", "debug", "host", "firmware")));

    /**
     * Single classes any package above the machine may use: the run loop's result type (the
     * machine's Debugger hook returns it), the execution engine a MachineConfig names (--engine),
     * and the command line's error for bad input, which the demo's subcommand reports too
     * (docs/architecture.md).
     */
    private static final Set<String> SHARED = Set.of("jx86.cpu.StopReason", "jx86.cpu.Engine", "jx86.cli.UserError");
    private static final Set<String> ABOVE_MACHINE = Set.of("harness", "script", "demo", "cli", "debug");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("jx86");
    }

    /** The top-level jx86 package of a class ("devices" for jx86.devices.vga.VgaText), or null outside jx86. */
    private static String area(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("jx86.")) {
            return null;
        }
        String rest = p.substring(5);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @Test
    void everyPackage_usesOnlyWhatDocsArchitectureAllows() {
        assertThat(classes.size()).as("classes imported").isGreaterThan(100);
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = area(c);
            assertThat(MAY_USE).as("package %s is in the table", from).containsKey(from);
            c.getDirectDependenciesFromSelf().forEach(d -> {
                String to = area(d.getTargetClass());
                boolean shared = ABOVE_MACHINE.contains(from) && SHARED.contains(d.getTargetClass().getName());
                if (to != null && !to.equals(from) && !MAY_USE.get(from).contains(to) && !shared) {
                    violations.add(from + " -> " + to + ": " + c.getName() + " uses " + d.getTargetClass().getName());
                }
            });
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void controlRegisters_areWrittenOnlyByCpu() {
        List<String> writers = new ArrayList<>();
        for (JavaClass c : classes) {
            for (JavaFieldAccess a : c.getFieldAccessesFromSelf()) {
                boolean cr = a.getTarget().getOwner().getName().equals("jx86.cpu.Cpu")
                        && Set.of("cr0", "cr3", "cr4").contains(a.getTarget().getName());
                if (cr && a.getAccessType() == JavaFieldAccess.AccessType.SET && !c.getName().equals("jx86.cpu.Cpu")) {
                    writers.add(c.getName() + " writes " + a.getTarget().getName());
                }
            }
        }
        assertThat(writers).isEmpty();
    }
}
