package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sightline.evaluators.EvaluationPolicy;
import dev.sightline.evaluators.EvaluatorCatalog;
import dev.sightline.evaluators.EvaluatorSettings;
import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.SightlineConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's acceptance, end to end with real clients: RAG traces sent by the OTel SDK and a call
 * made by the OpenAI SDK through the gateway inside the app's trace are judged against their
 * retrieved documents; a contradicting answer is flagged with its sentence, a faithful one is not;
 * PII in prompts never reaches the API or the database file; bad input gets a score or a reason.
 */
class QualityEndToEndTest {
  static final String POLICY_BEREAVEMENT = "Bereavement fares must be requested before travel begins. "
      + "Refunds for bereavement travel cannot be claimed after the flight has been taken.";
  static final String POLICY_BAGGAGE = "Each passenger may check one bag of up to 23 kg free of charge. "
      + "A second checked bag costs 45 euros per flight.";
  static final String CONTRADICTING = "Yes. You can apply for a bereavement refund within 90 days after your flight,"
      + " and we will refund the full fare.";
  static final String FAITHFUL = "Bereavement fares have to be requested before you travel. They cannot be claimed"
      + " after the flight has already been taken.";

  @TempDir static Path dir;
  static Server upstream;
  static SightlineServer server;
  static SdkTracerProvider tracing;
  static Tracer tracer;

  @BeforeAll
  static void start() {
    // a scripted OpenAI upstream that contradicts the baggage policy: the gateway leg's answer
    upstream = Server.builder().http(0).service("/v1/chat/completions", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
        MediaType.JSON_UTF_8, """
            {"id":"chatcmpl-q1","object":"chat.completion","created":1780000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Your second checked bag is free of charge. The first bag may weigh up to 32 kg."},
             "finish_reason":"stop"}],
             "usage":{"prompt_tokens":120,"completion_tokens":24,"total_tokens":144}}""")).build();
    upstream.start().join();
    GatewayConfig gateway = new GatewayConfig(URI.create("http://127.0.0.1:" + upstream.activeLocalPort()), Map.of(),
        null, null, CaptureMode.ON);
    EvaluationConfig evaluation = new EvaluationConfig(EvaluatorCatalog.NAMES, true,
        new EvaluatorSettings(EvaluationPolicy.ALL, 1000, 1, Duration.ofMillis(500)));
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withGateway(gateway)
        .withEvaluation(evaluation));
    tracing = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot")))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").build())
            .setScheduleDelay(Duration.ofMillis(100)).build())
        .build();
    tracer = tracing.get("quality-e2e");
  }

  @AfterAll
  static void stop() {
    tracing.shutdown().join(10, TimeUnit.SECONDS);
    server.close();
    upstream.stop().join();
  }

  private static String messages(String role, String text) {
    return "[{\"role\":\"" + role + "\",\"parts\":[{\"type\":\"text\",\"content\":" + TraceJson.quote(text) + "}]}]";
  }

  /** A RAG request as an app instrumented with OTel GenAI + OpenInference retriever spans sends it. */
  private static String[] ragTrace(String route, List<String> documents, String question, String answer) {
    return ragTrace(route, documents, question, answer, false);
  }

  /** With {@code spanPerDocument}, each document comes from its own retriever span. */
  private static String[] ragTrace(String route, List<String> documents, String question, String answer,
      boolean spanPerDocument) {
    Span root = tracer.spanBuilder(route).setSpanKind(SpanKind.SERVER).setNoParent().startSpan();
    Context ctx = Context.root().with(root);
    Span retrieval = null;
    for (int i = 0; i < documents.size(); i++) {
      if (retrieval == null) {
        retrieval = tracer.spanBuilder("vector-search").setParent(ctx)
            .setAttribute("openinference.span.kind", "RETRIEVER").startSpan();
      }
      int n = spanPerDocument ? 0 : i;
      retrieval.setAttribute("retrieval.documents." + n + ".document.id", "policy-" + i);
      retrieval.setAttribute("retrieval.documents." + n + ".document.content", documents.get(i));
      if (spanPerDocument) {
        retrieval.end();
        retrieval = null;
      }
    }
    if (retrieval != null) {
      retrieval.end();
    }
    Span llm = tracer.spanBuilder("chat gpt-4o-mini").setParent(ctx).setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
        .setAttribute("gen_ai.usage.input_tokens", 300L).setAttribute("gen_ai.usage.output_tokens", 40L)
        .setAttribute("gen_ai.input.messages", messages("user", question))
        .setAttribute("gen_ai.output.messages", messages("assistant", answer)).startSpan();
    String[] ids = {llm.getSpanContext().getTraceId(), llm.getSpanContext().getSpanId()};
    llm.end();
    root.end();
    tracing.forceFlush().join(10, TimeUnit.SECONDS);
    return ids;
  }

  private static JsonNode scoreOf(String traceId, String spanId, String name) {
    JsonNode call = TestServers.await(server, "/api/v1/llm/calls/" + traceId + "/" + spanId,
        n -> n.has("scores") && find(n.get("scores"), name) != null);
    return find(call.get("scores"), name);
  }

  private static JsonNode find(JsonNode scores, String name) {
    for (JsonNode s : scores) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static List<JsonNode> unsupported(JsonNode score) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : score.get("details").get("sentences")) {
      if (s.get("supported").isBoolean() && !s.get("supported").asBoolean()) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void overOtlpAnAnswerThatContradictsItsDocumentsIsFlaggedWithTheSentenceAndAFaithfulOneIsNot() {
    String[] bad = ragTrace("POST /support/chat", List.of(POLICY_BEREAVEMENT, POLICY_BAGGAGE),
        "Can I get a bereavement refund after my flight?", CONTRADICTING);
    String[] good = ragTrace("POST /support/chat", List.of(POLICY_BEREAVEMENT, POLICY_BAGGAGE),
        "Can I get a bereavement refund after my flight?", FAITHFUL);

    JsonNode flagged = scoreOf(bad[0], bad[1], "groundedness");
    assertThat(flagged.get("label").asText()).isEqualTo("unsupported");
    assertThat(flagged.get("flagged").asBoolean()).isTrue();
    assertThat(flagged.get("value").asDouble()).isLessThan(1.0);
    assertThat(flagged.get("explanation").asText()).contains("90 days");
    List<JsonNode> offending = unsupported(flagged);
    assertThat(offending).isNotEmpty();
    assertThat(offending.get(0).get("text").asText()).contains("within 90 days after your flight");
    assertThat(offending.get(0).get("passage").get("text").asText()).containsIgnoringCase("bereavement");

    JsonNode faithful = scoreOf(good[0], good[1], "groundedness");
    assertThat(faithful.get("label").asText()).isEqualTo("supported");
    assertThat(faithful.get("flagged").asBoolean()).isFalse();
    assertThat(unsupported(faithful)).isEmpty();

    // the unsafe promise in the contradicting answer is flagged too; the faithful answer promises nothing
    assertThat(scoreOf(bad[0], bad[1], "commitment").get("flagged").asBoolean()).isTrue();
    assertThat(scoreOf(good[0], good[1], "commitment").get("flagged").asBoolean()).isFalse();

    // visible in the list with the score filter, and in the route's quality figures
    JsonNode low = TestServers.get(server, "/api/v1/llm/calls?score=" + enc("groundedness<1") + "&limit=1000");
    assertThat(low.get("calls").findValuesAsText("spanId")).contains(bad[1]).doesNotContain(good[1]);
    JsonNode summary = TestServers.get(server, "/api/v1/llm/summary?groupBy=route&since=-1h");
    JsonNode route = null;
    for (JsonNode g : summary.get("groups")) {
      if (g.get("key").asText().equals("POST /support/chat")) {
        route = g;
      }
    }
    assertThat(route).isNotNull();
    assertThat(route.get("quality").get("groundedness").get("flagged").asLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aGatewayCallInsideTheAppsTraceIsCheckedAgainstTheDocumentsTheAppRetrieved() {
    Span root = tracer.spanBuilder("POST /support/baggage").setSpanKind(SpanKind.SERVER).setNoParent().startSpan();
    Context ctx = Context.root().with(root);
    Span retrieval = tracer.spanBuilder("vector-search").setParent(ctx)
        .setAttribute("openinference.span.kind", "RETRIEVER")
        .setAttribute("retrieval.documents.0.document.id", "baggage-policy")
        .setAttribute("retrieval.documents.0.document.content", POLICY_BAGGAGE).startSpan();
    retrieval.end();
    String traceId = root.getSpanContext().getTraceId();
    String traceparent = "00-" + traceId + "-" + root.getSpanContext().getSpanId() + "-01";
    OpenAIClient openai = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.httpPort() + "/gateway/openai/v1").apiKey("sk-test")
        .putHeader("traceparent", traceparent).build();
    ChatCompletion answer = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addSystemMessage("Answer only from these documents: " + POLICY_BAGGAGE)
        .addUserMessage("How much does a second bag cost?").build());
    assertThat(answer.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).contains("free"));
    root.end();
    tracing.forceFlush().join(10, TimeUnit.SECONDS);

    JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?traceId=" + traceId,
        n -> n.get("calls") != null && n.get("calls").size() == 1);
    String spanId = calls.get("calls").get(0).get("spanId").asText();
    JsonNode g = scoreOf(traceId, spanId, "groundedness");
    assertThat(g.get("flagged").asBoolean()).isTrue();
    assertThat(unsupported(g)).extracting(s -> s.get("text").asText())
        .anySatisfy(t -> assertThat(t).contains("32 kg"));
  }

  @Test
  void personalDataInPromptsIsMaskedInEveryApiAndNeverReachesTheDatabaseFile() throws Exception {
    String email = "jane.doe.q7@example.com";
    String card = "4111 1111 1111 1111";
    String question = "My email is " + email + " and my card is " + card + ". marker-7f3a9c: why was I charged?";
    String[] ids = ragTrace("POST /support/billing", List.of(POLICY_BAGGAGE), question,
        "I have sent the receipt to " + email + ".");
    JsonNode call = TestServers.await(server, "/api/v1/llm/calls/" + ids[0] + "/" + ids[1],
        n -> n.has("content") && n.get("content").get("inputMessages").isTextual());
    List<String> answers = List.of(call.toString(),
        TestServers.get(server, "/api/v1/llm/calls?traceId=" + ids[0] + "&includeContent=true").toString(),
        TestServers.get(server, "/api/v1/traces/" + ids[0]).toString(),
        TestServers.get(server, "/api/v1/traces/" + ids[0] + "/spans/" + ids[1]).toString(),
        TestServers.get(server, "/api/v1/llm/calls?q=marker-7f3a9c&includeContent=true").toString());
    for (String a : answers) {
      assertThat(a).contains("marker-7f3a9c").doesNotContain(email).doesNotContain(card)
          .doesNotContain("4111111111111111");
    }
    assertThat(call.get("content").get("inputMessages").asText()).contains("[email]").contains("[card]");

    // the database file and its WAL: the masked text is there (the check can see it), the raw PII is not
    server.store().calls(new dev.sightline.store.CallQuery(ids[0], null, null, null, null, null, null, 1));
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir.resolve("data"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    boolean markerSeen = false;
    for (Path f : files) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(f.toString()).doesNotContain(email).doesNotContain(card).doesNotContain("4111111111111111");
      markerSeen |= bytes.contains("marker-7f3a9c");
    }
    assertThat(markerSeen).as("the unmasked part of the prompt is found in the files, so the grep can see text").isTrue();
  }

  @Test
  void badInputGetsAScoreOrAReasonNeverACrash() {
    String[] empty = ragTrace("POST /support/chat", List.of(POLICY_BAGGAGE), "Hello?", "");
    JsonNode e = scoreOf(empty[0], empty[1], "groundedness");
    assertThat(e.get("label").asText()).isEqualTo("not_evaluated");
    assertThat(e.get("explanation").asText()).startsWith("not evaluated: ");

    String huge = "The lounge opens at 6 am. ".repeat(40_000); // ≈ 1 MiB of context
    String[] big = ragTrace("POST /support/chat", List.of(huge, POLICY_BAGGAGE), "How much is a second bag?",
        "A second checked bag costs 45 euros per flight.");
    assertThat(scoreOf(big[0], big[1], "groundedness").get("label").asText()).isIn("supported", "unsupported");

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add("Fare rule " + i + ": changes cost " + (10 + i) + " euros.");
    }
    String[] hundred = ragTrace("POST /support/chat", many, "What does a change cost under rule 42?",
        "Under fare rule 42 a change costs 52 euros.", true);
    JsonNode h = scoreOf(hundred[0], hundred[1], "groundedness");
    assertThat(h.get("label").asText()).isEqualTo("supported");
    assertThat(server.evaluations().counters().failuresByEvaluator()).isEmpty();
  }

  @Test
  void anAnswerWithInvalidUtf8IsRepairedOnIngestAndStillJudged() throws Exception {
    String trace = "5e1f0000000000000000000000000001";
    String answer = "A second checked bag costs 45 euros per flight QQQQ.";
    var llm = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.fromHex(trace))
        .setSpanId(com.google.protobuf.ByteString.fromHex("5e1f000000000002")).setName("chat gpt-4o-mini")
        .setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L - 2_000_000_000L)
        .setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
        .addAttributes(kv("gen_ai.operation.name", "chat")).addAttributes(kv("gen_ai.provider.name", "openai"))
        .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"))
        .addAttributes(kv("gen_ai.input.messages", messages("system", POLICY_BAGGAGE)))
        .addAttributes(kv("gen_ai.output.messages", messages("assistant", answer))).build();
    byte[] body = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
            .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(llm)))
        .build().toByteArray();
    byte[] marker = "QQQQ".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + marker.length <= body.length; i++) {
      if (java.util.Arrays.equals(body, i, i + marker.length, marker, 0, marker.length)) {
        body[i + 1] = (byte) 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        body[i + 2] = '(';
      }
    }
    var response = TestServers.HTTP.send(java.net.http.HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);

    JsonNode g = scoreOf(trace, "5e1f000000000002", "groundedness");
    assertThat(g.get("label").asText()).isIn("supported", "unsupported", "not_evaluated");
    JsonNode call = TestServers.get(server, "/api/v1/llm/calls/" + trace + "/5e1f000000000002");
    assertThat(call.get("content").get("outputMessages").asText()).contains("Q\uFFFD(Q"); // repaired, not dropped
    assertThat(server.evaluations().counters().failuresByEvaluator()).isEmpty();
  }

  @Test
  void badQualityQueriesAreRefusedWithTheFix() {
    JsonNode filter = TestServers.get(server, "/api/v1/llm/calls?score=" + enc("groundedness<abc"));
    assertThat(filter.get("_status").asInt()).isEqualTo(400);
    assertThat(filter.get("error").get("message").asText()).contains("needs a number").contains("groundedness<0.7");
    JsonNode noName = TestServers.get(server, "/api/v1/llm/calls?score=" + enc("<0.5"));
    assertThat(noName.get("_status").asInt()).isEqualTo(400);
    JsonNode group = TestServers.get(server, "/api/v1/quality?groupBy=planet");
    assertThat(group.get("_status").asInt()).isEqualTo(400);
    assertThat(group.get("error").get("message").asText()).contains("model, provider, service, route");
    JsonNode points = TestServers.get(server, "/api/v1/quality/timeseries?since=-30d&interval=1m");
    assertThat(points.get("_status").asInt()).isEqualTo(400);
    assertThat(points.get("error").get("code").asText()).isEqualTo("too_many_points");
    assertThat(TestServers.get(server, "/api/v1/quality?since=-1h").get("_status").asInt()).isEqualTo(200);
  }

  private static io.opentelemetry.proto.common.v1.KeyValue kv(String key, String value) {
    return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(key)
        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** JSON string quoting for the messages the test sends. */
  static final class TraceJson {
    static String quote(String s) {
      try {
        return TestServers.JSON.writeValueAsString(s);
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }
  }
}
