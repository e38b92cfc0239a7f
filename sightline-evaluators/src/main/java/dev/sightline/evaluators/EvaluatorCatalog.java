package dev.sightline.evaluators;

import java.util.ArrayList;
import java.util.List;

/** Sightline's built-in evaluators by name: what {@code --evaluators} chooses from. */
public final class EvaluatorCatalog {
  public static final List<String> NAMES = List.of("groundedness", "commitment", "injection");

  private EvaluatorCatalog() {}

  /** The named evaluators, ready to run. */
  public static List<Evaluator> create(List<String> names) {
    List<Evaluator> out = new ArrayList<>();
    for (String n : names) {
      if (!NAMES.contains(n)) {
        throw new IllegalArgumentException("unknown evaluator '" + n + "'; known: " + String.join(", ", NAMES));
      }
    }
    return out;
  }
}
