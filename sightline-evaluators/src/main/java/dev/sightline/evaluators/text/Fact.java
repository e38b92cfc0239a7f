package dev.sightline.evaluators.text;

import java.math.BigDecimal;

/**
 * A checkable fact found in a sentence, normalised so that different spellings compare equal:
 * {@code "$1,200"}, {@code "1200 USD"} and {@code "USD 1,200.00"} all have the key
 * {@code "money 1200 USD"}; {@code "two weeks"} and {@code "14 days"} both {@code "duration 14 day"}.
 *
 * @param kind what sort of fact
 * @param key the normalised form; equal keys mean the same fact
 * @param amount the number the fact states (the amount, the count of units, the year), null for
 *     entities and times
 * @param surface the text as written in the sentence
 * @param start offset of {@code surface} in the sentence
 * @param end offset just past it
 */
public record Fact(Kind kind, String key, BigDecimal amount, String surface, int start, int end) {

  /** The sorts of facts the extractor finds. */
  public enum Kind { NUMBER, MONEY, PERCENT, DURATION, DATE, TIME, VERSION, ENTITY }

  /** Whether this is a number of some kind (everything but entities). */
  public boolean numeric() {
    return kind != Kind.ENTITY;
  }
}
