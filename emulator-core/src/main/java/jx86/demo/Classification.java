package jx86.demo;

/**
 * A classifier's verdict.
 *
 * @param outcome   the class
 * @param reason    why, in one line: the deciding console line, or the machine event and what was (not) seen
 * @param lineIndex index of the deciding console line, or -1 when no line decided it
 */
public record Classification(Outcome outcome, String reason, int lineIndex) {
}
