package dev.sightline.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much personal data the pipeline kept out of storage: values masked per kind and content
 * fields dropped, for {@code /metrics}. Thread-safe; counts only grow.
 */
public final class PiiCounters {
  private final AtomicLongArray masked = new AtomicLongArray(PiiKind.values().length);
  private final LongAdder dropped = new LongAdder();

  void masked(PiiKind kind) {
    masked.incrementAndGet(kind.ordinal());
  }

  void dropped(long fields) {
    if (fields > 0) {
      dropped.add(fields);
    }
  }

  /**
   * Values masked so far by kind label ({@code email}, {@code phone}, {@code card}, {@code iban},
   * {@code national-id}, {@code api-key}, {@code private-key}, {@code jwt}); every kind is present.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (PiiKind k : PiiKind.values()) {
      out.put(k.label, masked.get(k.ordinal()));
    }
    return out;
  }

  /** Content fields (attributes, events, log bodies, canonical content parts) not stored because the mode is drop. */
  public long droppedFields() {
    return dropped.sum();
  }
}
