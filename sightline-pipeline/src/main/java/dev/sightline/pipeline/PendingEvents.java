package dev.sightline.pipeline;

import dev.sightline.model.SpanEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GenAI events (sent as log records) that arrived before their span, kept for a while so the span
 * can be normalized with them. Bounded in entries and age; the oldest go first.
 */
final class PendingEvents {
  private record Entry(long addedNanos, List<SpanEvent> events) {}

  private final int maxSpans;
  private final long maxAgeNanos;
  private final LinkedHashMap<String, Entry> bySpan = new LinkedHashMap<>();

  PendingEvents(int maxSpans, long maxAgeNanos) {
    this.maxSpans = maxSpans;
    this.maxAgeNanos = maxAgeNanos;
  }

  synchronized void put(String spanId, SpanEvent event) {
    long now = System.nanoTime();
    bySpan.computeIfAbsent(spanId, k -> new Entry(now, new ArrayList<>())).events().add(event);
    Iterator<Map.Entry<String, Entry>> it = bySpan.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (bySpan.size() > maxSpans || now - e.getValue().addedNanos() > maxAgeNanos) {
        it.remove();
      } else {
        break;
      }
    }
  }

  synchronized List<SpanEvent> take(String spanId) {
    if (bySpan.isEmpty()) {
      return null;
    }
    Entry e = bySpan.remove(spanId);
    return e == null ? null : e.events();
  }

  synchronized int size() {
    return bySpan.size();
  }
}
