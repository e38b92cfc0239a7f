package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.TtftSource;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TTFT and TPOT measured on the wire (ARCHITECTURE.md §5) against upstreams (OpenAI-compatible
 * SSE and Anthropic Messages SSE) that stream on a script: first token 400 ms after the request,
 * then one every 25 ms, 20 tokens in all. Medians
 * over 20 calls keep the assertion about accuracy, not about a quiet machine.
 */
class StreamingTimingTest {
  static FakeOpenAi upstream;
  static FakeAnthropic anthropic;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    anthropic = new FakeAnthropic();
    gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA)
        .withAnthropicUpstream(java.net.URI.create(anthropic.base())));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    anthropic.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void reset() {
    gateway.ingest.reset();
  }

  @Test
  void anthropicMedianTtftAndTpotMatchTheScript() {
    String url = gateway.base() + "/gateway/anthropic/v1/messages";
    String body = "{\"model\":\"claude-paced\",\"stream\":true,\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    // Warm the path first (JIT, pooled connection): the script is about measurement, not a cold JVM.
    for (int i = 0; i < 100; i++) {
      gateway.post(url, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}");
    }
    gateway.ingest.await(100);
    gateway.ingest.reset();
    for (int i = 0; i < 20; i++) {
      HttpResponse<byte[]> r = gateway.post(url, body);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new String(r.body())).contains("t19 ").endsWith("{\"type\":\"message_stop\"}\n\n");
    }
    List<Span> spans = gateway.ingest.await(20);
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    for (Span s : spans) {
      LlmCall call = s.llm();
      assertThat(call.provider()).isEqualTo("anthropic");
      assertThat(call.usage().outputTokens()).isEqualTo(20);
      assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
      ttft.add(call.timing().ttftMs());
      tpot.add(call.timing().tpotMs(call.usage().outputTokens()));
    }
    assertThat(median(ttft)).as("median TTFT ms %s", ttft).isCloseTo(400.0, within(3.0));
    assertThat(median(tpot)).as("median TPOT ms %s", tpot).isCloseTo(25.0, within(1.0));
    gateway.ingest.reset();
  }

  @Test
  void openaiMedianTtftAndTpotMatchTheScript() {
    String body = "{\"model\":\"paced\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    // Warm the path first (JIT, pooled connection): the script is about measurement, not a cold JVM.
    String warm = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"w\"}]}";
    for (int i = 0; i < 100; i++) {
      gateway.post(gateway.openaiBase() + "/chat/completions", warm);
    }
    gateway.ingest.await(100);
    gateway.ingest.reset();
    List<Double> overheads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", body);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new String(r.body())).doesNotContain("usage").endsWith("data: [DONE]\n\n");
      overheads.add(Double.parseDouble(r.headers().firstValue(Relay.OVERHEAD_HEADER).orElseThrow()));
    }
    List<Span> spans = gateway.ingest.await(20);
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    for (Span s : spans) {
      LlmCall call = s.llm();
      assertThat(call.usage().outputTokens()).isEqualTo(20);
      assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
      ttft.add(call.timing().ttftMs());
      tpot.add(call.timing().tpotMs(call.usage().outputTokens()));
      gaps.add(call.timing().maxInterTokenGapMs());
      assertThat(call.timing().outputTokensPerSecond(20)).isBetween(30.0, 50.0);
    }
    assertThat(median(ttft)).as("median TTFT ms %s", ttft).isCloseTo(400.0, within(3.0));
    assertThat(median(tpot)).as("median TPOT ms %s", tpot).isCloseTo(25.0, within(1.0));
    assertThat(median(gaps)).as("median max inter-token gap ms").isCloseTo(25.0, within(5.0));
    assertThat(median(overheads)).as("median overhead header ms").isBetween(0.0, 5.0);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
