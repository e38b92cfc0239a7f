package dev.sightline.evaluators;

import java.time.Duration;

/**
 * How the evaluators run: the sampling policy, the bounded queue in front of them, their threads,
 * and how long after a call is stored it is evaluated (so that the trace's retrieval and tool spans,
 * often exported in a later batch, are there to check against).
 */
public record EvaluatorSettings(EvaluationPolicy policy, int queueCapacity, int threads, Duration delay) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);

  public EvaluatorSettings {
    policy = policy == null ? EvaluationPolicy.ALL : policy;
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("the evaluation queue needs room for at least one call, got " + queueCapacity);
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("evaluator threads must be between 1 and 64, got " + threads);
    }
    delay = delay == null ? DEFAULT_DELAY : delay;
    if (delay.isNegative()) {
      throw new IllegalArgumentException("the evaluation delay cannot be negative, got " + delay);
    }
  }

  public static EvaluatorSettings defaults() {
    return new EvaluatorSettings(EvaluationPolicy.ALL, DEFAULT_QUEUE_CAPACITY, 1, DEFAULT_DELAY);
  }
}
