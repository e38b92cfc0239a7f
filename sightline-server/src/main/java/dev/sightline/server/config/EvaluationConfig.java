package dev.sightline.server.config;

import dev.sightline.evaluators.EvaluatorCatalog;
import dev.sightline.evaluators.EvaluatorSettings;
import java.util.List;

/**
 * Which evaluators judge stored LLM calls ({@code --evaluators}; empty = none), whether groundedness
 * uses sentence embeddings ({@code --eval-embeddings}), and how they run (sampling per route and
 * service, queue, threads, delay: {@code --eval-*}).
 */
public record EvaluationConfig(List<String> evaluators, boolean embeddings, EvaluatorSettings settings) {
  public EvaluationConfig {
    evaluators = evaluators == null ? List.of() : List.copyOf(evaluators);
    settings = settings == null ? EvaluatorSettings.defaults() : settings;
    for (String e : evaluators) {
      if (!EvaluatorCatalog.NAMES.contains(e)) {
        throw new ConfigException("--evaluators: unknown evaluator '" + e + "'; known: "
            + String.join(", ", EvaluatorCatalog.NAMES) + " (or off)");
      }
    }
  }

  /** Every built-in evaluator on every call. */
  public static EvaluationConfig defaults() {
    return new EvaluationConfig(EvaluatorCatalog.NAMES, true, EvaluatorSettings.defaults());
  }

  public static EvaluationConfig off() {
    return new EvaluationConfig(List.of(), false, EvaluatorSettings.defaults());
  }
}
