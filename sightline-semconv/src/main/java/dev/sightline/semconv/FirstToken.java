package dev.sightline.semconv;

import dev.sightline.model.SpanEvent;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Time to first token for an OTLP span, from the first source that gives a usable value (ARCHITECTURE.md
 * §5): {@code gen_ai.response.time_to_first_chunk} (seconds), Langfuse's completion start time, the Vercel
 * AI SDK's {@code ai.response.msToFirstChunk}, then a span event that marks the first token. A value
 * that is negative or falls beyond the span's end is ignored and the next source is tried.
 */
final class FirstToken {
  private FirstToken() {}

  static Timing timing(long start, long end, Map<String, Object> a, List<SpanEvent> events) {
    long span = end - start;
    Double seconds = Values.decimal(a.get(Keys.TTFT_SECONDS));
    if (seconds != null) {
      Long ttft = valid(Math.round(seconds * 1e9), span, seconds * 1e9);
      if (ttft != null) {
        return with(start, end, ttft, TtftSource.TIME_TO_FIRST_CHUNK);
      }
    }
    for (String k : Keys.COMPLETION_START) {
      Long at = epochNanos(a.get(k));
      if (at != null) {
        Long ttft = valid(at - start, span, at - start);
        if (ttft != null) {
          return with(start, end, ttft, TtftSource.COMPLETION_START_TIME);
        }
      }
    }
    Double ms = Values.decimal(a.get(Keys.VERCEL_MS_TO_FIRST_CHUNK));
    if (ms != null) {
      Long ttft = valid(Math.round(ms * 1e6), span, ms * 1e6);
      if (ttft != null) {
        // The model's TtftSource has no Vercel value; this is the same measure in other units.
        return with(start, end, ttft, TtftSource.TIME_TO_FIRST_CHUNK);
      }
    }
    for (SpanEvent e : events) {
      if (e.timeEpochNanos() != 0 && isFirstTokenEvent(e.name())) {
        Long ttft = valid(e.timeEpochNanos() - start, span, e.timeEpochNanos() - start);
        if (ttft != null) {
          return with(start, end, ttft, TtftSource.FIRST_TOKEN_EVENT);
        }
      }
    }
    return Timing.of(start, end);
  }

  private static Timing with(long start, long end, long ttft, TtftSource source) {
    return new Timing(start, end, ttft, source, null, null);
  }

  /** Null unless 0 ≤ ttft ≤ span duration; {@code exact} guards against overflow in the caller's math. */
  private static Long valid(long ttft, long spanNanos, double exact) {
    if (!Double.isFinite(exact) || exact < 0 || exact > 9.0e18 || ttft < 0) {
      return null;
    }
    if (spanNanos > 0 && ttft > spanNanos) {
      return null;
    }
    return spanNanos <= 0 && ttft > 0 ? null : ttft;
  }

  /**
   * Names like {@code gen_ai.first_token}, {@code first_token}, {@code llm.first_token},
   * {@code ai.stream.firstChunk} or OpenInference's "First Token Stream Event".
   */
  static boolean isFirstTokenEvent(String name) {
    if (name == null || name.length() > 200) {
      return false;
    }
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    String n = b.toString();
    return n.contains("firsttoken") || n.contains("firstchunk");
  }

  /**
   * An instant as ISO-8601 text (possibly JSON-quoted, as some Langfuse SDKs send it) or as epoch
   * seconds / milliseconds / microseconds / nanoseconds, told apart by magnitude.
   */
  static Long epochNanos(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      String t = s.trim();
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1).trim();
      }
      if (t.isEmpty() || t.length() > 64) {
        return null;
      }
      if (t.indexOf('T') > 0 || t.indexOf('-') > 0 && t.indexOf(':') > 0) {
        return isoNanos(t.replace(' ', 'T'));
      }
      v = t;
    }
    Double d = Values.decimal(v);
    if (d == null || d <= 0) {
      return null;
    }
    if (d < 1e11) {
      return Math.round(d * 1e9); // seconds
    }
    if (d < 1e14) {
      return Math.round(d * 1e6); // milliseconds
    }
    if (d < 1e17) {
      return Math.round(d * 1e3); // microseconds
    }
    Long exact = Values.integer(v);
    return exact != null ? exact : (d < 9.0e18 ? (long) (double) d : null);
  }

  private static Long isoNanos(String t) {
    try {
      Instant i;
      try {
        i = Instant.parse(t);
      } catch (DateTimeParseException e) {
        i = OffsetDateTime.parse(t).toInstant();
      }
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      // No zone: Langfuse writes UTC.
      try {
        Instant i = java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
      } catch (DateTimeParseException | ArithmeticException e2) {
        return null;
      }
    }
  }
}
