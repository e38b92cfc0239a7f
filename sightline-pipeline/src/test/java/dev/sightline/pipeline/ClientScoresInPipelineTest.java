package dev.sightline.pipeline;

import static dev.sightline.pipeline.PipelineTest.T1;
import static dev.sightline.pipeline.PipelineTest.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.semconv.SpanNormalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores that clients send (OTel {@code gen_ai.evaluation.result} as a span event or as a log record)
 * leave the processor as the batch's scores, each exactly once, however the log and its span arrive.
 */
class ClientScoresInPipelineTest {
  private static final Map<String, Object> EVALUATION = Map.of("gen_ai.evaluation.name", "relevance",
      "gen_ai.evaluation.score.value", 0.4, "gen_ai.evaluation.score.label", "not_relevant");

  private static LogRecord evaluationLog(String spanId) {
    return new LogRecord(1_600_000_000L, 0, T1, spanId, 9, "INFO", "gen_ai.evaluation.result", null, "svc", "test",
        EVALUATION, Map.of());
  }

  private final BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(),
      new CostCalculator(PriceCatalog.bundled()));

  @Test
  void aSpanEventBecomesAScoreOnItsCall() {
    Span s = span(T1, "00000000000000a1", null, "chat gpt-4o", PipelineTest.llmAttrs())
        .withEvents(List.of(new SpanEvent("gen_ai.evaluation.result", 1_700_000_000L, EVALUATION, null)));
    TelemetryBatch out = processor.process(TelemetryBatch.ofSpans("test", List.of(s)));
    assertThat(out.scores()).singleElement().satisfies(sc -> {
      assertThat(sc.spanId()).isEqualTo("00000000000000a1");
      assertThat(sc.name()).isEqualTo("relevance");
      assertThat(sc.value()).isEqualTo(0.4);
      assertThat(sc.flagged()).isTrue();
      assertThat(sc.source()).isEqualTo(Score.SOURCE_CLIENT);
    });
    assertThat(out.spans()).hasSize(1);
  }

  @Test
  void aLogForACallStoredEarlierStillBecomesAScore() {
    TelemetryBatch out = processor.process(TelemetryBatch.ofLogs("test", List.of(evaluationLog("00000000000000b1"))));
    assertThat(out.scores()).extracting(Score::spanId, Score::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("00000000000000b1", "relevance"));
  }

  @Test
  void aLogJoinedToItsSpanIsReadOnceWhetherTheSpanComesWithItOrLater() {
    TelemetryBatch together = processor.process(new TelemetryBatch("test",
        List.of(span(T1, "00000000000000c1", null, "chat gpt-4o", PipelineTest.llmAttrs())),
        List.of(evaluationLog("00000000000000c1")), List.of()));
    assertThat(together.scores()).hasSize(1);

    TelemetryBatch logFirst = processor.process(TelemetryBatch.ofLogs("test", List.of(evaluationLog("00000000000000c2"))));
    TelemetryBatch spanLater = processor.process(TelemetryBatch.ofSpans("test",
        List.of(span(T1, "00000000000000c2", null, "chat gpt-4o", PipelineTest.llmAttrs()))));
    assertThat(logFirst.scores()).hasSize(1);
    assertThat(spanLater.scores()).isEmpty();
  }
}
