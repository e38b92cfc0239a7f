package dev.sightline.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls the gateway refused, per budget, for {@code /metrics}. */
final class BudgetRefusals {
  private final Map<String, LongAdder> byBudget = new ConcurrentHashMap<>();

  void refused(String budget) {
    byBudget.computeIfAbsent(budget, b -> new LongAdder()).increment();
  }

  /** Sorted by budget name. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    byBudget.forEach((b, n) -> out.put(b, n.sum()));
    return out;
  }
}
