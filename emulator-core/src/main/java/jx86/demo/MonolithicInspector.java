package jx86.demo;

import java.nio.file.Path;
import java.util.List;
import jx86.harness.ConsoleLine;
import jx86.machine.PcMachine;

/** Placeholder. */
final class MonolithicInspector implements CrashInspector {
    static MonolithicInspector load(Path elf) {
        return new MonolithicInspector();
    }

    @Override
    public List<String> onLine(ConsoleLine line, PcMachine machine) {
        return List.of();
    }

    @Override
    public String symbolize(String line) {
        return line;
    }
}
