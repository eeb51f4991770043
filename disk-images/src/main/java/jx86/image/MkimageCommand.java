package jx86.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jx86.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jx86 mkimage MANIFEST [-o IMAGE]}: builds a bootable disk image (docs/disk-images.md). */
@Command(name = "mkimage", mixinStandardHelpOptions = true,
        description = "Build a bootable disk image (MBR, jx86 loader, kernel, modules, ext2 root) from a manifest.")
public final class MkimageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The image manifest (key = value lines).")
    Path manifest;

    @Option(names = {"-o", "--output"}, paramLabel = "IMAGE",
            description = "The image file to write (default: MANIFEST's name with .img, next to it).")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the summary line.")
    boolean quiet;

    @Option(names = "--add", paramLabel = "HOSTFILE:/PATH",
            description = "Also put the host file HOSTFILE into the root file system at /PATH (repeatable; "
                    + "replaces a file of the root tree), e.g. --add ~/.cache/jx86/busybox/bin/busybox:/bin/busybox.")
    List<String> add = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            List<RootTree.Extra> extras = new ArrayList<>();
            for (String spec : add) {
                extras.add(RootTree.Extra.parse(spec));      // all checked before anything is built
            }
            Manifest m = ManifestParser.parse(manifest);
            ImageBuilder.Result r = ImageBuilder.build(m, output != null ? output : defaultOutput(manifest), extras);
            if (!quiet) {
                System.out.println(r.summary());
            }
            return 0;
        } catch (ImageException e) {
            throw new UserError(e.getMessage());
        }
    }

    static Path defaultOutput(Path manifest) {
        String name = manifest.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return manifest.toAbsolutePath().resolveSibling(base + ".img");
    }

    /** Stand-alone entry point (used by the Maven build to make the test image): same options. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new MkimageCommand());
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof UserError) {
                System.err.println(ex.getMessage());
                return 2;
            }
            throw ex;
        });
        System.exit(cli.execute(args));
    }
}
