package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A spent budget answers 429 with the budget's JSON and Retry-After, and the upstream never sees the call. */
class BudgetRefusalTest {
  private static final CallAdmission.Refusal CHAT_SPENT = new CallAdmission.Refusal("chat", "route", "/chat",
      "50.00", "50.02", Instant.parse("2027-01-01T00:00:00Z"), Duration.ofMillis(3_600_500),
      "Budget 'chat' (route /chat): $50.02 of $50.00 per month spent; new calls are refused until"
          + " 2027-01-01T00:00:00Z.");
  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void aRefusedCallGetsTheBudgetsJsonAndRetryAfterAndIsNotRelayed() throws Exception {
    List<String> asked = new ArrayList<>();
    CallAdmission chatSpent = (service, route, user) -> {
      synchronized (asked) {
        asked.add(service + "|" + route + "|" + user);
      }
      return "/chat".equals(route) ? CHAT_SPENT : null;
    };
    try (FakeOpenAi upstream = new FakeOpenAi();
        GatewayHarness gw = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA), null,
            chatSpent)) {
      HttpResponse<byte[]> r = gw.post(gw.openaiBase() + "/chat/completions", CHAT, "x-sightline-route", "/chat",
          "x-sightline-service", "web", "x-sightline-user-id", "alice");
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("retry-after")).hasValue("3601");
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(
          "application/json"));
      assertThat(FakeOpenAi.JSON.readTree(r.body())).isEqualTo(FakeOpenAi.JSON.readTree(
          "{\"error\":{\"type\":\"budget_exceeded\",\"code\":\"budget_exceeded\",\"message\":\"Budget 'chat'"
              + " (route /chat): $50.02 of $50.00 per month spent; new calls are refused until"
              + " 2027-01-01T00:00:00Z.\",\"budget\":\"chat\",\"scope\":\"route\",\"scope_value\":\"/chat\","
              + "\"limit_usd\":\"50.00\",\"spent_usd\":\"50.02\",\"resets_at\":\"2027-01-01T00:00:00Z\"}}"));
      assertThat(upstream.requests.get()).isZero();

      HttpResponse<byte[]> other = gw.post(gw.openaiBase() + "/chat/completions", CHAT, "x-sightline-route",
          "/search");
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(upstream.requests.get()).isEqualTo(1);
      assertThat(asked).containsExactly("web|/chat|alice", "sightline-gateway|/search|null");
      assertThat(gw.gateway.budgetRefusals()).isEqualTo(Map.of("chat", 1L));
      // only the relayed call is recorded (the record is handed over just after the response ends)
      assertThat(gw.ingest.single().llm().requestModel()).isEqualTo("gpt-4o");
    }
  }

  @Test
  void sixtyFourConcurrentStreamsGetExactlyTheAdmittedNumberThrough() throws Exception {
    int admittedCalls = 23;
    AtomicInteger asked = new AtomicInteger();
    CallAdmission flips = (service, route, user) -> asked.incrementAndGet() <= admittedCalls ? null : CHAT_SPENT;
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Say hello").build();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try (FakeOpenAi upstream = new FakeOpenAi();
        GatewayHarness gw = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA), null,
            flips)) {
      OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(gw.openaiBase())
          .putHeader("x-sightline-route", "/chat").maxRetries(0).build();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        outcomes.add(pool.submit(() -> {
          go.await();
          try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            return "ok:" + s.stream().count();
          } catch (RateLimitException e) {
            return "429:" + e.headers().values("retry-after") + ":" + e.body().toString().contains("Budget 'chat'");
          }
        }));
      }
      go.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> f : outcomes) {
        results.add(f.get());
      }
      client.close();
      long ok = results.stream().filter(r -> r.startsWith("ok:")).count();
      assertThat(ok).isEqualTo(admittedCalls);
      assertThat(results).filteredOn(r -> r.startsWith("ok:")).allMatch(r -> !r.equals("ok:0"));
      assertThat(results).filteredOn(r -> !r.startsWith("ok:")).hasSize(64 - admittedCalls)
          .allMatch(r -> r.equals("429:[3601]:true"));
      assertThat(upstream.requests.get()).isEqualTo(admittedCalls);
      assertThat(gw.gateway.budgetRefusals()).isEqualTo(Map.of("chat", 64L - admittedCalls));
    } finally {
      pool.shutdownNow();
    }
  }
}
