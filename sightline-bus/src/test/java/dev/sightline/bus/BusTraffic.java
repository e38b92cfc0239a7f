package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Batches for the bus tests, numbered so that every record is unique (a stored duplicate shows),
 * and the checks that each was stored exactly once.
 */
final class BusTraffic {
  private static final long T0 = 1_760_000_000_000_000_000L;
  static final Duration GIVE_UP = Duration.ofSeconds(60);

  private BusTraffic() {}

  static String traceId(int n) {
    return String.format("%032x", 0xb05L << 32 | n);
  }

  /**
   * A batch of {@code traces} traces numbered from {@code first}, each with {@code spansPerTrace}
   * spans (the first its root), one score of its root and one log, with {@code padding} chars of
   * attribute per span.
   */
  static TelemetryBatch batch(int first, int traces, int spansPerTrace, int padding) {
    List<Span> spans = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    for (int t = first; t < first + traces; t++) {
      String trace = traceId(t);
      for (int s = 0; s < spansPerTrace; s++) {
        long start = T0 + t * 1_000_000_000L + s * 1_000L;
        spans.add(new Span(trace, String.format("%016x", (long) t * 1000 + s), s == 0 ? null
            : String.format("%016x", (long) t * 1000), "op " + s, SpanKind.INTERNAL, start, start + 500,
            SpanStatus.OK, null, "svc-" + (t % 3), "scope", padding == 0 ? Map.of() : Map.of("pad", noise(t * 1000L + s, padding)), Map.of(),
            List.of(), SpanCategory.OTHER, null, List.of()));
      }
      scores.add(new Score(trace, String.format("%016x", (long) t * 1000), "quality", 0.5, null, false, null,
          Score.SOURCE_CLIENT, null, null, null, T0 + t * 1_000_000_000L));
      logs.add(new LogRecord(T0 + t, T0 + t, trace, null, 9, "INFO", null, "log of " + t, "svc", "scope",
          Map.of(), Map.of()));
    }
    return new TelemetryBatch("test", spans, logs, List.of(), scores);
  }

  /** Chars that do not repeat from span to span (the encoding shares repeated strings). */
  private static String noise(long seed, int length) {
    java.util.Random r = new java.util.Random(seed);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  static long spans(List<TelemetryBatch> batches) {
    return batches.stream().mapToLong(b -> b.spans().size()).sum();
  }

  /** Every trace of the batches is stored with exactly its spans and score, and nothing else is. */
  static void assertStoredOnce(Store store, List<TelemetryBatch> sent) {
    assertThat(store.spanCount()).as("spans stored").isEqualTo(spans(sent));
    for (TelemetryBatch b : sent) {
      Map<String, Long> perTrace = new java.util.HashMap<>();
      b.spans().forEach(s -> perTrace.merge(s.traceId(), 1L, Long::sum));
      perTrace.forEach((trace, n) -> {
        assertThat(store.trace(trace, false)).as("trace %s", trace).get()
            .satisfies(d -> assertThat(d.spans()).hasSize(n.intValue()));
        assertThat(store.scores(trace, null)).as("scores of %s", trace).hasSize(1);
      });
    }
  }

  /** Waits until {@code done}, failing after {@link #GIVE_UP}; a guard against a hang, not a timing assumption. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, GIVE_UP).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
