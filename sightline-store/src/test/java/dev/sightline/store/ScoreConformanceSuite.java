package dev.sightline.store;

import static dev.sightline.store.StoreConformanceSuite.MS;
import static dev.sightline.store.StoreConformanceSuite.T0;
import static dev.sightline.store.StoreConformanceSuite.call;
import static dev.sightline.store.StoreConformanceSuite.llmSpan;
import static dev.sightline.store.StoreConformanceSuite.spanId;
import static dev.sightline.store.StoreConformanceSuite.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score and quality behaviour every {@link Store} engine must have: an engine's test extends
 * this class and supplies {@link #openStore}, as for {@link StoreConformanceSuite}.
 */
public abstract class ScoreConformanceSuite {

  /** Opens (or reopens) the engine's store with its data in {@code dir}. */
  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  private static final long MIN = 60_000 * MS;
  /** Field by field, doubles within 1e-9: means are sums divided, in whatever order the engine adds. */
  private static final RecursiveComparisonConfiguration CLOSE = RecursiveComparisonConfiguration.builder()
      .withComparatorForType((Double a, Double b) -> a == null || b == null ? (a == b ? 0 : 1)
          : Math.abs(a - b) <= 1e-9 ? 0 : Double.compare(a, b), Double.class)
      .build();
  private static final Instant HOUR_10 = Instant.parse("2025-01-15T10:00:00Z");

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

  protected void reopen() {
    store.close();
    store = openStore(dir);
  }

  // ------------------------------------------------------------------ fixtures

  /** Call {@code n}: trace n, span 1, on {@code route}, starting {@code startNs}. */
  protected static Span callSpan(int n, String route, long startNs) {
    LlmCall c = call(traceId(n), spanId(1), "openai", "gpt-4o", "svc", route, startNs, startNs + 100 * MS, null, 10,
        20, BigDecimal.ONE, CallStatus.OK);
    return llmSpan(traceId(n), spanId(1), null, "svc", c);
  }

  /** An evaluator's score of call {@code n}. */
  protected static Score score(int n, String name, Double value, String label, Boolean flagged, String version,
      long timeNs) {
    return new Score(traceId(n), spanId(1), name, value, label, flagged, "because " + label, Score.SOURCE_EVALUATOR,
        name, version, null, timeNs);
  }

  protected void writeCalls(Span... spans) {
    store.write(List.of(TelemetryBatch.ofSpans("test", List.of(spans))));
  }

  protected void writeScores(Score... scores) {
    store.write(List.of(TelemetryBatch.ofScores("evaluators", List.of(scores))));
  }

  private List<Integer> callsMatching(String filter) {
    List<LlmCall> calls = store.calls(new CallQuery(null, null, null, null, null, null, null, null, null, null, null,
        null, true, 100, ScoreFilter.parse(filter)));
    List<Integer> out = new ArrayList<>();
    for (LlmCall c : calls) {
      out.add(Integer.parseInt(c.context().traceId(), 16));
    }
    return out;
  }

  private static QualityRow row(List<QualityRow> rows, String name, String key) {
    return rows.stream().filter(r -> r.name().equals(name) && java.util.Objects.equals(r.key(), key)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + "/" + key + " in " + rows));
  }

  // ------------------------------------------------------------------ storing and reading back

  @Test
  void everyFieldOfAScoreIsReadBack() {
    writeCalls(callSpan(1, "r", T0));
    Score full = new Score(traceId(1), spanId(1), "groundedness", 0.25, "unsupported", true,
        "2 of 3 sentences unsupported", Score.SOURCE_EVALUATOR, "groundedness", "1.2.0",
        "{\"sentences\":[{\"text\":\"Paris is in Spain.\",\"supported\":false}],\"n\":3}", T0 + 5 * MS);
    Score client = new Score(traceId(1), spanId(1), "helpfulness", null, "good", null, null, Score.SOURCE_CLIENT,
        "otel.gen_ai.evaluation", null, null, T0 + 6 * MS);
    writeScores(full, client);

    assertThat(store.scores(traceId(1), spanId(1))).containsExactly(client, full);
    assertThat(store.scores(traceId(1), null)).containsExactly(client, full);
    assertThat(store.scores(traceId(2), null)).isEmpty();
    assertThat(store.scores(null, null)).isEmpty();
  }

  @Test
  void scoresOfATraceCoverEveryCallNewestFirst() {
    LlmCall second = call(traceId(1), spanId(2), "openai", "gpt-4o", "svc", "r", T0 + MS, T0 + 50 * MS, null, 1, 1,
        BigDecimal.ONE, CallStatus.OK);
    writeCalls(callSpan(1, "r", T0), llmSpan(traceId(1), spanId(2), spanId(1), "svc", second));
    Score onFirst = score(1, "groundedness", 0.9, "supported", false, "1", T0 + 10 * MS);
    Score onSecond = new Score(traceId(1), spanId(2), "injection", 0.0, "flagged", true, "ignore previous",
        Score.SOURCE_EVALUATOR, "injection", "1", null, T0 + 20 * MS);
    writeScores(onFirst, onSecond);

    assertThat(store.scores(traceId(1), null)).containsExactly(onSecond, onFirst);
    assertThat(store.scores(traceId(1), spanId(2))).containsExactly(onSecond);
  }

  @Test
  void aBatchOfScoresOnlyIsStoredAndOutlivesAReopen() {
    writeCalls(callSpan(1, "r", T0));
    writeScores(score(1, "groundedness", 0.5, "partial", false, "1", T0 + MS));
    reopen();
    assertThat(store.scores(traceId(1), spanId(1))).extracting(Score::label).containsExactly("partial");
    assertThat(store.callCount()).isEqualTo(1);
  }

  @Test
  void scoresAndSpansOfOneWriteAreStoredTogether() {
    Score s = score(1, "groundedness", 1.0, "supported", false, "1", T0 + MS);
    store.write(List.of(new TelemetryBatch("test", List.of(callSpan(1, "r", T0)), List.of(), List.of(), List.of(s))));
    assertThat(store.scores(traceId(1), spanId(1))).containsExactly(s);
    assertThat(store.callCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ latest per call

  @Test
  void aReEvaluationByANewerVersionReplacesTheVerdict() {
    writeCalls(callSpan(1, "r", T0));
    Score old = score(1, "groundedness", 0.2, "unsupported", true, "1.0", T0 + MS);
    Score newer = score(1, "groundedness", 0.9, "supported", false, "1.1", T0 + 2 * MS);
    writeScores(old);
    writeScores(newer);

    assertThat(store.scores(traceId(1), spanId(1))).containsExactly(newer, old);
    List<QualityRow> rows = store.quality(new QualityQuery(null, null, null, null, null));
    assertThat(rows).usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityRow(null, "groundedness", 1, 0, 0, 0.0, 0.9));
    assertThat(callsMatching("groundedness<0.5")).isEmpty();
    assertThat(callsMatching("groundedness>=0.9")).containsExactly(1);
    assertThat(callsMatching("groundedness=flagged")).isEmpty();
  }

  @Test
  void aListOfCallsGetsEachCallsLatestScorePerNameInOneAnswer() {
    writeCalls(callSpan(1, "r", T0), callSpan(2, "r", T0), callSpan(3, "r", T0));
    Score old = score(1, "groundedness", 0.2, "unsupported", true, "1.0", T0 + MS);
    Score newer = score(1, "groundedness", 0.9, "supported", false, "1.1", T0 + 2 * MS);
    Score injection = score(1, "injection", 1.0, "ok", false, "1", T0 + MS);
    Score other = score(2, "groundedness", 0.5, "unsupported", true, "1.1", T0 + MS);
    writeScores(old, injection, other);
    writeScores(newer);

    java.util.Map<CallRef, List<Score>> latest = store.latestScores(List.of(new CallRef(traceId(1), spanId(1)),
        new CallRef(traceId(2), spanId(1)), new CallRef(traceId(3), spanId(1)), new CallRef(traceId(9), spanId(1))));
    assertThat(latest).containsOnlyKeys(new CallRef(traceId(1), spanId(1)), new CallRef(traceId(2), spanId(1)));
    assertThat(latest.get(new CallRef(traceId(1), spanId(1)))).containsExactlyInAnyOrder(newer, injection);
    assertThat(latest.get(new CallRef(traceId(2), spanId(1)))).containsExactly(other);
    assertThat(store.latestScores(List.of())).isEmpty();
  }

  @Test
  void scoresWithTheSameTimeAreOrderedByWhenTheyWereWrittenEvenAcrossAReopen() {
    writeCalls(callSpan(1, "r", T0), callSpan(2, "r", T0));
    // same time: the later write wins; within a write, the later score
    writeScores(score(1, "g", 0.1, "a", true, "1", T0 + MS), score(1, "g", 0.2, "b", false, "1", T0 + MS));
    writeScores(score(2, "g", 0.3, "c", true, "1", T0 + MS));
    reopen();
    writeScores(score(2, "g", 0.4, "d", false, "1", T0 + MS));

    assertThat(store.scores(traceId(1), spanId(1))).extracting(Score::label).containsExactly("b", "a");
    assertThat(store.scores(traceId(2), spanId(1))).extracting(Score::label).containsExactly("d", "c");
    assertThat(callsMatching("g=b")).containsExactly(1);
    assertThat(callsMatching("g=d")).containsExactly(2);
    assertThat(store.quality(new QualityQuery(null, "g", null, null, null)))
        .usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityRow(null, "g", 2, 0, 0, 0.0, 0.3));
  }

  // ------------------------------------------------------------------ quality figures

  /**
   * Four calls on two routes in two hours, one call outside the window; groundedness scored on
   * each (one not evaluated), injection on two.
   */
  private void writeQualityData() {
    writeCalls(callSpan(1, "/chat", T0 + 10 * MIN), callSpan(2, "/chat", T0 + 20 * MIN),
        callSpan(3, "/search", T0 + 30 * MIN), callSpan(4, "/search", T0 + 70 * MIN),
        callSpan(5, "/chat", T0 + 200 * MIN));
    long later = T0 + 300 * MIN; // evaluated long after: figures go by the call's start
    writeScores(
        score(1, "groundedness", 0.2, "unsupported", true, "1", later),
        score(2, "groundedness", 0.8, "supported", false, "1", later),
        Score.notEvaluated(traceId(3), spanId(1), "groundedness", "no context", "groundedness", "1", later),
        score(4, "groundedness", 0.4, "unsupported", true, "1", later),
        score(5, "groundedness", 0.0, "unsupported", true, "1", later),
        score(1, "injection", null, "flagged", true, "1", later),
        score(3, "injection", null, "ok", false, "1", later));
  }

  @Test
  void qualityPerScoreNameAndRouteCountsTheLatestScoresOfTheWindowsCalls() {
    writeQualityData();
    Instant since = HOUR_10;
    Instant until = HOUR_10.plus(Duration.ofHours(2));

    List<QualityRow> all = store.quality(new QualityQuery(null, null, since, until, null));
    assertThat(all).usingRecursiveFieldByFieldElementComparator(CLOSE).containsExactly(
        new QualityRow(null, "groundedness", 3, 1, 2, 2.0 / 3, (0.2 + 0.8 + 0.4) / 3),
        new QualityRow(null, "injection", 2, 0, 1, 0.5, null));

    List<QualityRow> byRoute = store.quality(new QualityQuery(GroupBy.ROUTE, null, since, until, null));
    assertThat(byRoute).hasSize(4);
    assertThat(row(byRoute, "groundedness", "/chat")).usingRecursiveComparison(CLOSE).isEqualTo(
        new QualityRow("/chat", "groundedness", 2, 0, 1, 0.5, 0.5));
    assertThat(row(byRoute, "groundedness", "/search")).satisfies(r -> {
      assertThat(r.evaluated()).isEqualTo(1);
      assertThat(r.notEvaluated()).isEqualTo(1);
      assertThat(r.flagged()).isEqualTo(1);
      assertThat(r.flaggedRate()).isEqualTo(1.0);
      assertThat(r.meanValue()).isCloseTo(0.4, within(1e-12));
    });
    assertThat(row(byRoute, "injection", "/chat")).usingRecursiveComparison(CLOSE)
        .isEqualTo(new QualityRow("/chat", "injection", 1, 0, 1, 1.0, null));
    assertThat(row(byRoute, "injection", "/search")).usingRecursiveComparison(CLOSE).isEqualTo(
        new QualityRow("/search", "injection", 1, 0, 0, 0.0, null));

    assertThat(store.quality(new QualityQuery(GroupBy.ROUTE, "injection", since, until, null)))
        .extracting(QualityRow::name).containsOnly("injection").hasSize(2);
    // the whole store: call 5 too
    assertThat(row(store.quality(new QualityQuery(null, "groundedness", null, null, null)), "groundedness", null)
        .evaluated()).isEqualTo(4);
  }

  @Test
  void qualitySeriesBucketsByTheCallsStartInUtcSteps() {
    writeQualityData();
    List<QualityPoint> points = store.qualitySeries(new QualityQuery(GroupBy.ROUTE, "groundedness", HOUR_10,
        HOUR_10.plus(Duration.ofHours(2)), Duration.ofHours(1)));
    assertThat(points).hasSize(2);
    QualityPoint h10 = points.get(0);
    assertThat(h10.time()).isEqualTo(HOUR_10);
    assertThat(h10.name()).isEqualTo("groundedness");
    assertThat(h10.evaluated()).isEqualTo(2); // call 3 was not evaluated
    assertThat(h10.flagged()).isEqualTo(1);
    assertThat(h10.flaggedRate()).isEqualTo(0.5);
    assertThat(h10.meanValue()).isCloseTo(0.5, within(1e-12));
    assertThat(points.get(1)).usingRecursiveComparison(CLOSE)
        .isEqualTo(new QualityPoint(HOUR_10.plus(Duration.ofHours(1)), "groundedness", 1, 1, 1.0, 0.4));

    List<QualityPoint> both = store.qualitySeries(new QualityQuery(null, null, HOUR_10,
        HOUR_10.plus(Duration.ofHours(1)), Duration.ofMinutes(15)));
    assertThat(both).extracting(p -> p.time().toString() + " " + p.name() + " " + p.evaluated()).containsExactly(
        "2025-01-15T10:00:00Z groundedness 1", "2025-01-15T10:00:00Z injection 1",
        "2025-01-15T10:15:00Z groundedness 1", "2025-01-15T10:30:00Z groundedness 0", // not evaluated
        "2025-01-15T10:30:00Z injection 1");
  }

  @Test
  void notEvaluatedScoresAreCountedApartAndLeaveRatesEmpty() {
    writeCalls(callSpan(1, "r", T0), callSpan(2, "r", T0 + MS));
    writeScores(Score.notEvaluated(traceId(1), spanId(1), "groundedness", "empty answer", "groundedness", "1", T0),
        Score.notEvaluated(traceId(2), spanId(1), "groundedness", "no context", "groundedness", "1", T0));
    assertThat(store.quality(new QualityQuery(null, null, null, null, null)))
        .usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityRow(null, "groundedness", 0, 2, 0, null, null));
    assertThat(store.qualitySeries(new QualityQuery(null, null, null, null, Duration.ofHours(1))))
        .usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityPoint(HOUR_10, "groundedness", 0, 0, null, null));
    assertThat(callsMatching("groundedness=not_evaluated")).containsExactly(1, 2);
    assertThat(callsMatching("groundedness<1")).isEmpty();
  }

  @Test
  void aScoreWhoseCallIsNotStoredCountsAtItsOwnTimeWithoutAGroup() {
    writeCalls(callSpan(1, "/chat", T0 + 10 * MIN));
    writeScores(score(1, "groundedness", 1.0, "supported", false, "1", T0 + 10 * MIN),
        score(9, "groundedness", 0.0, "unsupported", true, "1", T0 + 70 * MIN));

    assertThat(store.scores(traceId(9), spanId(1))).hasSize(1);
    List<QualityRow> byRoute = store.quality(new QualityQuery(GroupBy.ROUTE, null, null, null, null));
    assertThat(byRoute).usingRecursiveFieldByFieldElementComparator(CLOSE).containsExactlyInAnyOrder(
        new QualityRow("/chat", "groundedness", 1, 0, 0, 0.0, 1.0),
        new QualityRow(null, "groundedness", 1, 0, 1, 1.0, 0.0));
    // its own time (11:10) is outside the first hour
    assertThat(store.quality(new QualityQuery(null, null, HOUR_10, HOUR_10.plus(Duration.ofHours(1)), null)))
        .usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityRow(null, "groundedness", 1, 0, 0, 0.0, 1.0));
    assertThat(store.qualitySeries(new QualityQuery(null, null, null, null, Duration.ofHours(1))))
        .extracting(QualityPoint::time).containsExactly(HOUR_10, HOUR_10.plus(Duration.ofHours(1)));
    // and no call list shows it
    assertThat(callsMatching("groundedness<0.5")).isEmpty();
  }

  // ------------------------------------------------------------------ the score filter of the call list

  @Test
  void theScoreFilterComparesEachCallsLatestScore() {
    writeCalls(callSpan(1, "/a", T0), callSpan(2, "/a", T0 + MS), callSpan(3, "/b", T0 + 2 * MS),
        callSpan(4, "/b", T0 + 3 * MS));
    writeScores(
        score(1, "groundedness", 0.2, "Unsupported", true, "1", T0),
        score(2, "groundedness", 0.7, "partial", null, "1", T0),
        score(3, "groundedness", 0.95, "supported", false, "1", T0),
        score(4, "injection", 0.0, "flagged", true, "1", T0)); // call 4 has no groundedness score

    assertThat(callsMatching("groundedness<0.7")).containsExactly(1);
    assertThat(callsMatching("groundedness<=0.7")).containsExactly(1, 2);
    assertThat(callsMatching("groundedness>0.7")).containsExactly(3);
    assertThat(callsMatching("groundedness>=0.7")).containsExactly(2, 3);
    assertThat(callsMatching("groundedness=0.95")).containsExactly(3);
    assertThat(callsMatching("groundedness=unsupported")).containsExactly(1); // labels: any case
    assertThat(callsMatching("groundedness=SUPPORTED")).containsExactly(3);
    assertThat(callsMatching("groundedness=flagged")).containsExactly(1);
    assertThat(callsMatching("injection=flagged")).containsExactly(4);
    assertThat(callsMatching("injection<0.5")).containsExactly(4);
    assertThat(callsMatching("unknown>0")).isEmpty();

    // with the other filters, and within one trace
    assertThat(store.calls(new CallQuery(null, null, null, null, null, "/a", null, null, null, null, null, null,
        false, 100, ScoreFilter.parse("groundedness>=0.5")))).hasSize(1);
    assertThat(store.calls(new CallQuery(traceId(3), null, null, null, null, null, null, null, null, null, null,
        null, false, 100, ScoreFilter.parse("groundedness>0.9")))).hasSize(1);
    assertThat(store.calls(new CallQuery(traceId(1), null, null, null, null, null, null, null, null, null, null,
        null, false, 100, ScoreFilter.parse("groundedness>0.9")))).isEmpty();
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void badScoresAreStoredSafely() {
    writeCalls(callSpan(1, "r", T0));
    String longText = "why ".repeat(10_000);
    Score odd = new Score(traceId(1), spanId(1), "groundedness", Double.NaN, null, null, longText, null, null, null,
        "{not json", T0);
    Score array = new Score(traceId(1), spanId(1), "other", 0.5, "x", false, null, Score.SOURCE_CLIENT, "c", null,
        "[1, 2]", T0 + MS);
    Score orphanless = new Score(null, spanId(1), "groundedness", 1.0, "supported", false, null, null, null, null,
        null, T0);
    store.write(List.of(new TelemetryBatch("test", List.of(callSpan(2, "r", T0)), List.of(), List.of(),
        List.of(odd, array, orphanless))));

    assertThat(store.callCount()).isEqualTo(2); // the score without a trace id did not sink the write
    List<Score> stored = store.scores(traceId(1), spanId(1));
    assertThat(stored).hasSize(2);
    Score a = stored.get(0);
    assertThat(a.detailsJson()).isNull(); // not an object
    assertThat(a.value()).isEqualTo(0.5);
    Score o = stored.get(1);
    assertThat(o.value()).isNull();
    assertThat(o.label()).isNull();
    assertThat(o.flagged()).isNull();
    assertThat(o.detailsJson()).isNull();
    assertThat(o.name()).isEqualTo("groundedness");
    assertThat(o.explanation()).hasSizeLessThanOrEqualTo(4096).startsWith("why why").endsWith("[truncated]");
    // a null label counts as evaluated, a null value leaves the mean empty
    assertThat(store.quality(new QualityQuery(null, "groundedness", null, null, null)))
        .usingRecursiveFieldByFieldElementComparator(CLOSE)
        .containsExactly(new QualityRow(null, "groundedness", 1, 0, 0, 0.0, null));
  }
}
