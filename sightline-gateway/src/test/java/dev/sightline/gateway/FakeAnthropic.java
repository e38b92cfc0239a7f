package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Anthropic Messages upstream for tests, answering by the request's model:
 * {@code claude-cache} reports a cache read plus 5-minute and 1-hour cache writes,
 * {@code claude-429} answers a rate-limit error, {@code claude-stream-error} breaks off its stream
 * with an {@code error} event, {@code claude-paced} streams on a timing script; any other model
 * answers a plain message. Streams send their first
 * content delta {@link #FIRST_DELTA_MS} after the request arrived, then one every 20 ms.
 */
final class FakeAnthropic implements AutoCloseable {
  static final long FIRST_DELTA_MS = 120;
  static final String PLAIN_USAGE = "{\"input_tokens\":21,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
      + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":%d,\"service_tier\":\"standard\"}";
  static final String CACHE_USAGE = "{\"input_tokens\":7,\"cache_creation_input_tokens\":350,"
      + "\"cache_read_input_tokens\":1200,\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,"
      + "\"ephemeral_1h_input_tokens\":250},\"output_tokens\":%d,\"service_tier\":\"standard\"}";
  static final String ERROR_429 = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
      + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},\"request_id\":\"req_429\"}";

  final Server server;
  volatile RequestHeaders lastHeaders;
  volatile byte[] lastBody;

  FakeAnthropic() {
    server = Server.builder()
        .http(0)
        .requestTimeout(Duration.ZERO)
        .service("/v1/messages", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> messages(ctx, a))))
        .service("/v1/messages/count_tokens", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a ->
            HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"input_tokens\":14}"))))
        .build();
    server.start().join();
  }

  String base() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  private HttpResponse messages(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    lastHeaders = a.headers();
    lastBody = a.content().array();
    JsonNode body;
    try {
      body = FakeOpenAi.JSON.readTree(lastBody);
    } catch (IOException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON,
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad json\"}}");
    }
    String model = body.path("model").asText("");
    if (model.equals("claude-429")) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.JSON)
          .add("request-id", "req_429").add("retry-after", "7").build(), HttpData.ofUtf8(ERROR_429));
    }
    if (model.equals("claude-paced")) {
      return paced(ctx);
    }
    String usage = model.equals("claude-cache") ? CACHE_USAGE : PLAIN_USAGE;
    String responseModel = model + "-20250929";
    if (!body.path("stream").asBoolean(false)) {
      String message = "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + responseModel
          + "\",\"content\":[{\"type\":\"text\",\"text\":\"Hello from Claude.\"}],\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null,\"usage\":" + usage.formatted(40) + "}";
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON)
          .add("request-id", "req_01").add("anthropic-organization-id", "org-1").build(), HttpData.ofUtf8(message));
    }
    List<String> later = new ArrayList<>();
    later.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"The user greets me.\"}}"));
    later.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}"));
    later.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    later.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    for (String t : new String[] {"Hello", " from", " Claude."}) {
      later.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}"));
    }
    if (model.equals("claude-stream-error")) {
      later.add(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    } else {
      later.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));
      later.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,"
          + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}"));
      later.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"));
      later.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,"
          + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}"));
      later.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"));
      later.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}"));
      later.add(event("message_stop", "{\"type\":\"message_stop\"}"));
    }
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM)
        .add("request-id", "req_stream").add("cache-control", "no-cache").build());
    w.write(HttpData.ofUtf8(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + responseModel + "\",\"content\":[],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage.formatted(1) + "}}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
        + event("ping", "{\"type\": \"ping\"}")));
    for (int i = 0; i < later.size(); i++) {
      String e = later.get(i);
      boolean last = i == later.size() - 1;
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.ofUtf8(e));
        if (last) {
          w.close();
        }
      }, FIRST_DELTA_MS + 20L * i, TimeUnit.MILLISECONDS);
    }
    return w;
  }

  /**
   * A stream on a script: message_start at once, then the first text delta 400 ms after the
   * request arrived and one every 25 ms, 20 in all. Paced by a thread of its own that parks until
   * each deadline and spins the last stretch, so the script holds while the event loops are busy.
   */
  private static HttpResponse paced(ServiceRequestContext ctx) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM).build());
    w.write(HttpData.ofUtf8(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_p\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-paced-1\",\"content\":[],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + PLAIN_USAGE.formatted(1) + "}}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")));
    long start = ctx.log().partial().requestStartTimeNanos();
    Thread.ofPlatform().daemon().name("paced-anthropic").start(() -> {
      for (int i = 0; i < 20; i++) {
        waitUntil(start + TimeUnit.MILLISECONDS.toNanos(400 + 25L * i));
        w.tryWrite(HttpData.ofUtf8(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"t" + i + " \"}}")));
      }
      w.tryWrite(HttpData.ofUtf8(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
          + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}")
          + event("message_stop", "{\"type\":\"message_stop\"}")));
      w.close();
    });
    return w;
  }

  private static void waitUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 300_000) {
      java.util.concurrent.locks.LockSupport.parkNanos(left - 200_000);
    }
    while (System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
