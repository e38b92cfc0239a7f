package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;

/** The benchmark's batch (510 spans from the receivers and the pipeline) comes back whole, and is smaller than its OTLP request. */
class RealisticBatchTest {

  @Test
  void aBenchmarkSizedBatchComesBackAndIsSmallerThanTheOtlpRequest() throws Exception {
    ExportTraceServiceRequest request = RealisticBatch.request(170);
    TelemetryBatch batch = RealisticBatch.processed(request);
    assertThat(batch.spans()).hasSize(510);
    assertThat(batch.spans().stream().filter(s -> s.llm() != null && s.llm().cost() != null)).hasSize(170);
    TestBatches.roundTrip(batch);
    assertThat(BatchCodec.encode(batch).length).isLessThan(request.getSerializedSize());
  }
}
