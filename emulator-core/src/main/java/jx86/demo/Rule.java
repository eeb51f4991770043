package jx86.demo;

import java.util.regex.Pattern;

/**
 * A console line that decides a run's outcome: the first line of a transcript that matches any
 * rule decides it.
 *
 * @param pattern found anywhere in the line ({@link java.util.regex.Matcher#find})
 * @param outcome what such a line means
 */
public record Rule(Pattern pattern, Outcome outcome) {
    public static Rule of(String regex, Outcome outcome) {
        return new Rule(Pattern.compile(regex), outcome);
    }
}
