package dev.sightline.evaluators;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the evaluators saw and did, for /metrics: calls offered after their commit, left out by
 * sampling or because they are not answers, dropped because the queue was full, evaluated; scores
 * written and dropped; time spent per evaluator, and paused to stay within the CPU share.
 */
public final class EvaluationCounters {
  private final LongAdder offered = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder sampledOut = new LongAdder();
  private final LongAdder queueFull = new LongAdder();
  private final LongAdder evaluatedCalls = new LongAdder();
  private final LongAdder scoresWritten = new LongAdder();
  private final LongAdder scoresDropped = new LongAdder();
  private final LongAdder pausedNanos = new LongAdder();
  private final Map<String, LongAdder> notEvaluated = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> runs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

  void countOffered() {
    offered.increment();
  }

  void countSkipped() {
    skipped.increment();
  }

  void countSampledOut() {
    sampledOut.increment();
  }

  void countQueueFull() {
    queueFull.increment();
  }

  void evaluatedCall() {
    evaluatedCalls.increment();
  }

  void scoresWritten(int n) {
    scoresWritten.add(n);
  }

  void scoresDropped(int n) {
    scoresDropped.add(n);
  }

  void paused(long nanos) {
    pausedNanos.add(nanos);
  }

  void ran(String evaluator, long elapsedNanos) {
    runs.computeIfAbsent(evaluator, k -> new LongAdder()).increment();
    nanos.computeIfAbsent(evaluator, k -> new LongAdder()).add(elapsedNanos);
  }

  void notEvaluated(String evaluator) {
    notEvaluated.computeIfAbsent(evaluator, k -> new LongAdder()).increment();
  }

  void failed(String evaluator) {
    failures.computeIfAbsent(evaluator, k -> new LongAdder()).increment();
  }

  public long offered() {
    return offered.sum();
  }

  /** Calls that are not answers to judge (failed calls, embeddings). */
  public long skipped() {
    return skipped.sum();
  }

  public long sampledOut() {
    return sampledOut.sum();
  }

  /** Calls dropped because the evaluation queue was full. */
  public long queueFull() {
    return queueFull.sum();
  }

  public long evaluatedCalls() {
    return evaluatedCalls.sum();
  }

  public long scoresWritten() {
    return scoresWritten.sum();
  }

  public long scoresDropped() {
    return scoresDropped.sum();
  }

  /** Time the evaluator threads paused to stay within their CPU share ({@code --eval-cpu}), all threads together. */
  public long pausedNanos() {
    return pausedNanos.sum();
  }

  public Map<String, Long> runs() {
    return snapshot(runs);
  }

  public Map<String, Long> nanos() {
    return snapshot(nanos);
  }

  public Map<String, Long> notEvaluatedByEvaluator() {
    return snapshot(notEvaluated);
  }

  public Map<String, Long> failuresByEvaluator() {
    return snapshot(failures);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    new java.util.TreeMap<>(m).forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
