package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.pipeline.IngestCounters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TelemetryOutTest {
  private static Span span(int n) {
    return new Span("0af7651916cd43dd8448eb211c80319c", String.format("%016x", n), null, "chat", SpanKind.CLIENT,
        1_000L, 2_000L, SpanStatus.OK, null, "gateway", "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM,
        null, List.of());
  }

  @Test
  void awaitSubmittedWaitsForRecordsStillBeingBuilt() throws Exception {
    RecordingIngest ingest = new RecordingIngest();
    try (TelemetryOut out = new TelemetryOut(ingest, new IngestCounters())) {
      assertThat(out.awaitSubmitted(Duration.ZERO)).as("nothing handed over yet").isTrue();
      CountDownLatch building = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      out.record(() -> {
        building.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return span(1);
      });
      out.record(() -> span(2));
      assertThat(building.await(5, TimeUnit.SECONDS)).isTrue();

      assertThat(out.awaitSubmitted(Duration.ofMillis(100))).as("the first record is still being built").isFalse();
      assertThat(ingest.spans).isEmpty();

      release.countDown();
      assertThat(out.awaitSubmitted(Duration.ofSeconds(5))).isTrue();
      // true means submitted: both are in the pipeline without any further wait
      assertThat(ingest.spans).extracting(Span::spanId).containsExactly(span(1).spanId(), span(2).spanId());
      // nobody waits on a record's commit: it may wait longer for company, which saves commits
      assertThat(ingest.attended).isEmpty();
    }
  }

  @Test
  void aRecordThatFailsToBuildOrIsRefusedDoesNotKeepAwaitWaiting() {
    RecordingIngest ingest = new RecordingIngest();
    IngestCounters counters = new IngestCounters();
    try (TelemetryOut out = new TelemetryOut(ingest, counters)) {
      out.record(() -> {
        throw new IllegalStateException("a bug in building the record");
      });
      ingest.mode = RecordingIngest.Mode.THROWS;
      out.record(() -> span(3));
      assertThat(out.awaitSubmitted(Duration.ofSeconds(5))).isTrue();
      assertThat(ingest.spans).isEmpty();
      assertThat(counters.get(TelemetryOut.RECEIVER, TelemetryOut.SIGNAL, IngestCounters.Outcome.DROPPED))
          .isEqualTo(2);
    }
    // after close the recorder refuses: counted as dropped, and nothing is left waiting
    TelemetryOut closed = new TelemetryOut(ingest, counters);
    closed.close();
    closed.record(() -> span(4));
    assertThat(closed.awaitSubmitted(Duration.ZERO)).isTrue();
  }

  @Test
  void aCallWithNoRecordBuiltIsDroppedAndTheRestOfItsGroupStillGoesThrough() {
    RecordingIngest ingest = new RecordingIngest();
    IngestCounters counters = new IngestCounters();
    try (TelemetryOut out = new TelemetryOut(ingest, counters)) {
      out.record(() -> null);
      out.record(() -> span(5));
      assertThat(out.awaitSubmitted(Duration.ofSeconds(5))).isTrue();
      out.record(() -> span(6));
      assertThat(out.awaitSubmitted(Duration.ofSeconds(5))).isTrue();
      assertThat(ingest.spans).extracting(Span::spanId).containsExactly(span(5).spanId(), span(6).spanId());
      assertThat(counters.get(TelemetryOut.RECEIVER, TelemetryOut.SIGNAL, IngestCounters.Outcome.DROPPED))
          .isEqualTo(1);
      assertThat(counters.get(TelemetryOut.RECEIVER, TelemetryOut.SIGNAL, IngestCounters.Outcome.RECEIVED))
          .isEqualTo(3);
    }
  }
}
