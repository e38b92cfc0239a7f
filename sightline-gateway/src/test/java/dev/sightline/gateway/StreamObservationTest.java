package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.LlmCall;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the gateway reads streams: events however the bytes are cut, content vs. role-only chunks, Responses events. */
class StreamObservationTest {

  @Test
  void theFixtureSplitsIntoTheSameEventsWhereverTheChunksAreCut() {
    byte[] all = FakeOpenAi.fixtureStream();
    List<String> whole = events(all, all.length);
    assertThat(whole).hasSize(34);
    assertThat(whole.get(whole.size() - 1)).isEqualTo("[DONE]");
    for (int size : new int[] {1, 2, 3, 7, 64, 101, 1000}) {
      assertThat(events(all, size)).as("chunks of %d bytes", size).isEqualTo(whole);
    }
    byte[] crlf = new String(all, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    assertThat(events(crlf, 5)).isEqualTo(whole);
  }

  @Test
  void aSplitterThatKeepsNoRawBytesGivesTheSameEventsWithoutThem() {
    byte[] all = "event: delta\ndata: {\"a\":1}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    List<SseSplitter.Event> kept = new ArrayList<>();
    List<SseSplitter.Event> bare = new ArrayList<>();
    new SseSplitter(true).feed(all, 0, all.length, kept::add);
    new SseSplitter(false).feed(all, 0, all.length, bare::add);
    assertThat(kept).hasSize(2);
    assertThat(bare).hasSize(2);
    assertThat(new String(kept.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("event: delta\ndata: {\"a\":1}\n\n");
    assertThat(bare.get(0).raw()).isNull();
    assertThat(bare.get(0).name()).isEqualTo("delta");
    assertThat(bare.get(0).data()).isEqualTo(kept.get(0).data());
    assertThat(bare.get(1).isDone()).isTrue();
  }

  private static List<String> events(byte[] all, int chunk) {
    SseSplitter s = new SseSplitter();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < all.length; i += chunk) {
      s.feed(all, i, Math.min(chunk, all.length - i), e -> out.add(new String(e.data(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void onlyChunksWithGeneratedContentCountAsTokens() throws Exception {
    StreamTally t = new StreamTally(Operation.CHAT, false);
    long n = 0;
    for (String d : new String[] {
        "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}}]}",
        "{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\"}}]}}]}",
        "{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"}) {
      t.onEvent(new SseSplitter.Event(new byte[0], null, d.getBytes(StandardCharsets.UTF_8)), n += 1_000_000, false);
    }
    assertThat(t.contentEvents).isEqualTo(2);
    assertThat(t.firstContentNanos).isEqualTo(2_000_000);
    assertThat(t.lastContentNanos).isEqualTo(4_000_000);
    assertThat(t.maxGapNanos).isEqualTo(2_000_000);
    assertThat(t.finishReasons).containsExactly("tool_calls");
  }

  @Test
  void usageBucketsAreDisjointAndImpossibleCountsAreRejected() throws Exception {
    var json = FakeOpenAi.JSON;
    assertThat(ReportedUsage.of(json.readTree("{\"prompt_tokens\":100,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":60},\"completion_tokens_details\":{\"reasoning_tokens\":20}}")))
        .isEqualTo(Usage.reported(40, 60, 0, 0, 30, 20));
    assertThat(ReportedUsage.of(json.readTree("{\"prompt_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":60}}"))
        .rejectedReason()).contains("cached_tokens");
    assertThat(ReportedUsage.of(json.readTree("{\"total_tokens\":3}"))).isEqualTo(Usage.NONE);
  }

  @Test
  void aStreamedResponsesCallIsTimedAndCounted() {
    try (FakeOpenAi upstream = new FakeOpenAi();
        GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.ON))) {
      String body = "{\"model\":\"gpt-4.1\",\"stream\":true,\"input\":\"Say hi\",\"instructions\":\"Be kind.\"}";
      HttpResponse<byte[]> via = gateway.post(gateway.openaiBase() + "/responses", body);
      HttpResponse<byte[]> straight = gateway.post(upstream.base() + "/v1/responses", body);
      assertThat(via.body()).isEqualTo(straight.body());

      LlmCall call = gateway.ingest.single().llm();
      assertThat(call.operation()).isEqualTo("responses");
      assertThat(call.streaming()).isTrue();
      assertThat(call.usage()).isEqualTo(Usage.reported(32, 4, 0, 0, 23, 64));
      assertThat(call.responseModel()).isEqualTo("gpt-4.1-2025-04-14");
      assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
      // scripted: created at 30 ms, deltas at 60, 90 and 120 ms (a cold JVM may add to the first)
      assertThat(call.timing().ttftMs()).isGreaterThanOrEqualTo(55.0).isLessThan(5000.0);
      assertThat(call.timing().maxInterTokenGapMs()).isGreaterThanOrEqualTo(15.0);
      assertThat(call.content().inputMessagesJson()).contains("Say hi");
      assertThat(call.content().systemInstructionsJson()).contains("Be kind.");
      assertThat(call.content().outputMessagesJson()).contains("Hi from responses.");
    }
  }

  @Test
  void configurationMistakesAreExplained() {
    assertThatThrownBy(() -> GatewayConfig.defaults().withRoute("openai", URI.create("http://x:1")))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> GatewayConfig.defaults().withRoute("Bad Name!", URI.create("http://x:1")))
        .hasMessageContaining("--gateway-route");
    assertThatThrownBy(() -> GatewayConfig.defaults().withRoute("vllm", URI.create("ftp://x:1")))
        .hasMessageContaining("http://");
    GatewayConfig d = new GatewayConfig(null, Map.of(), null, null, null);
    assertThat(d.openaiUpstream()).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(d.capture()).isEqualTo(CaptureMode.METADATA);
  }
}
