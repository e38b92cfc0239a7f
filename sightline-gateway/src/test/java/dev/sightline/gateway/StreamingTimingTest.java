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
    if (gateway != null) { // null when the set-up was skipped (no fixtures)
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
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
    // The upstream's 400 ms starts when the request reaches it, after the gateway's clock started:
    // the gateway's TTFT is never below the script and above it only by the relay's own time.
    assertThat(median(ttft)).as("median TTFT ms %s", ttft).isBetween(400.0, 410.0);
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
    // The upstream's 400 ms starts when the request reaches it, after the gateway's clock started:
    // the gateway's TTFT is never below the script and above it only by the relay's own time.
    assertThat(median(ttft)).as("median TTFT ms %s", ttft).isBetween(400.0, 410.0);
    assertThat(median(tpot)).as("median TPOT ms %s", tpot).isCloseTo(25.0, within(1.0));
    // The longest of 19 gaps on an evenly paced stream is at least the mean gap and picks up any
    // scheduling jitter above it; the scripted stall below checks that the figure is the real one.
    assertThat(median(gaps)).as("median max inter-token gap ms %s", gaps).isBetween(24.0, 60.0);
    assertThat(median(overheads)).as("median overhead header ms").isBetween(0.0, 5.0);
  }

  @Test
  void aMidStreamStallIsTheMaxInterTokenGap() {
    String body = "{\"model\":\"paced-stall\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    for (int i = 0; i < 9; i++) {
      assertThat(gateway.post(gateway.openaiBase() + "/chat/completions", body).statusCode()).isEqualTo(200);
    }
    List<Double> gaps = new ArrayList<>();
    for (Span s : gateway.ingest.await(9)) {
      gaps.add(s.llm().timing().maxInterTokenGapMs());
    }
    // 25 ms between tokens plus a 150 ms stall before the eleventh.
    assertThat(median(gaps)).as("median max inter-token gap ms %s", gaps).isCloseTo(175.0, within(10.0));
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
