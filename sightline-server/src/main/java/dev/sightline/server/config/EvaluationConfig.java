package dev.sightline.server.config;

import dev.sightline.evaluators.EvaluatorCatalog;
import dev.sightline.evaluators.EvaluatorSettings;
import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.evaluators.judge.JudgeSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Which evaluators judge stored LLM calls ({@code --evaluators}; empty = none), whether groundedness
 * uses sentence embeddings ({@code --eval-embeddings}), how they run (sampling per route and
 * service, queue, threads, delay, CPU share: {@code --eval-*}), and the LLM judge when there is one
 * ({@code --judge-*}).
 *
 * @param judge the judge model; null = no LLM judge. With one, {@code judge.groundedness} is among
 *     the evaluators even when not listed, and the judge's own calls are never sampled.
 */
public record EvaluationConfig(List<String> evaluators, boolean embeddings, EvaluatorSettings settings,
    JudgeSettings judge) {
  public EvaluationConfig {
    List<String> names = new ArrayList<>(evaluators == null ? List.of() : evaluators);
    settings = settings == null ? EvaluatorSettings.defaults() : settings;
    for (String e : names) {
      if (e.equals(EvaluatorCatalog.JUDGE)) {
        if (judge == null) {
          throw new ConfigException("--evaluators: " + EvaluatorCatalog.JUDGE + " needs a judge model: set --judge-url"
              + " (an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1) and --judge-model");
        }
      } else if (!EvaluatorCatalog.NAMES.contains(e)) {
        throw new ConfigException("--evaluators: unknown evaluator '" + e + "'; known: "
            + String.join(", ", EvaluatorCatalog.NAMES) + ", " + EvaluatorCatalog.JUDGE + " (or off)");
      }
    }
    if (judge != null) {
      if (!names.contains(EvaluatorCatalog.JUDGE)) {
        names.add(EvaluatorCatalog.JUDGE);
      }
      settings = new EvaluatorSettings(JudgeEvaluator.withoutOwnCalls(settings.policy()), settings.queueCapacity(),
          settings.threads(), settings.delay(), settings.cpuShare());
    }
    evaluators = List.copyOf(names);
  }

  public EvaluationConfig(List<String> evaluators, boolean embeddings, EvaluatorSettings settings) {
    this(evaluators, embeddings, settings, null);
  }

  /** These settings with an LLM judge (null: none). */
  public EvaluationConfig withJudge(JudgeSettings j) {
    List<String> names = j != null ? evaluators
        : evaluators.stream().filter(e -> !e.equals(EvaluatorCatalog.JUDGE)).toList();
    return new EvaluationConfig(names, embeddings, settings, j);
  }

  /** Every built-in evaluator on every call. */
  public static EvaluationConfig defaults() {
    return new EvaluationConfig(EvaluatorCatalog.NAMES, false, EvaluatorSettings.defaults());
  }

  public static EvaluationConfig off() {
    return new EvaluationConfig(List.of(), false, EvaluatorSettings.defaults());
  }
}
