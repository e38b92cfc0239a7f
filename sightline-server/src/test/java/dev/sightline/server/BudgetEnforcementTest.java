package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.server.config.AlertsConfig;
import dev.sightline.server.config.SightlineConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hard budget in the running server: 64 clients (the real openai-java SDK) stream through the
 * gateway until refused. Once any client has been told 429, no call started after that gets through;
 * what was admitted stays within the limit plus the calls in flight when it was reached; the budget
 * API, /metrics and the alerts all say so.
 */
class BudgetEnforcementTest {
  /** gpt-4o: 1,000 input tokens × $2.5e-6 + 100 output tokens × $1e-5. */
  static final BigDecimal CALL_USD = new BigDecimal("0.0035");
  static final int STREAMS = 64;

  @TempDir Path dir;

  @Test
  void aHardBudgetRefusesEveryCallAfterItsLimitWith64ConcurrentStreams() throws Exception {
    AtomicInteger upstreamCalls = new AtomicInteger();
    Server upstream = scriptedUpstream(upstreamCalls);
    GatewayConfig gateway = new GatewayConfig(URI.create("http://127.0.0.1:" + upstream.activeLocalPort()), Map.of(),
        null, null, CaptureMode.METADATA);
    // ten calls' worth on /burst; the other route has no budget and must not be affected
    AlertsConfig alerts = AlertsConfig.parse(List.of(), List.of(), Duration.ofHours(1), false,
        List.of("burst=route:/burst,0.035/month,hard"));
    ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
    try (SightlineServer s = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withGateway(gateway).withAlerts(alerts))) {
      String base = "http://127.0.0.1:" + s.httpPort() + "/gateway/openai/v1";
      OpenAIClient burst = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(base)
          .putHeader("x-sightline-route", "/burst").maxRetries(0).build();
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
          .addUserMessage("Say hello").build();
      long origin = System.nanoTime();
      AtomicLong firstRefusalSeen = new AtomicLong(Long.MAX_VALUE);
      List<long[]> admittedStarts = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger refused = new AtomicInteger();
      List<String> refusalBodies = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        workers.add(pool.submit(() -> {
          go.await();
          while (true) {
            long started = System.nanoTime() - origin;
            try (StreamResponse<ChatCompletionChunk> stream = burst.chat().completions().createStreaming(params)) {
              assertThat(stream.stream().count()).isPositive();
              admittedStarts.add(new long[] {started});
            } catch (RateLimitException e) {
              firstRefusalSeen.accumulateAndGet(System.nanoTime() - origin, Math::min);
              refused.incrementAndGet();
              refusalBodies.add(e.headers().values("retry-after") + " " + e.body());
              return null;
            }
          }
        }));
      }
      go.countDown();
      for (Future<?> w : workers) {
        w.get(120, TimeUnit.SECONDS);
      }
      burst.close();

      int admitted = admittedStarts.size();
      // the limit is reachable: at least ten calls' worth went through
      assertThat(admitted).isGreaterThanOrEqualTo(10);
      // overshoot bounded by the calls in flight when the limit was reached: at most one per other client
      assertThat(CALL_USD.multiply(BigDecimal.valueOf(admitted)))
          .isLessThanOrEqualTo(new BigDecimal("0.035").add(CALL_USD.multiply(BigDecimal.valueOf(STREAMS - 1))));
      // once any client was told 429, nothing that started later got through
      assertThat(admittedStarts).noneMatch(start -> start[0] > firstRefusalSeen.get());
      assertThat(refused.get()).isEqualTo(STREAMS);
      assertThat(upstreamCalls.get()).isEqualTo(admitted);
      assertThat(refusalBodies).allSatisfy(b -> assertThat(b)
          .contains("type=budget_exceeded").contains("budget=burst").contains("Budget 'burst' (route /burst)")
          .contains("scope_value=/burst").contains("resets_at=").doesNotStartWith("[]"));

      // a call on another route is not in the budget's scope
      OpenAIClient other = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(base)
          .putHeader("x-sightline-route", "/other").maxRetries(0).build();
      try (StreamResponse<ChatCompletionChunk> stream = other.chat().completions().createStreaming(params)) {
        assertThat(stream.stream().count()).isPositive();
      } finally {
        other.close();
      }

      // what was stored is what was admitted, at its exact price
      JsonNode budgets = TestServers.await(s, "/api/v1/budgets", n -> n.get("budgets").get(0).get("spentUsd") != null
          && new BigDecimal(n.get("budgets").get(0).get("spentUsd").asText())
              .compareTo(CALL_USD.multiply(BigDecimal.valueOf(admitted))) == 0);
      JsonNode b = budgets.get("budgets").get(0);
      assertThat(b.get("name").asText()).isEqualTo("burst");
      assertThat(b.get("state").asText()).isEqualTo("exhausted");
      assertThat(b.get("hard").asBoolean()).isTrue();
      assertThat(b.get("refusals").asLong()).isEqualTo(STREAMS);
      JsonNode burn = TestServers.get(s, "/api/v1/budgets/burndown?name=burst");
      JsonNode last = burn.get("spent").get(burn.get("spent").size() - 1);
      assertThat(new BigDecimal(last.get("usd").asText())).isEqualByComparingTo(CALL_USD.multiply(BigDecimal.valueOf(admitted)));
      assertThat(TestServers.get(s, "/api/v1/budgets/burndown?name=nope").get("_status").asInt()).isEqualTo(404);

      String metrics = TestServers.HTTP.send(java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + s.httpPort() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("sightline_gateway_budget_refusals_total{budget=\"burst\"} " + STREAMS)
          .contains("sightline_budget_limit_usd{budget=\"burst\"} 0.035");

      // the budget's alerts: the soft one warns, the limit one is critical since the budget is hard
      s.alerts().runOnce(java.time.Instant.now());
      JsonNode firing = TestServers.get(s, "/api/v1/alerts").get("firing");
      assertThat(firing).hasSize(2);
      for (JsonNode f : firing) {
        assertThat(f.get("state").asText()).isEqualTo("firing");
        assertThat(f.get("severity").asText()).isEqualTo(f.get("ruleId").asText().equals("budget:burst") ? "critical"
            : "warning");
      }
      assertThat(firing.findValuesAsText("ruleId")).containsExactlyInAnyOrder("budget:burst", "budget:burst:soft");
    } finally {
      pool.shutdownNow();
      upstream.stop().join();
    }
  }

  /** An OpenAI-compatible stream: five content chunks 10 ms apart, then usage (1,000 in, 100 out). */
  private static Server scriptedUpstream(AtomicInteger calls) {
    Server upstream = Server.builder().http(0)
        .service("/v1/chat/completions", (ctx, req) -> {
          calls.incrementAndGet();
          HttpResponseWriter w = HttpResponse.streaming();
          w.write(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM));
          for (int i = 0; i <= 6; i++) {
            int n = i;
            ctx.eventLoop().schedule(() -> {
              if (n < 5) {
                w.tryWrite(HttpData.ofUtf8("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + n
                    + " \"},\"finish_reason\":null}]}\n\n"));
              } else if (n == 5) {
                w.tryWrite(HttpData.ofUtf8("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
                    + "\"completion_tokens\":100,\"total_tokens\":1100}}\n\n"));
              } else {
                w.tryWrite(HttpData.ofUtf8("data: [DONE]\n\n"));
                w.close();
              }
            }, 10L * (i + 1), TimeUnit.MILLISECONDS);
          }
          return w;
        })
        .build();
    upstream.start().join();
    return upstream;
  }
}
