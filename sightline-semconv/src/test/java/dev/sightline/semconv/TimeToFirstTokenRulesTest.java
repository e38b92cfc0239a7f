package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.START;
import static dev.sightline.semconv.Spans.attrs;
import static dev.sightline.semconv.Spans.normalize;
import static dev.sightline.semconv.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ARCHITECTURE.md §5: TTFT sources in order, each recorded; unusable values are skipped. */
class TimeToFirstTokenRulesTest {
  private static Timing timing(Map<String, Object> a, SpanEvent... events) {
    Map<String, Object> all = attrs("gen_ai.operation.name", "chat");
    all.putAll(a);
    return normalize(span(all, List.of(events), SpanStatus.UNSET)).llm().timing();
  }

  private static SpanEvent event(String name, long offsetNanos) {
    return new SpanEvent(name, START + offsetNanos, Map.of());
  }

  @Test
  void startAndEndComeFromTheSpan() {
    Timing t = timing(Map.of());
    assertThat(t.startEpochNanos()).isEqualTo(START);
    assertThat(t.endEpochNanos()).isEqualTo(Spans.END);
    assertThat(t.ttftNanos()).isNull();
    assertThat(t.ttftSource()).isNull();
  }

  @Test
  void timeToFirstChunkInSeconds() {
    Timing t = timing(attrs("gen_ai.response.time_to_first_chunk", 0.25));
    assertThat(t.ttftNanos()).isEqualTo(250_000_000L);
    assertThat(t.ttftSource()).isEqualTo(TtftSource.TIME_TO_FIRST_CHUNK);
  }

  @Test
  void langfuseCompletionStartTime_isoAndEpochForms() {
    String iso = java.time.Instant.ofEpochSecond(0, START + 300_000_000L).toString();
    for (Object v : List.of(iso, "\"" + iso + "\"", (START + 300_000_000L) / 1_000_000L,
        (double) (START + 300_000_000L) / 1e9, String.valueOf(START + 300_000_000L))) {
      Timing t = timing(attrs("langfuse.observation.completion_start_time", v));
      assertThat(t.ttftNanos()).as("%s", v).isEqualTo(300_000_000L);
      assertThat(t.ttftSource()).isEqualTo(TtftSource.COMPLETION_START_TIME);
    }
    Timing plain = timing(attrs("completion_start_time", iso));
    assertThat(plain.ttftSource()).isEqualTo(TtftSource.COMPLETION_START_TIME);
  }

  @Test
  void vercelMsToFirstChunk() {
    Timing t = timing(attrs("ai.response.msToFirstChunk", 412.5));
    assertThat(t.ttftNanos()).isEqualTo(412_500_000L);
    assertThat(t.ttftSource()).isEqualTo(TtftSource.TIME_TO_FIRST_CHUNK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gen_ai.first_token", "first_token", "llm.first_token", "ai.stream.firstChunk",
      "First Token Stream Event"})
  void firstTokenEvent(String name) {
    Timing t = timing(Map.of(), event("something.else", 10), event(name, 123_000_000L));
    assertThat(t.ttftNanos()).isEqualTo(123_000_000L);
    assertThat(t.ttftSource()).isEqualTo(TtftSource.FIRST_TOKEN_EVENT);
  }

  @Test
  void order_chunkThenLangfuseThenVercelThenEvent() {
    String cst = java.time.Instant.ofEpochSecond(0, START + 300_000_000L).toString();
    SpanEvent ev = event("gen_ai.first_token", 500_000_000L);
    assertThat(timing(attrs("gen_ai.response.time_to_first_chunk", 0.1, "completion_start_time", cst,
        "ai.response.msToFirstChunk", 400L), ev).ttftNanos()).isEqualTo(100_000_000L);
    Timing lf = timing(attrs("completion_start_time", cst, "ai.response.msToFirstChunk", 400L), ev);
    assertThat(lf.ttftNanos()).isEqualTo(300_000_000L);
    assertThat(lf.ttftSource()).isEqualTo(TtftSource.COMPLETION_START_TIME);
    assertThat(timing(attrs("ai.response.msToFirstChunk", 400L), ev).ttftNanos()).isEqualTo(400_000_000L);
    assertThat(timing(Map.of(), ev).ttftNanos()).isEqualTo(500_000_000L);
  }

  @Test
  void negativeOrBeyondTheSpanIsIgnoredAndTheNextSourceUsed() {
    SpanEvent ev = event("first_token", 700_000_000L);
    Timing t = timing(attrs("gen_ai.response.time_to_first_chunk", -1.0, "ai.response.msToFirstChunk", 5000L), ev);
    assertThat(t.ttftNanos()).isEqualTo(700_000_000L);
    assertThat(t.ttftSource()).isEqualTo(TtftSource.FIRST_TOKEN_EVENT);
    assertThat(timing(attrs("gen_ai.response.time_to_first_chunk", 3.0)).ttftNanos()).isNull(); // span is 2 s
    assertThat(timing(Map.of(), event("first_token", -5)).ttftNanos()).isNull();
    assertThat(timing(attrs("gen_ai.response.time_to_first_chunk", Double.NaN)).ttftNanos()).isNull();
    assertThat(timing(attrs("completion_start_time", "not a time")).ttftNanos()).isNull();
  }

  @Test
  void eventsWithoutATimeAreIgnored() {
    assertThat(timing(Map.of(), new SpanEvent("first_token", 0L, Map.of())).ttftNanos()).isNull();
  }
}
