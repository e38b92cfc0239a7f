package dev.sightline.evaluators.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.evaluators.EvaluationPolicy;
import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge evaluator against a scripted gateway: what it sends (model, JSON mode, Sightline's
 * attribution headers, the key), the score it makes of a verdict, and a reason for every failure.
 */
class JudgeEvaluatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANSWER = "A second bag costs 45 euros. The first bag may weigh 32 kg.";
  private static final String POLICY = "Each passenger may check one bag of up to 23 kg free of charge. "
      + "A second checked bag costs 45 euros per flight.";

  private record Seen(String path, Map<String, List<String>> headers, String body) {}

  private HttpServer gateway;
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  /** What the scripted gateway answers next: status and body, by request body (for the retry). */
  private final AtomicReference<java.util.function.Function<String, Object[]>> script = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private JudgeEvaluator judge;

  @BeforeEach
  void start() throws IOException {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.setExecutor(Executors.newCachedThreadPool());
    gateway.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(new Seen(ex.getRequestURI().getPath(), ex.getRequestHeaders(), body));
      Object[] r = script.get().apply(body);
      if (r == null) {
        try {
          release.await(); // never answers while the test runs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
        return;
      }
      byte[] out = ((String) r[1]).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders((Integer) r[0], out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    gateway.start();
    judge = evaluator(Duration.ofSeconds(30));
  }

  private JudgeEvaluator evaluator(Duration timeout) {
    URI base = URI.create("http://127.0.0.1:" + gateway.getAddress().getPort());
    return new JudgeEvaluator(new JudgeSettings(URI.create("http://127.0.0.1:11434"), "gpt-4o-mini", "sk-judge-secret",
        timeout), () -> base);
  }

  @AfterEach
  void stop() {
    release.countDown();
    judge.close();
    gateway.stop(0);
  }

  private static String completion(String verdictJson) throws IOException {
    return JSON.writeValueAsString(Map.of("id", "chatcmpl-j", "object", "chat.completion", "model",
        "gpt-4o-mini-2024-07-18", "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
            "message", Map.of("role", "assistant", "content", verdictJson))),
        "usage", Map.of("prompt_tokens", 300, "completion_tokens", 40, "total_tokens", 340)));
  }

  private static EvaluationInput input(String service, String answer) {
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o", null, null, null, null, null, null,
        new CallContext("t1", "s1", service, null, null, null, null, null, null), null);
    return new EvaluationInput(call, answer, "How much is a second bag?",
        List.of(new ContextPassage("retrieval", "r1", "baggage-policy", POLICY)));
  }

  private Score evaluate() {
    List<Score> scores = judge.evaluate(input("support-bot", ANSWER));
    assertThat(scores).hasSize(1);
    return scores.get(0);
  }

  @Test
  void aVerdictBecomesAScoreShapedLikeGroundedness() throws Exception {
    String verdict = "{\"sentences\":[{\"index\":0,\"supported\":true,\"reason\":\"the policy says 45 euros\"},"
        + "{\"index\":1,\"supported\":false,\"reason\":\"the policy allows 23 kg, not 32 kg.\"}]}";
    script.set(b -> new Object[] {200, uncheck(() -> completion(verdict))});

    Score s = evaluate();
    assertThat(s.name()).isEqualTo("judge.groundedness");
    assertThat(s.value()).isEqualTo(0.5);
    assertThat(s.label()).isEqualTo("unsupported");
    assertThat(s.flagged()).isTrue();
    assertThat(s.explanation()).isEqualTo("“The first bag may weigh 32 kg.” — the judge: the policy allows 23 kg, not 32 kg.");
    JsonNode d = JSON.readTree(s.detailsJson());
    assertThat(d.get("judgeModel").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    JsonNode second = d.get("sentences").get(1);
    assertThat(ANSWER.substring(second.get("start").asInt(), second.get("end").asInt()))
        .isEqualTo("The first bag may weigh 32 kg.");
    assertThat(second.get("supported").asBoolean()).isFalse();
    assertThat(second.get("reasons").get(0).asText()).contains("23 kg");
    assertThat(second.get("passage").isNull()).isTrue();
    assertThat(second.get("similarity").isNull()).isTrue();

    Seen req = seen.poll();
    assertThat(req.path()).isEqualTo("/gateway/judge/chat/completions");
    assertThat(req.headers().get("X-sightline-service")).containsExactly("sightline-judge");
    assertThat(req.headers().get("X-sightline-route")).containsExactly("judge.groundedness");
    assertThat(req.headers().get("X-sightline-tags")).containsExactly("judged-trace=t1");
    assertThat(req.headers().get("Authorization")).containsExactly("Bearer sk-judge-secret");
    JsonNode body = JSON.readTree(req.body());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.get("response_format").get("type").asText()).isEqualTo("json_object");
    assertThat(body.get("messages").get(1).get("content").asText()).contains(POLICY)
        .contains("1: The first bag may weigh 32 kg.");
  }

  @Test
  void httpErrorsGarbageAndTimeoutsAreNotEvaluatedWithTheReason() {
    script.set(b -> new Object[] {500, "{\"error\":{\"message\":\"model crashed\",\"type\":\"server_error\"}}"});
    Score err = evaluate();
    assertThat(err.evaluated()).isFalse();
    assertThat(err.explanation()).isEqualTo("not evaluated: the judge answered HTTP 500: model crashed");

    script.set(b -> new Object[] {401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-judge-secret\"}}"});
    assertThat(evaluate().explanation()).contains("HTTP 401").contains("[api key]").doesNotContain("sk-judge-secret");

    script.set(b -> new Object[] {200, uncheck(() -> completion("Both sentences are fine."))});
    Score prose = evaluate();
    assertThat(prose.label()).isEqualTo(Score.NOT_EVALUATED);
    assertThat(prose.explanation()).isEqualTo("not evaluated: " + JudgeAnswer.NOT_JSON);

    script.set(b -> null);
    judge.close();
    judge = evaluator(Duration.ofMillis(300));
    assertThat(evaluate().explanation()).isEqualTo("not evaluated: the judge did not answer within 300ms (--judge-timeout)");
  }

  @Test
  void aServerThatRejectsJsonModeIsAskedAgainWithThePromptAlone() throws Exception {
    String verdict = "{\"sentences\":[{\"index\":0,\"supported\":true},{\"index\":1,\"supported\":true}]}";
    script.set(b -> b.contains("response_format")
        ? new Object[] {400, "{\"error\":{\"message\":\"unknown field response_format\"}}"}
        : new Object[] {200, uncheck(() -> completion(verdict))});
    Score s = evaluate();
    assertThat(s.label()).isEqualTo("supported");
    assertThat(s.value()).isEqualTo(1.0);
    assertThat(s.explanation()).contains("all 2 checkable sentences supported");
    assertThat(seen).hasSize(2);
    evaluate();
    assertThat(seen).hasSize(3); // remembered: one request each from now on
  }

  @Test
  void nothingToJudgeNoPortYetAndTheJudgesOwnCallsAreNotEvaluatedWithoutARequest() {
    script.set(b -> new Object[] {500, "{}"});
    assertThat(judge.evaluate(input("support-bot", "  ")).get(0).explanation()).isEqualTo("not evaluated: empty answer");
    assertThat(judge.evaluate(new EvaluationInput(input("a", ANSWER).call(), ANSWER, "", List.of())).get(0)
        .explanation()).isEqualTo("not evaluated: no context to check against");
    assertThat(judge.evaluate(input(JudgeEvaluator.SERVICE, ANSWER)).get(0).explanation())
        .contains("the judge's own call");
    assertThat(judge.evaluate(null).get(0).explanation()).isEqualTo("not evaluated: no input");
    try (JudgeEvaluator unbound = new JudgeEvaluator(judge.settings(), () -> null)) {
      assertThat(unbound.evaluate(input("a", ANSWER)).get(0).explanation()).contains("HTTP port is not open yet");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void thePolicyNeverSamplesTheJudgesCallsWhateverElseItSays() {
    EvaluationPolicy p = JudgeEvaluator.withoutOwnCalls(new EvaluationPolicy(1.0, Map.of("POST /chat", 1.0),
        Map.of(JudgeEvaluator.SERVICE, 1.0, "web", 0.5)));
    assertThat(p.sampled("t", "s", JudgeEvaluator.ROUTE, JudgeEvaluator.SERVICE)).isFalse();
    assertThat(p.sampled("t", "s", null, JudgeEvaluator.SERVICE)).isFalse();
    assertThat(p.rateFor("POST /chat", "web")).isEqualTo(1.0);
    assertThat(p.rateFor(null, "web")).isEqualTo(0.5);
    assertThat(p.rateFor(null, "other")).isEqualTo(1.0);
  }

  @Test
  void settingsNormaliseTheUrlAndNeverShowTheKey() {
    JudgeSettings bare = new JudgeSettings(URI.create("http://127.0.0.1:11434/"), " llama3.1:8b ", "sk-x", null);
    assertThat(bare.url()).isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
    assertThat(bare.model()).isEqualTo("llama3.1:8b");
    assertThat(bare.timeout()).isEqualTo(JudgeSettings.DEFAULT_TIMEOUT);
    assertThat(bare.toString()).doesNotContain("sk-x");
    assertThat(new JudgeSettings(URI.create("https://openrouter.ai/api/v1/"), "m", null, null).url())
        .isEqualTo(URI.create("https://openrouter.ai/api/v1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JudgeSettings(URI.create("ftp://x/v1"), "m", null, null))
        .hasMessageContaining("http:// or https://");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JudgeSettings(URI.create("http://x/v1"), " ", null, null))
        .hasMessageContaining("--judge-model");
  }

  private interface Io<T> {
    T get() throws IOException;
  }

  private static <T> T uncheck(Io<T> f) {
    try {
      return f.get();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
