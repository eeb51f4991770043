package jx86.cli;

/** A subcommand contributed by another module (found with java.util.ServiceLoader). */
public interface CliExtension {
    /** The subcommand's name, e.g. "mkimage". */
    String name();

    /** A new picocli command object (annotated with @Command). */
    Object command();
}
