package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent OTLP/HTTP protobuf requests all land, span for span. (How fast is measured by
 * the ingest benchmark in sightline-bench, not here.)
 */
class ConcurrentRequestsTest extends ReceiverTestSupport {

  @Test
  void everySpanOfManyConcurrentRequestsLands() {
    Span.Builder[] spans = new Span.Builder[500];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = span("4bf92f3577b34da6a3ce929d0e0e4736", String.format("%016x", i + 1), "chat gpt-4o")
          .setParentSpanId(id("00f067aa0ba902b7"))
          .addAttributes(attr("gen_ai.operation.name", "chat"))
          .addAttributes(attr("gen_ai.provider.name", "openai"))
          .addAttributes(attr("gen_ai.request.model", "gpt-4o"))
          .addAttributes(attr("gen_ai.response.model", "gpt-4o-2024-08-06"))
          .addAttributes(attr("server.address", "api.openai.com"))
          .addAttributes(attr("gen_ai.response.id", "chatcmpl-" + i))
          .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
              .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setIntValue(1200 + i)).build())
          .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("gen_ai.usage.output_tokens")
              .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setIntValue(300)).build());
    }
    byte[] body = traces(spans).toByteArray();
    WebClient client = WebClient.of(server.httpUri());
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
        .contentType(ExportResponses.PROTOBUF).build();
    int requests = 400;
    int concurrency = 8;
    send(client, headers, body, 40, concurrency); // warm-up
    ingest.reset();
    send(client, headers, body, requests, concurrency);
    assertThat(ingest.spans()).hasSize(requests * spans.length);
  }

  private static void send(WebClient client, RequestHeaders headers, byte[] body, int requests, int concurrency) {
    List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < concurrency; lane++) {
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = lane; i < requests; i += concurrency) {
        chain = chain.thenCompose(v -> client.execute(headers, HttpData.wrap(body)).aggregate()
            .thenAccept((AggregatedHttpResponse r) -> assertThat(r.status().code()).isEqualTo(200)));
      }
      lanes.add(chain);
    }
    CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
  }
}
