package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.server.config.ConfigException;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The LLM judge end to end: a RAG trace sent over OTLP is judged by a scripted OpenAI-compatible
 * judge reached through Sightline's own gateway; the judge's call is recorded and priced in its own
 * trace and never judged itself; a judge that fails leaves a reason, not a verdict.
 */
class JudgeTest {
  static final String POLICY = "Each passenger may check one bag of up to 23 kg free of charge. "
      + "A second checked bag costs 45 euros per flight.";
  static final String ANSWER = "A second checked bag costs 45 euros. The first bag may weigh up to 32 kg.";
  static final String JUDGE_KEY = "sk-judge-test-key";

  @TempDir static Path dir;
  static Server judgeUpstream;
  static final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  static SightlineServer server;
  static SdkTracerProvider tracing;
  static Tracer tracer;

  /** The judge's verdict depends on the question in the prompt, so that each test scripts its own. */
  static HttpResponse judge(AggregatedHttpRequest req) {
    authorizations.add(String.valueOf(req.headers().get("authorization")));
    String prompt = req.contentUtf8();
    if (prompt.contains("marker-garbage")) {
      return completion("I think the answer is mostly fine, honestly.");
    }
    if (prompt.contains("marker-crash")) {
      return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.JSON_UTF_8,
          "{\"error\":{\"message\":\"the judge model ran out of memory\",\"type\":\"server_error\"}}");
    }
    return completion("{\"sentences\":[{\"index\":0,\"supported\":true,\"reason\":\"the policy says 45 euros\"},"
        + "{\"index\":1,\"supported\":false,\"reason\":\"the policy allows 23 kg, not 32 kg\"}]}");
  }

  static HttpResponse completion(String content) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, """
        {"id":"chatcmpl-judge","object":"chat.completion","created":1780000000,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":412,"completion_tokens":37,"total_tokens":449}}""".formatted(quote(content)));
  }

  @BeforeAll
  static void start() {
    judgeUpstream = Server.builder().http(0).service("/v1/chat/completions",
        (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(JudgeTest::judge))).build();
    judgeUpstream.start().join();
    // the options path, as a user starts it: the key from the environment, a URL without /v1
    SightlineConfig config = parse(Map.of("SIGHTLINE_JUDGE_API_KEY", JUDGE_KEY), "server",
        "--data-dir", dir.resolve("data").toString(), "--http-port", "0", "--otlp-grpc-port", "0",
        "--otlp-http-port", "0", "--evaluators", "judge.groundedness", "--eval-embeddings", "off",
        "--eval-delay", "300ms", "--judge-url", "http://127.0.0.1:" + judgeUpstream.activeLocalPort(),
        "--judge-model", "gpt-4o-mini", "--judge-timeout", "20s");
    server = SightlineServer.start(config);
    tracing = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot")))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").build())
            .setScheduleDelay(Duration.ofMillis(100)).build())
        .build();
    tracer = tracing.get("judge-test");
  }

  @AfterAll
  static void stop() {
    if (tracing != null) {
      tracing.shutdown().join(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    judgeUpstream.stop().join();
  }

  static SightlineConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    ServerCommand cmd = (ServerCommand) r.subcommand().commandSpec().userObject();
    // these tests are about the judge: no keys (ProjectIsolationTest covers them)
    return cmd.options.toConfig().withAccess(dev.sightline.server.config.AccessConfig.open());
  }

  /** A RAG request: a retriever span with the baggage policy, then the LLM call that answered. */
  static String[] ragTrace(String question, String answer) {
    Span root = tracer.spanBuilder("POST /support/chat").setSpanKind(SpanKind.SERVER).setNoParent().startSpan();
    Context ctx = Context.root().with(root);
    tracer.spanBuilder("vector-search").setParent(ctx).setAttribute("openinference.span.kind", "RETRIEVER")
        .setAttribute("retrieval.documents.0.document.id", "baggage-policy")
        .setAttribute("retrieval.documents.0.document.content", POLICY).startSpan().end();
    Span llm = tracer.spanBuilder("chat gpt-4o").setParent(ctx).setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.usage.input_tokens", 300L).setAttribute("gen_ai.usage.output_tokens", 40L)
        .setAttribute("gen_ai.input.messages", messages("user", question))
        .setAttribute("gen_ai.output.messages", messages("assistant", answer)).startSpan();
    String[] ids = {llm.getSpanContext().getTraceId(), llm.getSpanContext().getSpanId()};
    llm.end();
    root.end();
    tracing.forceFlush().join(10, TimeUnit.SECONDS);
    return ids;
  }

  static JsonNode judgeScore(String[] ids) {
    JsonNode call = TestServers.await(server, "/api/v1/llm/calls/" + ids[0] + "/" + ids[1],
        n -> n.has("scores") && n.get("scores").findValuesAsText("name").contains(JudgeEvaluator.NAME));
    for (JsonNode s : call.get("scores")) {
      if (s.get("name").asText().equals(JudgeEvaluator.NAME)) {
        return s;
      }
    }
    throw new AssertionError("no judge score on " + call);
  }

  @Test
  void anAnswerTheJudgeFindsUnsupportedIsFlaggedWithTheSentenceAndTheJudgesCallIsRecordedPricedAndNotJudged() {
    String[] ids = ragTrace("How much is a second bag, and how heavy may the first be?", ANSWER);

    JsonNode score = judgeScore(ids);
    assertThat(score.get("label").asText()).isEqualTo("unsupported");
    assertThat(score.get("flagged").asBoolean()).isTrue();
    assertThat(score.get("value").asDouble()).isEqualTo(0.5);
    assertThat(score.get("explanation").asText()).contains("The first bag may weigh up to 32 kg.")
        .contains("the policy allows 23 kg, not 32 kg");
    JsonNode bad = score.get("details").get("sentences").get(1);
    assertThat(bad.get("supported").asBoolean()).isFalse();
    assertThat(ANSWER.substring(bad.get("start").asInt(), bad.get("end").asInt()))
        .isEqualTo("The first bag may weigh up to 32 kg.");
    assertThat(score.get("details").get("judgeModel").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(authorizations).contains("Bearer " + JUDGE_KEY);

    // the judge's call went through the gateway: recorded in its own trace with tokens and cost
    JsonNode judged = TestServers.await(server, "/api/v1/llm/calls?service=" + JudgeEvaluator.SERVICE + "&limit=100",
        n -> n.get("calls") != null && hasTag(n.get("calls"), "judged-trace=" + ids[0]));
    JsonNode call = null;
    for (JsonNode c : judged.get("calls")) {
      if (c.get("tags").toString().contains("judged-trace=" + ids[0])) {
        call = c;
      }
    }
    assertThat(call.get("traceId").asText()).isNotEqualTo(ids[0]);
    assertThat(call.get("provider").asText()).isEqualTo(JudgeEvaluator.GATEWAY_ROUTE);
    assertThat(call.get("route").asText()).isEqualTo(JudgeEvaluator.ROUTE);
    assertThat(call.get("usage").get("inputTokens").asLong()).isEqualTo(412);
    assertThat(call.get("usage").get("outputTokens").asLong()).isEqualTo(37);
    assertThat(call.get("costUsd").decimalValue()).isPositive();
    assertThat(call.toString()).doesNotContain(JUDGE_KEY);

    // and never judged itself: the policy samples it out, so no score is ever written on it
    String judgeTrace = call.get("traceId").asText();
    String judgeSpan = call.get("spanId").asText();
    awaitCondition(() -> server.evaluations().counters().sampledOut() >= 1);
    assertThat(TestServers.get(server, "/api/v1/llm/calls/" + judgeTrace + "/" + judgeSpan).get("scores")).isEmpty();
  }

  @Test
  void aJudgeThatAnswersGarbageOrFailsLeavesAReasonNotAVerdict() {
    String[] garbage = ragTrace("marker-garbage: how much is a second bag?", ANSWER);
    String[] crash = ragTrace("marker-crash: how much is a second bag?", ANSWER);

    JsonNode g = judgeScore(garbage);
    assertThat(g.get("label").asText()).isEqualTo("not_evaluated");
    assertThat(g.get("flagged").isNull()).isTrue();
    assertThat(g.get("explanation").asText()).isEqualTo("not evaluated: the judge's answer was not the JSON asked for");

    JsonNode c = judgeScore(crash);
    assertThat(c.get("label").asText()).isEqualTo("not_evaluated");
    assertThat(c.get("explanation").asText()).contains("HTTP 500").contains("ran out of memory");
  }

  @Test
  void judgeOptionsAreCheckedWithTheFixInTheMessage() {
    SightlineConfig c = parse(Map.of(), "server", "--judge-url", "http://127.0.0.1:11434/v1/", "--judge-model",
        "llama3.1:8b", "--gateway-route-capture", "judge=off", "--eval-route", "judge.groundedness=1");
    assertThat(c.evaluation().evaluators()).containsExactly("groundedness", "commitment", "injection",
        "judge.groundedness");
    assertThat(c.evaluation().judge().url()).isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
    assertThat(c.evaluation().judge().timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.gateway().namedRoutes()).containsEntry("judge", URI.create("http://127.0.0.1:11434/v1"));
    assertThat(c.gateway().captureFor("judge")).isEqualTo(dev.sightline.gateway.CaptureMode.OFF);
    // the judge's calls are out of the sample whatever the user's rates say
    assertThat(c.evaluation().settings().policy().rateFor(JudgeEvaluator.ROUTE, JudgeEvaluator.SERVICE)).isZero();
    assertThat(c.evaluation().settings().policy().rateFor(null, JudgeEvaluator.SERVICE)).isZero();
    assertThat(parse(Map.of(), "server", "--evaluators", "off", "--judge-url", "http://h:1/v1", "--judge-model", "m")
        .evaluation().evaluators()).containsExactly("judge.groundedness");
    assertThat(parse(Map.of(), "server").evaluation().judge()).isNull();
    assertThat(parse(Map.of(), "server").gateway().namedRoutes()).doesNotContainKey("judge");

    assertThatThrownBy(() -> parse(Map.of(), "server", "--judge-url", "http://127.0.0.1:8000/v1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--judge-url needs --judge-model");
    assertThatThrownBy(() -> parse(Map.of("SIGHTLINE_JUDGE_MODEL", "m"), "server"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--judge-url is not");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--evaluators", "groundedness,judge.groundedness"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("judge.groundedness needs a judge model");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--judge-url", "ftp://x/v1", "--judge-model", "m"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--judge-url", "http://x/v1", "--judge-model", "m",
        "--judge-timeout", "soon")).isInstanceOf(ConfigException.class).hasMessageContaining("--judge-timeout");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--gateway-route", "judge=http://127.0.0.1:9/v1",
        "--judge-url", "http://x/v1", "--judge-model", "m"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("route name 'judge' is used by --judge-url");
    assertThat(c.evaluation().judge().toString()).doesNotContain("sk-");
  }

  @Test
  void theServerReachesItselfOnLoopbackWhenBoundToEveryInterface() {
    assertThat(SightlineServer.selfBase("0.0.0.0", 7700)).isEqualTo(URI.create("http://127.0.0.1:7700"));
    assertThat(SightlineServer.selfBase("127.0.0.1", 81)).isEqualTo(URI.create("http://127.0.0.1:81"));
    assertThat(SightlineServer.selfBase("::1", 81)).isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:81"));
  }

  private static boolean hasTag(JsonNode calls, String tag) {
    for (JsonNode c : calls) {
      if (c.get("tags").toString().contains(tag)) {
        return true;
      }
    }
    return false;
  }

  private static void awaitCondition(java.util.function.BooleanSupplier until) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!until.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String messages(String role, String text) {
    return "[{\"role\":\"" + role + "\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(text) + "}]}]";
  }

  static String quote(String s) {
    try {
      return TestServers.JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
