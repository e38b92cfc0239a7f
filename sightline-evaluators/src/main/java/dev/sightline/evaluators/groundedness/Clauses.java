package dev.sightline.evaluators.groundedness;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Cuts a sentence into clauses, so that one clause's error is not hidden by its neighbour's match. */
final class Clauses {

  private static final Pattern BOUNDARY = Pattern.compile(
      ";\\s*|:\\s+|\\s+[-–—]\\s+|,?\\s+(but|although|though|whereas|while)\\s+|,\\s+(and|so|which|who)\\s+"
          + "|\\s+and\\s+(?=(you|we|they|it|he|she|there|any|all|the|your|our|each|every)\\b)",
      Pattern.CASE_INSENSITIVE);

  private Clauses() {}

  static List<String> of(String sentence) {
    List<String> out = new ArrayList<>();
    for (String part : BOUNDARY.split(sentence)) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    if (out.isEmpty()) {
      out.add(sentence);
    }
    return out;
  }
}
