package jx86.image;

import jx86.cli.CliExtension;

/** Contributes {@code jx86 mkimage} to the jx86 command line (META-INF/services). */
public final class MkimageExtension implements CliExtension {
    @Override
    public String name() {
        return "mkimage";
    }

    @Override
    public Object command() {
        return new MkimageCommand();
    }
}
