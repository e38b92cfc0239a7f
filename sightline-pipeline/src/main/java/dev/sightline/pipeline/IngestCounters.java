package dev.sightline.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each receiver saw, by signal (spans, logs, metrics): records received, rejected as unusable,
 * dropped under back-pressure, and stored; plus request bytes. Exported on /metrics.
 */
public final class IngestCounters {
  /** What happened to records. */
  public enum Outcome { RECEIVED, REJECTED, DROPPED, STORED }

  public record Key(String receiver, String signal, Outcome outcome) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

  public void add(String receiver, String signal, Outcome outcome, long n) {
    if (n != 0) {
      counts.computeIfAbsent(new Key(receiver, signal, outcome), k -> new LongAdder()).add(n);
    }
  }

  /** One request of {@code n} bytes arrived at {@code receiver}. */
  public void request(String receiver, long n) {
    requests.computeIfAbsent(receiver, k -> new LongAdder()).increment();
    bytes.computeIfAbsent(receiver, k -> new LongAdder()).add(n);
  }

  public long get(String receiver, String signal, Outcome outcome) {
    LongAdder a = counts.get(new Key(receiver, signal, outcome));
    return a == null ? 0 : a.sum();
  }

  public Map<Key, LongAdder> counts() {
    return counts;
  }

  public Map<String, LongAdder> bytes() {
    return bytes;
  }

  public Map<String, LongAdder> requests() {
    return requests;
  }
}
