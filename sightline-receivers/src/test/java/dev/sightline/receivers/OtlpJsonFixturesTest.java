package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Span;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical OTLP/JSON examples and real OpenInference spans decode to the expected records. */
class OtlpJsonFixturesTest extends ReceiverTestSupport {

  @Test
  void traceExample() throws Exception {
    var r = post("/v1/traces", "application/json", fixture("otlp-proto-examples/trace.json"));
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(json(r).has("partialSuccess")).isFalse();
    Span s = ingest.spans().get(0);
    assertThat(ingest.spans()).hasSize(1);
    assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(s.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(s.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
    assertThat(s.name()).isEqualTo("I'm a server span");
    assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(s.startEpochNanos()).isEqualTo(1544712660000000000L);
    assertThat(s.endEpochNanos()).isEqualTo(1544712661000000000L);
    assertThat(s.status()).isEqualTo(SpanStatus.UNSET);
    assertThat(s.service()).isEqualTo("my.service");
    assertThat(s.scopeName()).isEqualTo("my.library");
    assertThat(s.attributes()).containsExactlyEntriesOf(Map.of("my.span.attr", "some value"));
    assertThat(s.resourceAttributes()).containsExactlyEntriesOf(Map.of("service.name", "my.service"));
    assertThat(ingest.batches.get(0).receiver()).isEqualTo("otlp-http");
  }

  @Test
  void logsExample() throws Exception {
    var r = post("/v1/logs", "application/json", fixture("otlp-proto-examples/logs.json"));
    assertThat(r.status().code()).isEqualTo(200);
    LogRecord l = ingest.logs().get(0);
    assertThat(l.timeEpochNanos()).isEqualTo(1544712660300000000L);
    assertThat(l.observedEpochNanos()).isEqualTo(1544712660300000000L);
    assertThat(l.severityNumber()).isEqualTo(10);
    assertThat(l.severityText()).isEqualTo("Information");
    assertThat(l.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(l.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(l.body()).isEqualTo("Example log record");
    assertThat(l.service()).isEqualTo("my.service");
    assertThat(l.scopeName()).isEqualTo("my.library");
    assertThat(List.copyOf(l.attributes().keySet())).containsExactly("string.attribute", "boolean.attribute",
        "int.attribute", "double.attribute", "array.attribute", "map.attribute");
    assertThat(l.attributes()).containsEntry("string.attribute", "some string")
        .containsEntry("boolean.attribute", true)
        .containsEntry("int.attribute", 10L)
        .containsEntry("double.attribute", 637.704)
        .containsEntry("array.attribute", List.of("many", "values"))
        .containsEntry("map.attribute", Map.of("some.map.key", "some value"));
  }

  @Test
  void eventsExampleKeepsEventNameAndKvlistBody() throws Exception {
    var r = post("/v1/logs", "application/json", fixture("otlp-proto-examples/events.json"));
    assertThat(r.status().code()).isEqualTo(200);
    LogRecord l = ingest.logs().get(0);
    assertThat(l.eventName()).isEqualTo("browser.page_view");
    assertThat(l.effectiveEventName()).isEqualTo("browser.page_view");
    assertThat(l.severityNumber()).isEqualTo(9);
    assertThat(l.traceId()).isNull();
    assertThat(l.attributes()).containsExactlyEntriesOf(Map.of("event.attribute", "some event attribute"));
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) l.body();
    assertThat(List.copyOf(body.keySet())).containsExactly("type", "url", "referrer", "title");
    assertThat(body).containsEntry("type", 0L)
        .containsEntry("url", "https://www.guidgenerator.com/online-guid-generator.aspx")
        .containsEntry("title", "Free Online GUID Generator");
  }

  @Test
  void metricsExample() throws Exception {
    var r = post("/v1/metrics", "application/json", fixture("otlp-proto-examples/metrics.json"));
    assertThat(r.status().code()).isEqualTo(200);
    List<MetricPoint> points = ingest.metrics();
    assertThat(points).extracting(MetricPoint::name)
        .containsExactly("my.counter", "my.gauge", "my.histogram", "my.exponential.histogram");

    MetricPoint counter = points.get(0);
    assertThat(counter.type()).isEqualTo(MetricType.SUM);
    assertThat(counter.monotonic()).isTrue();
    assertThat(counter.value()).isEqualTo(5.0);
    assertThat(counter.unit()).isEqualTo("1");
    assertThat(counter.description()).isEqualTo("I am a Counter");
    assertThat(counter.startEpochNanos()).isEqualTo(1544712660300000000L);
    assertThat(counter.timeEpochNanos()).isEqualTo(1544712660300000000L);
    assertThat(counter.service()).isEqualTo("my.service");
    assertThat(counter.attributes()).containsEntry("my.counter.attr", "some value");

    MetricPoint gauge = points.get(1);
    assertThat(gauge.type()).isEqualTo(MetricType.GAUGE);
    assertThat(gauge.value()).isEqualTo(10.0);
    assertThat(gauge.monotonic()).isFalse();

    MetricPoint histogram = points.get(2);
    assertThat(histogram.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(histogram.count()).isEqualTo(2L);
    assertThat(histogram.sum()).isEqualTo(2.0);
    assertThat(histogram.bucketBounds()).containsExactly(1.0);
    assertThat(histogram.bucketCounts()).containsExactly(1L, 1L);

    MetricPoint exponential = points.get(3);
    assertThat(exponential.type()).isEqualTo(MetricType.EXPONENTIAL_HISTOGRAM);
    assertThat(exponential.count()).isEqualTo(3L);
    assertThat(exponential.sum()).isEqualTo(10.0);
  }

  /** Envoy AI Gateway's spans: Go protojson with enum names, no envelope, ids and times cleared. */
  @ParameterizedTest
  @ValueSource(strings = {"chat-tools", "chat-detailed-usage", "chat-streaming", "chat-bad-request"})
  void openInferenceSpansWithEnumNames(String name) throws Exception {
    ObjectNode span = (ObjectNode) JSON.readTree(fixture("openinference-envoy-ai-gateway/" + name + ".json"));
    span.put("traceId", "0af7651916cd43dd8448eb211c80319c").put("spanId", "b7ad6b7169203331")
        .put("startTimeUnixNano", "1760000000000000000").put("endTimeUnixNano", 1760000001000000000L);
    var r = postJson("/v1/traces", envelope(span));
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(json(r).has("partialSuccess")).as(r.contentUtf8()).isFalse();

    Span s = ingest.spans().get(0);
    assertThat(s.name()).isEqualTo("ChatCompletion");
    assertThat(s.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.status()).isEqualTo(name.equals("chat-bad-request") ? SpanStatus.ERROR : SpanStatus.OK);
    assertThat(s.attributes()).containsEntry("llm.system", "openai")
        .containsEntry("openinference.span.kind", "LLM");
    assertThat(s.attributes().size()).isEqualTo(span.get("attributes").size());
    assertThat(s.endEpochNanos() - s.startEpochNanos()).isEqualTo(1_000_000_000L);
    if (name.equals("chat-bad-request")) {
      assertThat(s.statusMessage()).startsWith("BadRequestError: Error code: 400");
      assertThat(s.events()).singleElement().satisfies(e -> {
        assertThat(e.name()).isEqualTo("exception");
        assertThat(e.attributes()).containsEntry("exception.type", "openai.BadRequestError");
      });
    }
    if (name.equals("chat-detailed-usage")) {
      assertThat(s.attributes()).containsKey("llm.token_count.completion_details.reasoning");
      assertThat(s.attributes().get("llm.token_count.completion_details.reasoning")).isInstanceOf(Long.class);
    }
  }

  @Test
  void openInferenceSpanAsRecordedWithoutIdsIsRejectedWithAReason() throws Exception {
    ObjectNode span = (ObjectNode) JSON.readTree(fixture("openinference-envoy-ai-gateway/chat-tools.json"));
    var r = postJson("/v1/traces", envelope(span));
    assertThat(r.status().code()).isEqualTo(200);
    var partial = json(r).get("partialSuccess");
    assertThat(partial.get("rejectedSpans").asText()).isEqualTo("1");
    assertThat(partial.get("errorMessage").asText()).contains("'ChatCompletion'").contains("trace_id must be 16 bytes");
    assertThat(ingest.spans()).isEmpty();
  }

  @Test
  void snakeCaseKeysEnumNamesNumbersAndBase64Ids() throws Exception {
    String body = """
        {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}]},
          "scope_spans":[{"scope":{"name":"lib"},"spans":[
            {"trace_id":"W47/95gDgQPSabYzgT/GDA==","span_id":"7uGbfsPBsXQ=","name":"a","kind":"SPAN_KIND_CLIENT",
             "start_time_unix_nano":1544712660000000000,"end_time_unix_nano":"1544712661000000000",
             "status":{"code":"ERROR"},"some_future_field":{"x":1},
             "attributes":[{"key":"n","value":{"int_value":7}},{"key":"d","value":{"double_value":"NaN"}},
               {"key":"b","value":{"bytes_value":"AQID"}},{"key":"flag","value":{"bool_value":true}},
               {"key":"empty","value":{}}]}]}]}]}
        """;
    var r = postJson("/v1/traces", body);
    assertThat(r.status().code()).isEqualTo(200);
    Span s = ingest.spans().get(0);
    assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(s.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(s.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(s.service()).isEqualTo("svc");
    assertThat(s.attributes()).containsEntry("n", 7L).containsEntry("flag", true).doesNotContainKey("empty");
    assertThat((Double) s.attributes().get("d")).isNaN();
    assertThat((byte[]) s.attributes().get("b")).containsExactly(1, 2, 3);
  }

  @Test
  void missingServiceNameFallsBackToUnknownService() throws Exception {
    var r = postJson("/v1/traces", """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
          "spanId":"eee19b7ec3c1b174","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}
        """);
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(ingest.spans().get(0).service()).isEqualTo("unknown_service");
    assertThat(ingest.spans().get(0).scopeName()).isNull();
  }

  @Test
  void emptyRequestIsAcceptedWithoutTouchingThePipeline() {
    var r = postJson("/v1/traces", "{}");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentUtf8()).isEqualTo("{}");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void jsonResponseCarriesTheRequestEncoding() throws Exception {
    var r = post("/v1/traces", "application/json; charset=utf-8",
        new String(fixture("otlp-proto-examples/trace.json"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentType().subtype()).isEqualTo("json");
  }

  static String envelope(ObjectNode... spans) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode rs = root.putArray("resourceSpans").addObject();
    rs.putObject("resource").putArray("attributes").addObject().put("key", "service.name")
        .putObject("value").put("stringValue", "envoy-ai-gateway");
    ArrayNode list = rs.putArray("scopeSpans").addObject().putArray("spans");
    for (ObjectNode s : spans) {
      list.add(s);
    }
    return root.toString();
  }
}
