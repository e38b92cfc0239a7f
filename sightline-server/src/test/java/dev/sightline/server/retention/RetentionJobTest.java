package dev.sightline.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.RetentionResult;
import dev.sightline.store.Store;
import dev.sightline.store.TraceQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention job on real DuckDB stores, with a clock the test moves forward by days. */
class RetentionJobTest {
  @TempDir Path dir;
  private final List<Store> stores = new ArrayList<>();
  private Instant now = Instant.parse("2025-03-01T12:00:00Z");
  private final InstantSource clock = () -> now;

  @AfterEach
  void close() {
    stores.forEach(Store::close);
  }

  private Store open(String name) {
    Store s = DuckDbStore.open(dir.resolve(name));
    stores.add(s);
    return s;
  }

  /** A span of trace n, {@code daysAgo} before the test's start, with a prompt among its attributes. */
  private Span span(int n, int daysAgo) {
    long ns = (now.getEpochSecond() - daysAgo * 86_400L) * 1_000_000_000L;
    return new Span(String.format("%032x", n), "00000000000000a1", null, "chat", SpanKind.CLIENT, ns, ns + 1_000_000,
        SpanStatus.OK, null, "svc", "scope", Map.of("gen_ai.input.messages", "[\"secret\"]", "gen_ai.request.model", "m"),
        Map.of(), List.of(), SpanCategory.OTHER, null, List.of());
  }

  private void fill(Store s) {
    List<Span> spans = new ArrayList<>();
    List<MetricPoint> points = new ArrayList<>();
    int[] ages = {40, 20, 5, 0};
    for (int i = 0; i < ages.length; i++) {
      spans.add(span(i + 1, ages[i]));
      points.add(new MetricPoint("q", null, "1", MetricType.GAUGE, spans.get(i).startEpochNanos(), 0, "svc", Map.of(),
          1.0, null, null, null, null, false));
    }
    s.write(List.of(new TelemetryBatch("test", spans, List.of(), points)));
  }

  private static List<String> traceIds(Store s) {
    return s.traces(new TraceQuery(Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"), null, 100)).stream()
        .map(t -> t.traceId().substring(31)).sorted().toList();
  }

  private static boolean hasPrompt(Store s, int n) {
    return s.span(String.format("%032x", n), "00000000000000a1").orElseThrow().attributes()
        .containsKey("gen_ai.input.messages");
  }

  @Test
  void eachProjectLosesExactlyWhatItsDaysSayAsTheClockMoves() {
    Store a = open("a");
    Store b = open("b");
    Store kept = open("kept");
    fill(a);
    fill(b);
    fill(kept);
    RetentionJob job = new RetentionJob(() -> List.of(new RetentionTarget("a", a, 30, 10),
        new RetentionTarget("b", b, 10, null), new RetentionTarget("kept", kept, null, null)), clock, Duration.ofHours(1));

    Map<String, RetentionResult> first = job.runOnce();

    assertThat(first).containsOnlyKeys("a", "b");
    assertThat(traceIds(a)).containsExactly("2", "3", "4"); // the 40-day-old trace went
    assertThat(hasPrompt(a, 2)).isFalse(); // 20 days old: past the 10 content days
    assertThat(hasPrompt(a, 3)).isTrue();
    assertThat(traceIds(b)).containsExactly("3", "4");
    assertThat(hasPrompt(b, 3)).isTrue();
    assertThat(traceIds(kept)).containsExactly("1", "2", "3", "4");
    assertThat(job.deletedTotals()).isEqualTo(Map.of(
        "a", Map.of("spans", 1L, "metric_points", 1L, "trace_seq", 1L, "content_spans", 1L),
        "b", Map.of("spans", 2L, "metric_points", 2L, "trace_seq", 2L)));

    Map<String, RetentionResult> again = job.runOnce(); // same time: nothing more
    assertThat(again.get("a").deletedTotal() + again.get("b").deletedTotal()).isZero();

    now = now.plus(Duration.ofDays(6)); // trace 3 is now 11 days old
    job.runOnce();

    assertThat(traceIds(a)).containsExactly("2", "3", "4");
    assertThat(hasPrompt(a, 3)).isFalse();
    assertThat(hasPrompt(a, 4)).isTrue();
    assertThat(traceIds(b)).containsExactly("4");
    assertThat(job.deletedTotals().get("b")).containsEntry("spans", 3L);
    assertThat(job.deletedTotals().get("a")).containsEntry("content_spans", 2L).containsEntry("spans", 1L);
    assertThat(job.failures()).isZero();
  }

  @Test
  void aFailingProjectIsCountedAndTheOthersStillRun() {
    Store a = open("a");
    fill(a);
    Store closed = open("closed");
    closed.close();
    RetentionJob job = new RetentionJob(() -> List.of(new RetentionTarget("closed", closed, 1, null),
        new RetentionTarget("a", a, 10, null)), clock, null);

    Map<String, RetentionResult> r = job.runOnce();

    assertThat(r).containsOnlyKeys("a");
    assertThat(traceIds(a)).containsExactly("3", "4");
    assertThat(job.failures()).isEqualTo(1);
  }

  @Test
  void metricsLinesNameEveryProjectTableAndKind() {
    Store a = open("a");
    fill(a);
    RetentionJob job = new RetentionJob(() -> List.of(new RetentionTarget("a", a, 10, null)), clock, null);
    job.runOnce();

    String text = StoreMetrics.render(List.of(new StoreMetrics.ProjectUsage("a", a.diskUsage())), job.deletedTotals());

    assertThat(text).containsPattern("(?m)^sightline_store_disk_bytes\\{project=\"a\",table=\"spans\"} \\d+$")
        .containsPattern("(?m)^sightline_store_file_bytes\\{project=\"a\",kind=\"db\"} [1-9]\\d*$")
        .containsPattern("(?m)^sightline_store_file_bytes\\{project=\"a\",kind=\"wal\"} \\d+$")
        .contains("sightline_retention_deleted_total{project=\"a\",kind=\"spans\"} 2\n")
        .contains("# TYPE sightline_retention_deleted_total counter");
  }
}
