package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder refuses a record count the bytes left cannot hold, using a floor per record kind. A floor
 * above the smallest record the encoder writes would refuse good batches (the fuzzer found the log
 * floor one byte too high), so each floor is checked against the encoder's smallest record.
 */
class RecordFloorTest {

  private static final Span SPAN = Span.received(null, null, null, null, SpanKind.INTERNAL, 0, 0, SpanStatus.UNSET,
      null, null, null, null, null, null);
  private static final LogRecord LOG = new LogRecord(0, 0, null, null, 0, null, null, null, null, null, null, null);
  private static final MetricPoint METRIC = new MetricPoint(null, null, null, MetricType.GAUGE, 0, 0, null, null,
      null, null, null, null, null, false);
  // a score needs a name: its second copy is a one-byte reference to the first
  private static final Score SCORE = new Score(null, null, "s", null, null, null, null, null, null, null, null, 0);

  @Test
  void eachFloorIsTheSmallestRecordTheEncoderWrites() {
    assertThat(perRecordBytes(n -> TelemetryBatch.ofSpans("r", Collections.nCopies(n, SPAN))))
        .isEqualTo(BatchDecoder.MIN_SPAN_BYTES);
    assertThat(perRecordBytes(n -> TelemetryBatch.ofLogs("r", Collections.nCopies(n, LOG))))
        .isEqualTo(BatchDecoder.MIN_LOG_BYTES);
    assertThat(perRecordBytes(n -> TelemetryBatch.ofMetrics("r", Collections.nCopies(n, METRIC))))
        .isEqualTo(BatchDecoder.MIN_METRIC_BYTES);
    assertThat(perRecordBytes(n -> TelemetryBatch.ofScores("r", Collections.nCopies(n, SCORE))))
        .isEqualTo(BatchDecoder.MIN_SCORE_BYTES);
    assertThat(perRecordBytes(n -> TelemetryBatch.ofSpans("r", List.of(withEvents(n)))))
        .isEqualTo(BatchDecoder.MIN_EVENT_BYTES);
  }

  @Test
  void batchesOfOnlyTheSmallestRecordsDecode() {
    for (int n : new int[] {1, 2, 3, 50}) {
      TestBatches.roundTrip(TelemetryBatch.ofSpans("r", Collections.nCopies(n, SPAN)));
      TestBatches.roundTrip(TelemetryBatch.ofLogs("r", Collections.nCopies(n, LOG)));
      TestBatches.roundTrip(TelemetryBatch.ofMetrics("r", Collections.nCopies(n, METRIC)));
      TestBatches.roundTrip(TelemetryBatch.ofScores("r", Collections.nCopies(n, SCORE)));
      TestBatches.roundTrip(TelemetryBatch.ofSpans("r", List.of(withEvents(n))));
    }
  }

  /** The fuzzer's finding: non-minimal varints decoded, and the shorter re-encoding was refused. */
  @Test
  void theFuzzFindingEncodesAgainAndDecodes() throws BatchFormatException {
    byte[] input = Base64.getDecoder().decode(
        "U0xCARRvdGxwLWh0dHAQZGVmYXVsdAADFc0L3KzGAAD/AAAAAIAAAAAAAAAAAAAAAAAA/wAAAAAAAAAAAAAAAAAAAC4AAAAAAAAAEAAAAAAAAAAAAA==");
    TelemetryBatch batch = BatchCodec.decode(input);
    assertThat(batch.logs()).hasSize(3);
    TestBatches.assertSame(BatchCodec.decode(BatchCodec.encode(batch)), batch);
  }

  private static Span withEvents(int n) {
    return Span.received(null, null, null, null, SpanKind.INTERNAL, 0, 0, SpanStatus.UNSET, null, null, null, null,
        null, Collections.nCopies(n, new SpanEvent(null, 0, null)));
  }

  private static int perRecordBytes(java.util.function.IntFunction<TelemetryBatch> batchOf) {
    return BatchCodec.encode(batchOf.apply(3)).length - BatchCodec.encode(batchOf.apply(2)).length;
  }
}
