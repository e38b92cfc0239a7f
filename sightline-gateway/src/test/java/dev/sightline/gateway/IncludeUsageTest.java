package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The one change the gateway makes to a request: a streamed chat without
 * {@code stream_options.include_usage} is sent with it, and what that adds to the stream is taken
 * out again, so the client gets exactly the bytes it asked for.
 */
class IncludeUsageTest extends OpenAiGatewayTest {
  static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void usageIsAskedForUpstreamAndItsChunkNeverReachesTheClient() {
    HttpResponse<byte[]> via = gateway.post(gateway.openaiBase() + "/chat/completions", STREAM);
    byte[] sentUpstream = upstream.lastBody;
    HttpResponse<byte[]> straight = gateway.post(upstream.base() + "/v1/chat/completions", STREAM);

    assertThat(new String(sentUpstream, StandardCharsets.UTF_8))
        .isEqualTo("{\"stream_options\":{\"include_usage\":true}," + STREAM.substring(1));
    assertThat(via.statusCode()).isEqualTo(200);
    assertThat(via.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
    assertThat(new String(via.body(), StandardCharsets.UTF_8)).isEqualTo(new String(straight.body(), StandardCharsets.UTF_8));
    assertThat(via.body()).isEqualTo(straight.body());
    assertThat(new String(via.body(), StandardCharsets.UTF_8)).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");

    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.usage()).isEqualTo(Usage.reported(14, 0, 0, 0, 30, 0));
    assertThat(gateway.ingest.spans.get(0).attributes()).containsEntry("sightline.gateway.usage_injected", true);
  }

  @Test
  void aClientThatAsksForUsageGetsTheUpstreamStreamUntouched() {
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<byte[]> via = gateway.post(gateway.openaiBase() + "/chat/completions", body);
    assertThat(new String(upstream.lastBody, StandardCharsets.UTF_8)).isEqualTo(body);
    HttpResponse<byte[]> straight = gateway.post(upstream.base() + "/v1/chat/completions", body);

    assertThat(via.body()).isEqualTo(straight.body());
    assertThat(new String(via.body(), StandardCharsets.UTF_8)).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":14");
    assertThat(gateway.ingest.single().llm().usage()).isEqualTo(Usage.reported(14, 0, 0, 0, 30, 0));
  }

  @Test
  void streamOptionsWithoutIncludeUsageAreCompletedAndStillStripped() {
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<byte[]> via = gateway.post(gateway.openaiBase() + "/chat/completions", body);
    boolean asked = FakeOpenAi.read(upstream.lastBody, j -> j.path("stream_options").path("include_usage").asBoolean());
    assertThat(asked).isTrue();
    HttpResponse<byte[]> straight = gateway.post(upstream.base() + "/v1/chat/completions", body);
    assertThat(via.body()).isEqualTo(straight.body());
    assertThat(gateway.ingest.single().llm().usage().outputTokens()).isEqualTo(30);
  }

  @Test
  void nonStreamedRequestsAreForwardedByteForByte() {
    String body = "{ \"model\" : \"gpt-4o\",\n \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}] }";
    gateway.post(gateway.openaiBase() + "/chat/completions", body);
    assertThat(new String(upstream.lastBody, StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void usageNullOnEveryChunkIsRemovedOnlyWhereTheGatewayCausedIt() {
    byte[] chunk = "data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(new String(NullUsage.strip(chunk), StandardCharsets.UTF_8))
        .isEqualTo("data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n");
    byte[] first = "data: {\"usage\": null, \"id\":\"x\"}\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(new String(NullUsage.strip(first), StandardCharsets.UTF_8)).isEqualTo("data: { \"id\":\"x\"}\n\n");
    byte[] quoted = "data: {\"choices\":[{\"delta\":{\"content\":\"say \\\"usage\\\":null\"}}]}\n\n"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(NullUsage.strip(quoted)).isEqualTo(quoted);
  }
}
