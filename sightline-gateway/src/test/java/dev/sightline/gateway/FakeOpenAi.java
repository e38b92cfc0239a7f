package dev.sightline.gateway;

import dev.sightline.model.testing.SharedFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A local OpenAI-compatible upstream for tests. What it answers depends on the request's model:
 * the recorded OpenAI stream from the fixtures (any other model), and scripted behaviours named
 * {@code paced}, {@code paced-stall}, {@code slow-stream}, {@code malformed}, {@code error-429}, {@code sleepy},
 * {@code echo-size}, and any model starting with {@code no-usage} (no usage reported at all).
 * Like the real API, once a stream asks for usage every chunk carries
 * {@code "usage":null} and a usage-only chunk comes before {@code [DONE]}.
 */
final class FakeOpenAi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT_JSON = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1727346168,"
      + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"%s\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":2,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"system_fingerprint\":\"fp_1\"}";
  static final String RESPONSE_OBJECT = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741476542,"
      + "\"status\":\"completed\",\"error\":null,\"incomplete_details\":null,\"instructions\":null,"
      + "\"max_output_tokens\":null,\"model\":\"gpt-4.1-2025-04-14\",\"output\":[{\"type\":\"message\","
      + "\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"Hi from responses.\",\"annotations\":[]}]}],\"parallel_tool_calls\":true,"
      + "\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,"
      + "\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],"
      + "\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":{\"input_tokens\":36,"
      + "\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":87,"
      + "\"output_tokens_details\":{\"reasoning_tokens\":64},\"total_tokens\":123},\"user\":null,\"metadata\":{}}";
  static final String EMBEDDINGS_JSON = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.0023064255,-0.009327292,0.015797347]}],\"model\":\"text-embedding-3-small\","
      + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
  static final String ERROR_429 = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"rate_limit_error\","
      + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
  static final String MALFORMED_STREAM = "data: {\"id\":\"m\",\"object\":\"chat.completion.chunk\",\"model\":\"malformed-1\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n\n"
      + "data: {\"choices\":[{\"delta\":{\"content\":\"trunc\n\n"
      + "data: not json at all\n\n"
      + "event: weird\n: a comment\n\n"
      + "data: {\"usage\":{\"prompt_tokens\":\"many\"}}\n\n"
      + "data: {\"partial";

  final Server server;
  /** The last request the upstream received on a recorded path. */
  volatile RequestHeaders lastHeaders;
  volatile byte[] lastBody;
  /** Requests received on the recorded paths. */
  final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
  /** Completes when a {@code slow-stream} response is cut off by its client (the gateway). */
  volatile CompletableFuture<Void> slowStreamCancelled = new CompletableFuture<>();
  private final List<String> fixtureEvents;

  FakeOpenAi() {
    fixtureEvents = fixtureEvents();
    server = Server.builder()
        .http(0)
        .maxRequestLength(64L << 20)
        .requestTimeout(Duration.ZERO)
        .service("/v1/chat/completions", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> chat(ctx, a))))
        .service("/v1/completions", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> chat(ctx, a))))
        .service("/v1/responses", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> responses(ctx, a))))
        .service("/v1/embeddings", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> {
          remember(a);
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON, EMBEDDINGS_JSON);
        })))
        .service("/v1/models", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
            "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\"}]}"))
        .build();
    server.start().join();
  }

  int port() {
    return server.activeLocalPort();
  }

  String base() {
    return "http://127.0.0.1:" + port();
  }

  static Path fixtures() {
    return SharedFixtures.dir();
  }

  static byte[] fixtureStream() {
    try {
      return Files.readAllBytes(fixtures().resolve("local-llm/openai-chat-stream-include-usage.sse"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> fixtureEvents() {
    String all = new String(fixtureStream(), StandardCharsets.UTF_8);
    List<String> events = new ArrayList<>();
    for (String e : all.split("\n\n")) {
      if (!e.isBlank()) {
        events.add(e + "\n\n");
      }
    }
    return events;
  }

  private void remember(AggregatedHttpRequest a) {
    requests.incrementAndGet();
    lastHeaders = a.headers();
    lastBody = a.content().array();
  }

  private HttpResponse chat(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    remember(a);
    JsonNode body;
    try {
      body = JSON.readTree(a.content().array());
    } catch (IOException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON,
          "{\"error\":{\"message\":\"bad json\",\"type\":\"invalid_request_error\"}}");
    }
    String model = body.path("model").asText("");
    boolean stream = body.path("stream").asBoolean(false);
    boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
    if (model.startsWith("no-usage")) {
      return noUsage(stream);
    }
    switch (model) {
      case "error-429":
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.JSON)
            .add("x-ratelimit-remaining-requests", "0").build(), HttpData.ofUtf8(ERROR_429));
      case "sleepy":
        return HttpResponse.delayed(HttpResponse.of(HttpStatus.OK, MediaType.JSON, CHAT_JSON.formatted("late")),
            Duration.ofSeconds(3));
      case "echo-size":
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, CHAT_JSON.formatted("received " + a.content().length()));
      case "malformed":
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, "content-type", "text/event-stream"),
            HttpData.ofUtf8(MALFORMED_STREAM));
      case "flex-tier":
        return serviceTier(stream, usage);
      case "paced":
        return paced(ctx, usage, 0);
      case "paced-stall":
        return paced(ctx, usage, 150);
      case "slow-stream":
        return slowStream(ctx);
      default:
        break;
    }
    if (!stream) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON)
          .add("x-request-id", "req_123").add("openai-processing-ms", "42").build(),
          HttpData.ofUtf8(CHAT_JSON.formatted("Hello there.")));
    }
    return fixtureStream(usage, "");
  }

  /**
   * The captured stream; the usage chunk only when asked for (and then {@code "usage":null} in the
   * others, as the real API does), and {@code extra} added to every chunk.
   */
  private HttpResponse fixtureStream(boolean usage, String extra) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(sseHeaders());
    for (String e : fixtureEvents) {
      boolean usageChunk = e.contains("\"usage\":{");
      if (usageChunk && !usage) {
        continue;
      }
      if (!e.contains("[DONE]")) {
        int end = e.lastIndexOf('}');
        e = e.substring(0, end) + (usage && !usageChunk ? ",\"usage\":null" : "") + extra + e.substring(end);
      }
      w.write(HttpData.ofUtf8(e));
    }
    w.close();
    return w;
  }

  /** Answers as a call served on the flex tier: {@code "service_tier":"flex"} in the body or every chunk. */
  private HttpResponse serviceTier(boolean stream, boolean usage) {
    if (!stream) {
      String body = CHAT_JSON.formatted("Hello there.");
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON,
          body.substring(0, body.length() - 1) + ",\"service_tier\":\"flex\"}");
    }
    return fixtureStream(usage, ",\"service_tier\":\"flex\"");
  }

  /** A server that reports no usage at all and ignores {@code stream_options} (older self-hosted engines do). */
  private HttpResponse noUsage(boolean stream) {
    if (!stream) {
      String body = CHAT_JSON.formatted("Hello there.");
      body = body.substring(0, body.indexOf(",\"usage\"")) + ",\"system_fingerprint\":\"fp_1\"}";
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
    }
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(sseHeaders());
    for (String e : fixtureEvents) {
      if (!e.contains("\"usage\":{")) {
        w.write(HttpData.ofUtf8(e));
      }
    }
    w.close();
    return w;
  }

  private static ResponseHeaders sseHeaders() {
    return ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM)
        .add("x-request-id", "req_stream").add("cache-control", "no-cache").build();
  }

  /**
   * First token 400 ms after the request arrived, then one every 25 ms: 20 tokens. Paced by a
   * thread of its own that parks until each deadline and spins the last stretch, so the script
   * holds to well under a millisecond even while the event loops are busy.
   */
  /**
   * First token 400 ms after the request, then one every 25 ms, 20 in all; {@code stallMs} more
   * before the eleventh token (a scripted mid-stream stall).
   */
  private HttpResponse paced(ServiceRequestContext ctx, boolean usage, long stallMs) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(sseHeaders());
    w.write(HttpData.ofUtf8(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, usage)));
    long start = ctx.log().partial().requestStartTimeNanos();
    Thread.ofPlatform().daemon().name("paced-upstream").start(() -> {
      for (int i = 0; i < 20; i++) {
        waitUntil(start + TimeUnit.MILLISECONDS.toNanos(400 + 25L * i + (i >= 10 ? stallMs : 0)));
        w.tryWrite(HttpData.ofUtf8(chunk("{\"content\":\"t" + i + " \"}", null, usage)));
      }
      w.tryWrite(HttpData.ofUtf8(chunk("{}", "stop", usage)));
      if (usage) {
        w.tryWrite(HttpData.ofUtf8("data: {\"id\":\"p\",\"object\":\"chat.completion.chunk\",\"model\":\"paced-1\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":20,\"total_tokens\":25}}\n\n"));
      }
      w.tryWrite(HttpData.ofUtf8("data: [DONE]\n\n"));
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

  private HttpResponse slowStream(ServiceRequestContext ctx) {
    HttpResponseWriter w = HttpResponse.streaming();
    CompletableFuture<Void> cancelled = slowStreamCancelled;
    w.whenComplete().handle((ok, err) -> {
      if (err != null) {
        cancelled.complete(null);
      }
      return null;
    });
    w.write(sseHeaders());
    w.write(HttpData.ofUtf8(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false)));
    for (int i = 0; i < 600; i++) {
      int n = i;
      ctx.eventLoop().schedule(() -> {
        if (w.isOpen()) {
          w.tryWrite(HttpData.ofUtf8(chunk("{\"content\":\"s" + n + "\"}", null, false)));
        }
        if (n == 599) {
          w.close();
        }
      }, 20L + 50L * i, TimeUnit.MILLISECONDS);
    }
    return w;
  }

  private static String chunk(String delta, String finish, boolean usage) {
    return "data: {\"id\":\"p\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"paced-1\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]" + (usage ? ",\"usage\":null" : "") + "}\n\n";
  }

  private HttpResponse responses(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    remember(a);
    JsonNode body;
    try {
      body = JSON.readTree(a.content().array());
    } catch (IOException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST);
    }
    if (!body.path("stream").asBoolean(false)) {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, RESPONSE_OBJECT);
    }
    String inProgress = RESPONSE_OBJECT.replace("\"status\":\"completed\",\"error\"", "\"status\":\"in_progress\",\"error\"");
    List<String> events = new ArrayList<>();
    events.add(event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
        + inProgress + "}"));
    int seq = 1;
    for (String d : new String[] {"Hi", " from", " responses."}) {
      events.add(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":"
          + seq++ + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + d + "\"}"));
    }
    events.add(event("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + seq
        + ",\"response\":" + RESPONSE_OBJECT + "}"));
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(sseHeaders());
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      boolean last = i == events.size() - 1;
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.ofUtf8(e));
        if (last) {
          w.close();
        }
      }, 30L * (i + 1), TimeUnit.MILLISECONDS);
    }
    return w;
  }

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  static <T> T read(byte[] json, Function<JsonNode, T> f) {
    try {
      return f.apply(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
