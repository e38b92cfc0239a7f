package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules behind client scores: verdicts from labels, lenient values, and odd input. */
class ClientScoresRulesTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final long T = 1_700_000_005_000_000_000L;

  private static Span withEvents(SpanEvent... events) {
    return Spans.span(attrs("gen_ai.operation.name", "chat"), List.of(events), SpanStatus.UNSET);
  }

  private static SpanEvent evaluation(Object... kv) {
    return new SpanEvent(ClientScores.EVALUATION_EVENT, T, attrs(kv));
  }

  private static Score only(Span span) {
    List<Score> scores = ClientScores.fromSpan(span);
    assertThat(scores).hasSize(1);
    return scores.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pass", "correct", "relevant", "grounded", "faithful", "true", "yes", "ok", " PASS ",
      "Passed"})
  void passLabelsAreNotFlagged(String label) {
    assertThat(Verdicts.flagged("quality", label)).isFalse();
    assertThat(only(withEvents(evaluation("gen_ai.evaluation.name", "quality",
        "gen_ai.evaluation.score.label", label))).flagged()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fail", "incorrect", "not_relevant", "irrelevant", "hallucinated", "unfaithful", "toxic",
      "false", "no", "Not Relevant", "not-relevant", "FAILED"})
  void failLabelsAreFlagged(String label) {
    assertThat(Verdicts.flagged("quality", label)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"thumbs_up", "B+", "4", "good", "partially_relevant", "not_sure", ""})
  void otherLabelsSayNeither(String label) {
    assertThat(Verdicts.flagged("quality", label)).isNull();
  }

  @Test
  void aYesOrNoAboutADefectIsNotReadAsPassOrFail() {
    // "hallucination: yes" is a failure and "toxicity: false" a pass: without the evaluator's meaning, unknown.
    assertThat(Verdicts.flagged("hallucination", "yes")).isNull();
    assertThat(Verdicts.flagged("toxicity", "false")).isNull();
    assertThat(Verdicts.flagged("prompt_injection", "true")).isNull();
    // Words that say pass or fail themselves still count on such metrics.
    assertThat(Verdicts.flagged("hallucination", "hallucinated")).isTrue();
    assertThat(Verdicts.flagged("toxicity", "pass")).isFalse();
    assertThat(Verdicts.flagged("relevance", "yes")).isFalse();
  }

  @Test
  void valuesAreNumbersOrNumericStrings() {
    assertThat(only(withEvents(evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", 3L)))
        .value()).isEqualTo(3.0);
    assertThat(only(withEvents(evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", "0.5")))
        .value()).isEqualTo(0.5);
    assertThat(only(withEvents(evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", -2.5)))
        .value()).isEqualTo(-2.5);
  }

  @Test
  void unusableValuesBecomeNullAndTheLabelStillCounts() {
    List<Object> bad = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "NaN", "Infinity",
        "high", true, new byte[] {1}, List.of(1.0), Map.of("v", 1.0), "1".repeat(100));
    for (Object v : bad) {
      Score s = only(withEvents(evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", v,
          "gen_ai.evaluation.score.label", "fail")));
      assertThat(s.value()).as("value %s", v).isNull();
      assertThat(s.flagged()).as("value %s", v).isTrue();
    }
  }

  @Test
  void aValueAloneThatIsUnusableGivesNoScore() {
    assertThat(ClientScores.fromSpan(withEvents(evaluation("gen_ai.evaluation.name", "a",
        "gen_ai.evaluation.score.value", Double.NaN)))).isEmpty();
  }

  @Test
  void wrongTypesNeverThrowAndGiveNoLabelOrNoScore() {
    Score listLabel = only(withEvents(evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", 1.0,
        "gen_ai.evaluation.score.label", List.of("pass"), "gen_ai.evaluation.explanation", Map.of("x", 1L))));
    assertThat(listLabel.label()).isNull();
    assertThat(listLabel.flagged()).isNull();
    assertThat(listLabel.explanation()).isNull();
    for (Object name : List.of(List.of("a"), Map.of("a", "b"), new byte[] {65}, "   ")) {
      assertThat(ClientScores.fromSpan(withEvents(evaluation("gen_ai.evaluation.name", name,
          "gen_ai.evaluation.score.value", 1.0)))).as("name %s", name).isEmpty();
    }
  }

  @Test
  void nullsAnywhereGiveNoScoreAndNoException() {
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("gen_ai.evaluation.name", null);
    nulls.put("gen_ai.evaluation.score.value", null);
    nulls.put(null, "x");
    List<SpanEvent> events = new ArrayList<>();
    events.add(null);
    events.add(new SpanEvent(null, 0, null));
    events.add(new SpanEvent(ClientScores.EVALUATION_EVENT, 0, nulls));
    Map<String, Object> spanAttrs = new HashMap<>(nulls);
    spanAttrs.put("annotations.0.annotation.name", null);
    Span span = Spans.span(spanAttrs, events, SpanStatus.UNSET);
    assertThatCode(() -> ClientScores.fromSpan(span)).doesNotThrowAnyException();
    assertThat(ClientScores.fromSpan(span)).isEmpty();
    assertThat(ClientScores.fromSpan(null)).isEmpty();
    assertThat(ClientScores.fromLog(null)).isEmpty();
    LogRecord noAttrs = new LogRecord(T, 0, TRACE, SPAN, 9, null, ClientScores.EVALUATION_EVENT, null, null, null,
        null, null);
    assertThat(ClientScores.fromLog(noAttrs)).isEmpty();
  }

  @Test
  void aLogNeedsBothIds() {
    Map<String, Object> a = attrs("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", 1.0);
    assertThat(ClientScores.fromLog(log(TRACE, null, a))).isEmpty();
    assertThat(ClientScores.fromLog(log(null, SPAN, a))).isEmpty();
    assertThat(ClientScores.fromLog(log("", "", a))).isEmpty();
    assertThat(ClientScores.fromLog(log(TRACE, SPAN, a))).hasSize(1);
  }

  @Test
  void aLogJoinedToItsSpanGivesTheSameScoreFromEitherSide() {
    // The pipeline joins span-bound log events to their span: reading both sides would count it twice.
    LogRecord l = log(TRACE, SPAN, attrs("gen_ai.evaluation.name", "Relevance", "gen_ai.evaluation.score.value", 0.8,
        "gen_ai.evaluation.score.label", "relevant"));
    Span joined = withEvents(l.toSpanEvent());
    assertThat(ClientScores.fromSpan(joined)).isEqualTo(ClientScores.fromLog(l));
  }

  @Test
  void aFailedEvaluationIsNotEvaluatedAndKeepsWhatItSent() {
    Score s = only(withEvents(evaluation("gen_ai.evaluation.name", "groundedness", "error.type", "rate_limited",
        "gen_ai.evaluation.score.value", 0.0, "gen_ai.evaluation.score.label", "fail")));
    assertThat(s.evaluated()).isFalse();
    assertThat(s.value()).isNull();
    assertThat(s.flagged()).isNull();
    assertThat(s.explanation()).isEqualTo("not evaluated: evaluation failed (rate_limited)");
    assertThat(s.detailsJson()).isEqualTo("{\"errorType\":\"rate_limited\",\"value\":0.0,\"label\":\"fail\"}");
    assertThat(s.source()).isEqualTo(Score.SOURCE_CLIENT);
  }

  @Test
  void manyEventsAreCapped() {
    SpanEvent[] events = new SpanEvent[1000];
    for (int i = 0; i < events.length; i++) {
      events[i] = evaluation("gen_ai.evaluation.name", "m" + i, "gen_ai.evaluation.score.value", (double) i);
    }
    List<Score> scores = ClientScores.fromSpan(withEvents(events));
    assertThat(scores).hasSize(ClientScores.MAX_SCORES_PER_RECORD);
    assertThat(scores.get(0).name()).isEqualTo("m0");
  }

  @Test
  void openInferenceFeedbackIndicesAreReadInNumericOrder() {
    Map<String, Object> a = attrs("annotations.10.annotation.name", "ten", "annotations.10.annotation.score", 10L,
        "annotations.2.annotation.name", "two", "annotations.2.annotation.score", 2L,
        "annotations.-1.annotation.name", "negative", "annotations.-1.annotation.score", 1L,
        "annotations.1234567.annotation.name", "too long", "annotations.1234567.annotation.score", 1L,
        "annotations.٣.annotation.name", "arabic digit", "annotations.٣.annotation.score", 1L,
        "annotations.3.annotation.name.extra", "deeper", "annotations.3.annotation.score", 1L);
    List<Score> scores = ClientScores.fromSpan(Spans.span(a));
    assertThat(scores).extracting(Score::name).containsExactly("two", "ten");
    assertThat(scores).extracting(Score::value).containsExactly(2.0, 10.0);
  }

  @Test
  void feedbackKeysAreMappedAndOtherEvaluationKeysStayUnmapped() {
    Span s = Spans.normalize(Spans.chat("annotations.0.annotation.name", "hallucination",
        "annotations.0.annotation.score", 1L, "evaluations.3.evaluation.annotator_kind", "LLM",
        "trace.annotations.0.annotation.name", "retrieval", "annotations.0.annotation.colour", "red",
        "gen_ai.evaluation.name", "on the span itself"));
    assertThat(s.unmappedAttributes()).containsExactly("trace.annotations.0.annotation.name",
        "annotations.0.annotation.colour", "gen_ai.evaluation.name");
  }

  @Test
  void aSpanWithoutValidIdsGivesNoScore() {
    SpanEvent e = evaluation("gen_ai.evaluation.name", "a", "gen_ai.evaluation.score.value", 1.0);
    Span zeros = Span.received("00000000000000000000000000000000", SPAN, null, "x", null, 0, 0, SpanStatus.UNSET,
        null, null, null, null, null, List.of(e));
    Span noSpanId = Span.received(TRACE, null, null, "x", null, 0, 0, SpanStatus.UNSET, null, null, null, null, null,
        List.of(e));
    assertThat(ClientScores.fromSpan(zeros)).isEmpty();
    assertThat(ClientScores.fromSpan(noSpanId)).isEmpty();
  }

  private static LogRecord log(String traceId, String spanId, Map<String, Object> a) {
    return new LogRecord(T, 0, traceId, spanId, 9, "INFO", ClientScores.EVALUATION_EVENT, null, "svc", "scope", a,
        Map.of());
  }
}
