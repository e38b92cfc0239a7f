package dev.sightline.semconv;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a client's score label says pass or fail. Only labels that say so plainly count; anything
 * else (a grade, a custom class) is unknown, so quality rates never guess from a label.
 */
final class Verdicts {
  private static final Set<String> PASS = Set.of("pass", "passed", "correct", "relevant", "grounded", "faithful",
      "true", "yes", "ok");
  private static final Set<String> FAIL = Set.of("fail", "failed", "incorrect", "not_relevant", "irrelevant",
      "hallucinated", "unfaithful", "toxic", "false", "no");
  /** Labels that answer a yes/no question: what they mean depends on what the metric asks. */
  private static final Set<String> POLAR = Set.of("true", "false", "yes", "no");
  /**
   * Metric names that ask about a defect ("hallucination: yes" is a failure), so a yes/no label on
   * them cannot be read as pass/fail without knowing the evaluator.
   */
  private static final String[] DEFECT_WORDS = {"hallucinat", "toxic", "injection", "jailbreak", "pii", "unsafe",
      "harm", "bias", "leak", "violation", "injected"};

  private Verdicts() {}

  /** True when the label says the call failed, false when it says it passed, null when it does not say. */
  static Boolean flagged(String name, String label) {
    String l = normalized(label);
    if (l == null) {
      return null;
    }
    boolean pass = PASS.contains(l);
    boolean fail = FAIL.contains(l);
    if (!pass && !fail) {
      return null;
    }
    if (POLAR.contains(l) && asksAboutDefect(name)) {
      return null;
    }
    return fail;
  }

  /** {@code "Not Relevant"}, {@code "not-relevant"} and {@code "not_relevant"} are the same label. */
  static String normalized(String label) {
    if (label == null) {
      return null;
    }
    String t = label.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    return t.isEmpty() ? null : t;
  }

  private static boolean asksAboutDefect(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (String w : DEFECT_WORDS) {
      if (n.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
