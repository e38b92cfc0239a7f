package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.testing.SharedFixtures;
import dev.sightline.pipeline.BatchProcessor;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.receivers.ReceivedFixtures;
import dev.sightline.semconv.SpanNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real captured OTLP (../shared/fixtures/otlp, see its SOURCES.md) through the receivers' decoder and the
 * pipeline's processor, as an ingest node would publish it: the writer reads back the same batch.
 */
class PipelineBatchRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(),
      new CostCalculator(PriceCatalog.bundled()));

  @Test
  void theOtlpExamplesComeBackAfterThePipeline() throws Exception {
    TelemetryBatch batch = processor.process(merge(
        ReceivedFixtures.tracesJson(fixture("otlp-proto-examples/trace.json")),
        ReceivedFixtures.logsJson(fixture("otlp-proto-examples/logs.json")),
        ReceivedFixtures.logsJson(fixture("otlp-proto-examples/events.json")),
        ReceivedFixtures.metricsJson(fixture("otlp-proto-examples/metrics.json"))));
    assertThat(batch.spans()).isNotEmpty();
    assertThat(batch.logs()).isNotEmpty();
    assertThat(batch.metrics()).hasSizeGreaterThan(3);
    TestBatches.roundTrip(batch);
  }

  /** Envoy AI Gateway's recorded OpenInference spans (ids and times were cleared by the recorder: set here). */
  @ParameterizedTest
  @ValueSource(strings = {"chat-tools", "chat-detailed-usage", "chat-streaming", "chat-bad-request"})
  void recordedLlmSpansComeBackWithTheirCallUsageAndCost(String name) throws Exception {
    TelemetryBatch batch = processor.process(ReceivedFixtures.tracesJson(openInference(name)));
    Span s = batch.spans().get(0);
    assertThat(s.llm()).as("the pipeline made an LLM call of it").isNotNull();
    TelemetryBatch back = TestBatches.roundTrip(batch);
    assertThat(back.spans().get(0).llm().usage()).isEqualTo(s.llm().usage());
    assertThat(back.spans().get(0).llm().cost()).isEqualTo(s.llm().cost());
  }

  @Test
  void aRealBatchCutAtAnyByteIsRefused() throws Exception {
    List<TelemetryBatch> parts = new ArrayList<>();
    for (String name : List.of("chat-tools", "chat-bad-request")) {
      parts.add(ReceivedFixtures.tracesJson(openInference(name)));
    }
    parts.add(ReceivedFixtures.logsJson(fixture("otlp-proto-examples/events.json")));
    parts.add(ReceivedFixtures.metricsJson(fixture("otlp-proto-examples/metrics.json")));
    byte[] whole = BatchCodec.encode(processor.process(merge(parts.toArray(TelemetryBatch[]::new))));
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      assertThat(catchThrowable(() -> BatchCodec.decode(cut))).as("cut at %d", n)
          .isInstanceOf(BatchFormatException.class);
    }
  }

  private static TelemetryBatch merge(TelemetryBatch... batches) {
    List<dev.sightline.model.Span> spans = new ArrayList<>();
    List<dev.sightline.model.LogRecord> logs = new ArrayList<>();
    List<dev.sightline.model.MetricPoint> metrics = new ArrayList<>();
    for (TelemetryBatch b : batches) {
      spans.addAll(b.spans());
      logs.addAll(b.logs());
      metrics.addAll(b.metrics());
    }
    return new TelemetryBatch("otlp-http", spans, logs, metrics);
  }

  private static byte[] fixture(String relative) throws Exception {
    Path otlp = SharedFixtures.file("otlp");
    return Files.readAllBytes(otlp.resolve(relative));
  }

  /** One recorded span in an OTLP/JSON envelope, with the ids and times the recorder cleared. */
  private static byte[] openInference(String name) throws Exception {
    ObjectNode span = (ObjectNode) JSON.readTree(fixture("openinference-envoy-ai-gateway/" + name + ".json"));
    span.put("traceId", "0af7651916cd43dd8448eb211c80319c").put("spanId", "b7ad6b7169203331")
        .put("startTimeUnixNano", "1760000000000000000").put("endTimeUnixNano", "1760000001000000000");
    ObjectNode root = JSON.createObjectNode();
    ObjectNode rs = root.putArray("resourceSpans").addObject();
    rs.putObject("resource").putArray("attributes").addObject().put("key", "service.name")
        .putObject("value").put("stringValue", "envoy-ai-gateway");
    ArrayNode list = rs.putArray("scopeSpans").addObject().putArray("spans");
    list.add(span);
    return JSON.writeValueAsBytes(root);
  }
}
