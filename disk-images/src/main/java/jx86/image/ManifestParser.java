package jx86.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an image manifest: {@code key = value} lines, {@code #} comments and blank lines.
 * Keys: kernel, module (repeatable: {@code module = path args...}), cmdline, root, size
 * (bytes or K/M/G binary units), block-size (1024 or 4096). Paths are relative to the manifest's
 * directory. Every error is one line naming the manifest and line: {@code mkimage: FILE:LINE: ...}.
 */
public final class ManifestParser {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*([KMGkmg]?)(?:i?[Bb])?");
    private static final long MAX_SIZE = 512L << 32;    // MBR: 32-bit sector numbers

    private ManifestParser() {
    }

    /** Reads and parses the manifest file. */
    public static Manifest parse(Path manifest) {
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImageException("mkimage: cannot read manifest " + manifest + ": " + e.getMessage());
        }
        Path dir = manifest.toAbsolutePath().getParent();
        return parse(manifest.toString(), dir, lines);
    }

    /** Parses manifest lines; {@code name} is used in messages, {@code dir} resolves relative paths. */
    public static Manifest parse(String name, Path dir, List<String> lines) {
        Path kernel = null;
        Path root = null;
        String cmdline = "";
        long size = Manifest.DEFAULT_SIZE;
        int blockSize = Manifest.DEFAULT_BLOCK_SIZE;
        List<Manifest.Module> modules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> bootNames = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = "mkimage: " + name + ":" + (i + 1) + ": ";
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ImageException(where + "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if (!key.equals("module") && !seen.add(key)) {
                throw new ImageException(where + "duplicate key '" + key + "'");
            }
            switch (key) {
                case "kernel" -> {
                    kernel = existingFile(where, dir, value, "kernel");
                    bootNames.add(kernel.getFileName().toString());
                }
                case "module" -> {
                    String[] parts = value.split("\\s+", 2);
                    Path file = existingFile(where, dir, parts[0], "module");
                    if (!bootNames.add(file.getFileName().toString())) {
                        throw new ImageException(where + "a second file named '" + file.getFileName()
                                + "' in " + ImageLayout.BOOT_DIR);
                    }
                    modules.add(new Manifest.Module(file, parts.length > 1 ? parts[1].strip() : ""));
                }
                case "cmdline" -> cmdline = value;
                case "root" -> {
                    root = resolve(dir, value, where, "root");
                    if (!Files.isDirectory(root)) {
                        throw new ImageException(where + "root is not a directory: " + root);
                    }
                }
                case "size" -> size = parseSize(where, value);
                case "block-size" -> blockSize = parseBlockSize(where, value);
                default -> throw new ImageException(where + "unknown key '" + key
                        + "' (known: kernel, module, cmdline, root, size, block-size)");
            }
        }
        if (kernel == null) {
            throw new ImageException("mkimage: " + name + ": no kernel given (add 'kernel = path/to/kernel.elf')");
        }
        if (modules.size() > ImageLayout.MAX_MODULES) {
            throw new ImageException("mkimage: " + name + ": " + modules.size() + " modules, at most "
                    + ImageLayout.MAX_MODULES + " are supported");
        }
        return new Manifest(kernel, modules, cmdline, root, size, blockSize);
    }

    /** Parses an image size: bytes, or a number with K, M or G (powers of 1024), a multiple of 512. */
    static long parseSize(String where, String value) {
        Matcher m = SIZE.matcher(value);
        String bad = where + "bad size '" + value + "' (use e.g. 64M or 1G; a multiple of 512 bytes)";
        if (!m.matches()) {
            throw new ImageException(bad);
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n == 0 || n > (MAX_SIZE >> shift) || ((n << shift) % 512) != 0) {
            throw new ImageException(bad);
        }
        return n << shift;
    }

    private static int parseBlockSize(String where, String value) {
        if (value.equals("1024")) {
            return 1024;
        }
        if (value.equals("4096")) {
            return 4096;
        }
        throw new ImageException(where + "block-size must be 1024 or 4096, got '" + value + "'");
    }

    private static Path existingFile(String where, Path dir, String value, String what) {
        Path p = resolve(dir, value, where, what);
        if (!Files.isRegularFile(p)) {
            throw new ImageException(where + what + " file not found: " + p);
        }
        return p;
    }

    private static Path resolve(Path dir, String value, String where, String what) {
        if (value.isEmpty()) {
            throw new ImageException(where + what + " needs a path");
        }
        return dir.resolve(value).normalize();
    }
}
