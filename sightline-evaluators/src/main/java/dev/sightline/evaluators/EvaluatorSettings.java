package dev.sightline.evaluators;

import java.time.Duration;

/**
 * How the evaluators run: the sampling policy, the bounded queue in front of them, their threads,
 * how long after a call is stored it is evaluated (so that the trace's retrieval and tool spans,
 * often exported in a later batch, are there to check against), and the share of one core their
 * threads may use together ({@code cpuShare}: 0.25 = a quarter of a core; at most {@code threads}).
 */
public record EvaluatorSettings(EvaluationPolicy policy, int queueCapacity, int threads, Duration delay,
    double cpuShare) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);
  /** A quarter of one core: ingest and the gateway keep the rest of a small machine. */
  public static final double DEFAULT_CPU_SHARE = 0.25;

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
    if (!(cpuShare > 0 && cpuShare <= threads)) {
      throw new IllegalArgumentException("the evaluators' CPU share must be above 0 and at most their threads ("
          + threads + " = all of " + threads + " core" + (threads == 1 ? "" : "s") + "), got " + cpuShare);
    }
  }

  /** Settings without a CPU cap (each thread may use a whole core), as before the cap existed. */
  public EvaluatorSettings(EvaluationPolicy policy, int queueCapacity, int threads, Duration delay) {
    this(policy, queueCapacity, threads, delay, threads < 1 ? 1 : threads);
  }

  /** Whether the threads pause to stay within {@link #cpuShare}. */
  public boolean capped() {
    return cpuShare < threads;
  }

  public static EvaluatorSettings defaults() {
    return new EvaluatorSettings(EvaluationPolicy.ALL, DEFAULT_QUEUE_CAPACITY, 1, DEFAULT_DELAY, DEFAULT_CPU_SHARE);
  }
}
