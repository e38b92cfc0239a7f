package dev.sightline.bus;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sightline.model.TelemetryBatch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the bus decoder (docs/fuzzing.md): any bytes give a batch or a
 * {@link BatchFormatException}, nothing else, and a batch that was read encodes again to bytes that
 * read back as the same batch.
 */
@Tag("fuzz-bus-batch")
class BatchCodecFuzzTest {

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void decode(byte[] input) {
    TelemetryBatch batch;
    try {
      batch = BatchCodec.decode(input);
    } catch (BatchFormatException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("a BatchFormatException without a reason", expected);
      }
      return;
    }
    TelemetryBatch again;
    try {
      again = BatchCodec.decode(BatchCodec.encode(batch));
    } catch (BatchFormatException e) {
      throw new AssertionError("a decoded batch, encoded again, did not decode", e);
    }
    TestBatches.assertSame(again, batch);
  }

  static Stream<byte[]> seeds() {
    return Stream.of(
        BatchCodec.encode(TestBatches.everything()),
        BatchCodec.encode(TelemetryBatch.ofSpans("otlp-grpc", List.of())),
        BatchCodec.encode(TelemetryBatch.ofSpans("gateway", TestBatches.everything().spans().subList(0, 2))),
        BatchCodec.encode(TelemetryBatch.ofLogs("otlp-http", TestBatches.everything().logs())),
        BatchCodec.encode(TelemetryBatch.ofMetrics("scrape", TestBatches.everything().metrics())),
        BatchCodec.encode(TelemetryBatch.ofScores("evaluators", TestBatches.everything().scores())));
  }
}
