package dev.sightline.store;

import static dev.sightline.store.StoreConformanceSuite.MS;
import static dev.sightline.store.StoreConformanceSuite.T0;
import static dev.sightline.store.StoreConformanceSuite.call;
import static dev.sightline.store.StoreConformanceSuite.spanId;
import static dev.sightline.store.StoreConformanceSuite.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention behaviour every {@link Store} engine must have: an engine's test extends this class
 * and supplies {@link #openStore}. A store is filled at known times on both sides of a cutoff; every
 * reader then sees exactly the rows at or after the (hour-floored) cutoff.
 */
public abstract class RetentionConformanceSuite {

  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  protected static final long HOUR = 3_600_000 * MS;
  /** The cutoff as given: half past an hour; applied as that hour's start. */
  protected static final long CUT_FLOOR = T0 - 24 * HOUR;
  protected static final Instant CUTOFF = instant(CUT_FLOOR + 30 * 60_000 * MS);
  /** Calls 1–3 start before the floored cutoff, 4–6 at or after it (5 is inside the cutoff's own hour). */
  protected static final long[] STARTS = {T0 - 72 * HOUR, T0 - 48 * HOUR, CUT_FLOOR - 10 * MS, CUT_FLOOR,
      CUT_FLOOR + 10 * 60_000 * MS, T0};
  private static final Instant SINCE = instant(T0 - 100 * HOUR);
  private static final Instant UNTIL = instant(T0 + HOUR);
  private static final String PROMPT = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"secret\"}]}]";

  @BeforeEach
  void openFresh() {
    store = openStore(dir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected static Instant instant(long ns) {
    return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
  }

  /** Call n (1-based) at STARTS[n-1], with captured content in its columns, attributes and events. */
  protected static Span contentSpan(int n) {
    long start = STARTS[n - 1];
    LlmCall base = call(traceId(n), spanId(1), "openai", "gpt-4o", "svc", "/chat", start, start + 200 * MS, 50 * MS,
        100L * n, 10L * n, new BigDecimal("0.01").multiply(BigDecimal.valueOf(n)), CallStatus.OK);
    LlmCall c = new LlmCall(base.provider(), base.operation(), base.requestModel(), base.responseModel(),
        base.streaming(), base.usage(), base.timing(), base.cost(), base.outcome(), base.context(),
        new Content(PROMPT, "[{\"role\":\"assistant\"}]", "[{\"type\":\"text\",\"content\":\"be terse\"}]", "[]"));
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("gen_ai.request.model", "gpt-4o");
    attrs.put("gen_ai.usage.input_tokens", 100L * n);
    attrs.put("gen_ai.prompt.name", "support");
    attrs.put("gen_ai.input.messages", PROMPT);
    attrs.put("gen_ai.prompt.0.content", "secret");
    attrs.put("llm.input_messages.0.message.content", "secret");
    attrs.put("input.value", "secret");
    List<SpanEvent> events = List.of(
        new SpanEvent("gen_ai.user.message", start + MS, Map.of("content", "secret", "gen_ai.system", "openai"), null),
        new SpanEvent("gen_ai.choice", start + 2 * MS, Map.of("gen_ai.system", "openai"), Map.of("message", "secret")),
        new SpanEvent("exception", start + 3 * MS, Map.of("exception.type", "Timeout"), null));
    return new Span(traceId(n), spanId(1), null, "chat gpt-4o", SpanKind.CLIENT, start, start + 200 * MS,
        SpanStatus.OK, null, "svc", "scope", attrs, Map.of(), events, SpanCategory.LLM, c, List.of());
  }

  protected static Span plainSpan(int n) {
    long start = STARTS[n - 1];
    return new Span(traceId(n), spanId(2), spanId(1), "db query", SpanKind.INTERNAL, start + MS, start + 5 * MS,
        SpanStatus.OK, null, "svc", "scope", Map.of("db.statement", "select 1"), Map.of(), List.of(),
        SpanCategory.OTHER, null, List.of());
  }

  protected static LogRecord log(int n, String event) {
    long t = STARTS[n - 1] + MS;
    return new LogRecord(t, t, traceId(n), spanId(1), 9, "INFO", event, event == null ? "plain log" : "secret", "svc",
        "scope", Map.of("gen_ai.system", "openai", "role", "user"), Map.of());
  }

  protected static MetricPoint gauge(int n) {
    return new MetricPoint("queue_depth", "a gauge", "1", MetricType.GAUGE, STARTS[n - 1], 0, "svc", Map.of(), (double) n,
        null, null, null, null, false);
  }

  protected static Score score(int n) {
    return new Score(traceId(n), spanId(1), "helpful", 0.5, "ok", false, "because", Score.SOURCE_EVALUATOR, "judge",
        "1", null, STARTS[n - 1] + MS);
  }

  /** One write per call, as ingest would do over time (later writes roll the earlier calls up). */
  protected void fill() {
    for (int n = 1; n <= STARTS.length; n++) {
      store.write(List.of(new TelemetryBatch("test", List.of(contentSpan(n), plainSpan(n)),
          List.of(log(n, "gen_ai.user.message"), log(n, null)), List.of(gauge(n)), List.of(score(n)))));
    }
  }

  private List<String> traceIds() {
    return store.traces(new TraceQuery(SINCE, UNTIL, null, 1000)).stream().map(TraceSummary::traceId).sorted().toList();
  }

  private List<LlmCall> calls() {
    return store.calls(new CallQuery(null, null, null, null, null, SINCE, UNTIL, 1000));
  }

  private SummaryRow summary() {
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.MODEL, SINCE, UNTIL));
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private List<Double> gaugeValues() {
    return store.metricSeries(MetricQuery.of("queue_depth", SINCE, UNTIL, Duration.ofMinutes(1))).stream()
        .flatMap(s -> s.values().stream()).map(MetricValue::value).sorted().toList();
  }

  private static List<String> traces(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to).mapToObj(StoreConformanceSuite::traceId).toList();
  }

  @Test
  void dataRetentionDeletesExactlyTheRowsBeforeTheHourFlooredCutoff() {
    fill();
    assertThat(traceIds()).containsExactlyElementsOf(traces(1, 6));
    assertThat(summary().calls()).isEqualTo(6);

    RetentionResult r = store.applyRetention(CUTOFF, null);

    assertThat(r.dataBefore()).isEqualTo(instant(CUT_FLOOR));
    assertThat(r.contentBefore()).isNull();
    assertThat(r.deleted("spans")).isEqualTo(6);
    assertThat(r.deleted("llm_calls")).isEqualTo(3);
    assertThat(r.deleted("logs")).isEqualTo(6);
    assertThat(r.deleted("metric_points")).isEqualTo(3);
    assertThat(r.deleted("scores")).isEqualTo(3);
    assertThat(r.contentClearedTotal()).isZero();

    assertThat(traceIds()).containsExactlyElementsOf(traces(4, 6));
    assertThat(calls()).extracting(c -> c.context().traceId()).containsExactlyInAnyOrderElementsOf(traces(4, 6));
    SummaryRow s = summary();
    assertThat(s.calls()).isEqualTo(3);
    assertThat(s.inputTokens()).isEqualTo(400 + 500 + 600);
    assertThat(s.outputTokens()).isEqualTo(40 + 50 + 60);
    assertThat(s.costUsd()).isEqualByComparingTo("0.15");
    CostReport cost = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.DAY, SINCE, UNTIL, 10));
    assertThat(cost.totals().calls()).isEqualTo(3);
    assertThat(cost.totals().costUsd()).isEqualByComparingTo("0.15");
    assertThat(gaugeValues()).containsExactly(4.0, 5.0, 6.0);
    for (int n = 1; n <= 6; n++) {
      assertThat(store.scores(traceId(n), spanId(1))).as("scores of call %d", n).hasSize(n <= 3 ? 0 : 1);
      assertThat(store.trace(traceId(n)).isPresent()).as("trace %d", n).isEqualTo(n > 3);
    }
    // nothing of the kept calls lost its content: only data retention ran
    assertThat(calls()).allMatch(c -> PROMPT.equals(c.content().inputMessagesJson()));
  }

  @Test
  void contentRetentionClearsOlderContentAndKeepsEveryNumber() {
    fill();
    List<LlmCall> before = calls();

    RetentionResult r = store.applyRetention(null, CUTOFF);

    assertThat(r.deletedTotal()).isZero();
    assertThat(r.contentBefore()).isEqualTo(instant(CUT_FLOOR));
    assertThat(r.callsContentCleared()).isEqualTo(3);
    assertThat(r.contentCleared().get("spans")).isEqualTo(3); // the plain spans hold no content
    assertThat(r.contentCleared().get("logs")).isEqualTo(3); // GenAI event logs only

    List<LlmCall> after = calls();
    assertThat(after).hasSize(6);
    for (LlmCall c : after) {
      LlmCall was = before.stream().filter(b -> b.context().traceId().equals(c.context().traceId())).findFirst()
          .orElseThrow();
      assertThat(c.usage()).isEqualTo(was.usage());
      assertThat(c.cost()).isEqualTo(was.cost());
      assertThat(c.timing()).isEqualTo(was.timing());
      boolean old = c.timing().startEpochNanos() < CUT_FLOOR;
      assertThat(c.content().isEmpty()).as("content of %s", c.context().traceId()).isEqualTo(old);
    }
    assertThat(summary().calls()).isEqualTo(6);
    assertThat(summary().costUsd()).isEqualByComparingTo("0.21");

    for (int n = 1; n <= 6; n++) {
      Span span = store.span(traceId(n), spanId(1)).orElseThrow();
      Map<String, Object> a = span.attributes();
      if (n <= 3) {
        assertThat(a).containsEntry(ContentAttributes.MARKER, true)
            .containsEntry("gen_ai.request.model", "gpt-4o").containsEntry("gen_ai.usage.input_tokens", 100L * n)
            .containsEntry("gen_ai.prompt.name", "support")
            .doesNotContainKeys("gen_ai.input.messages", "gen_ai.prompt.0.content",
                "llm.input_messages.0.message.content", "input.value");
        assertThat(span.events()).extracting(SpanEvent::name)
            .containsExactly("gen_ai.user.message", "gen_ai.choice", "exception");
        assertThat(span.events().get(0).attributes()).containsOnlyKeys("gen_ai.system");
        assertThat(span.events().get(1).body()).isNull();
        assertThat(span.events().get(2).attributes()).containsEntry("exception.type", "Timeout");
        assertThat(span.llm().content().isEmpty()).isTrue();
      } else {
        assertThat(a).doesNotContainKey(ContentAttributes.MARKER).containsEntry("input.value", "secret");
        assertThat(span.events().get(0).attributes()).containsEntry("content", "secret");
        assertThat(span.events().get(1).body()).isEqualTo(Map.of("message", "secret"));
      }
      assertThat(store.span(traceId(n), spanId(2)).orElseThrow().attributes())
          .isEqualTo(Map.of("db.statement", "select 1"));
    }
  }

  @Test
  void aSecondRunChangesNothingAndNewerRowsSurviveBoth() {
    fill();
    RetentionResult first = store.applyRetention(CUTOFF, instant(T0));
    assertThat(first.deletedTotal()).isPositive();
    assertThat(first.callsContentCleared()).isEqualTo(2); // calls 4 and 5; 1–3 were deleted

    RetentionResult second = store.applyRetention(CUTOFF, instant(T0));

    assertThat(second.deletedTotal()).isZero();
    assertThat(second.contentClearedTotal()).isZero();
    assertThat(traceIds()).containsExactlyElementsOf(traces(4, 6));
    assertThat(calls()).filteredOn(c -> !c.content().isEmpty()).extracting(c -> c.context().traceId())
        .containsExactly(traceId(6));
    assertThat(summary().calls()).isEqualTo(3);
  }

  @Test
  void withBothCutoffsNullNothingChanges() {
    fill();
    RetentionResult r = store.applyRetention(null, null);
    assertThat(r.deletedTotal()).isZero();
    assertThat(r.contentClearedTotal()).isZero();
    assertThat(traceIds()).hasSize(6);
  }

  @Test
  void writesAfterEverythingExpiredAreCountedAgain() {
    fill();
    store.applyRetention(instant(T0 + HOUR), null);
    assertThat(traceIds()).isEmpty();
    assertThat(store.summary(new SummaryQuery(GroupBy.MODEL, SINCE, UNTIL))).isEmpty();
    store.close();
    store = openStore(dir);

    fill();

    assertThat(traceIds()).hasSize(6);
    assertThat(summary().calls()).isEqualTo(6);
    assertThat(summary().inputTokens()).isEqualTo(2100);
  }

  @Test
  void diskUsageNamesEveryDataTableWithItsRows() {
    fill();
    StoreDiskUsage before = store.diskUsage();
    assertThat(before.fileBytes()).isPositive();
    assertThat(before.tables()).extracting(StoreDiskUsage.TableUsage::table)
        .contains("spans", "llm_calls", "logs", "metric_points", "scores");
    assertThat(rows(before, "spans")).isEqualTo(12);
    assertThat(rows(before, "llm_calls")).isEqualTo(6);

    store.applyRetention(CUTOFF, null);

    StoreDiskUsage after = store.diskUsage();
    assertThat(rows(after, "spans")).isEqualTo(6);
    assertThat(rows(after, "llm_calls")).isEqualTo(3);
    assertThat(rows(after, "logs")).isEqualTo(6);
  }

  private static long rows(StoreDiskUsage u, String table) {
    return u.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow().rows();
  }
}
