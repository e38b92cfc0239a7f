package dev.sightline.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls the gateway refused, per budget or per route, for {@code /metrics}. */
final class RefusalCounts {
  private final Map<String, LongAdder> byName = new ConcurrentHashMap<>();

  void refused(String name) {
    byName.computeIfAbsent(name, b -> new LongAdder()).increment();
  }

  /** Sorted by name. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    byName.forEach((b, n) -> out.put(b, n.sum()));
    return out;
  }
}
