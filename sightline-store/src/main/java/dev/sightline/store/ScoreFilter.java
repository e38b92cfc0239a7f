package dev.sightline.store;

import java.util.Locale;

/**
 * A filter on a call's latest score of one name, as the API writes it: {@code groundedness<0.7},
 * {@code groundedness>=0.9}, {@code injection=flagged} (the score's verdict is a failure) or
 * {@code groundedness=unsupported} (its label, compared case-insensitively). Comparisons take the
 * score's numeric value (a score without one never matches them); {@code =flagged} matches scores
 * whose flagged is true; a call without a score of that name never matches. A filter built by hand
 * with another operator, or a comparison without a number, makes the call list throw
 * IllegalArgumentException.
 *
 * @param op one of {@code <}, {@code <=}, {@code >}, {@code >=}, {@code =}
 * @param number the threshold for numeric comparisons (and {@code =} with a number); null otherwise
 * @param label the label for {@code =} with a word; {@link #FLAGGED} matches flagged scores
 */
public record ScoreFilter(String name, String op, Double number, String label) {
  public static final String FLAGGED = "flagged";

  public ScoreFilter {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a score filter needs a score name, e.g. groundedness<0.7");
    }
  }

  /** Parses {@code name<op>value}; throws IllegalArgumentException with the accepted forms. */
  public static ScoreFilter parse(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    for (String op : new String[] {"<=", ">=", "<", ">", "="}) {
      int i = t.indexOf(op);
      if (i > 0) {
        String name = t.substring(0, i).trim();
        String value = t.substring(i + op.length()).trim();
        if (name.isEmpty() || value.isEmpty()) {
          break;
        }
        Double number = null;
        try {
          number = Double.parseDouble(value);
          if (number.isNaN() || number.isInfinite()) {
            number = null;
          }
        } catch (NumberFormatException e) {
          // a label
        }
        if (number == null && !op.equals("=")) {
          throw new IllegalArgumentException("score filter '" + s + "': " + op + " needs a number, e.g. " + name
              + op + "0.7");
        }
        return new ScoreFilter(name, op, number, number == null ? value.toLowerCase(Locale.ROOT) : null);
      }
    }
    throw new IllegalArgumentException("score filter '" + s + "' is not NAME<NUMBER, NAME<=NUMBER, NAME>NUMBER,"
        + " NAME>=NUMBER, NAME=NUMBER, NAME=LABEL or NAME=flagged (e.g. groundedness<0.7)");
  }

  @Override
  public String toString() {
    return name + op + (number != null ? number : label);
  }
}
