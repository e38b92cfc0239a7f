package dev.sightline.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The demo's own OpenAI-compatible LLM server, on a free loopback port, so that part of the demo's
 * traffic can go through the gateway without a real provider. Chat completions, streamed or not,
 * with realistic timing: the first token after 200–800 ms, then one token every 15–40 ms; usage in
 * a final chunk when {@code stream_options.include_usage} is set; now and then a 429.
 */
public final class SimulatedUpstream implements AutoCloseable {
  static final String MODEL = "sim-llama-3.1-8b-instruct";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = ("Sure. To rotate the key without downtime, create a second key, deploy it "
      + "to every service, confirm traffic uses it in the dashboard, then revoke the old one. Keys can overlap for "
      + "as long as you need, and each request logs which key it used, so the switch is easy to verify.").split(" ");

  private final Server server;
  private final Random random;
  private final double errorRate;
  /** Where the demo's alert notifications are delivered. */
  static final String WEBHOOK_PATH = "/hooks/alerts";
  private final java.util.concurrent.atomic.AtomicLong webhookPosts = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param errorRate the share of requests answered with a 429 (0 to 1)
   */
  public SimulatedUpstream(long seed, double errorRate) {
    this.random = new Random(seed);
    this.errorRate = errorRate;
    server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .requestTimeout(Duration.ZERO)
        .service("/v1/chat/completions", (ctx, req) ->
            HttpResponse.of(req.aggregate().thenApply(a -> chat(ctx, a))))
        // the demo's alert webhook: a receiver that takes every notification, so deliveries show as delivered
        .service(WEBHOOK_PATH, (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> {
          webhookPosts.incrementAndGet();
          return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.NO_CONTENT);
        })))
        .build();
    server.start().join();
  }

  /** The base URL to give a gateway route, e.g. {@code http://127.0.0.1:38211}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.activeLocalPort());
  }

  /** Alert notifications received at {@link #WEBHOOK_PATH}. */
  public long webhookPosts() {
    return webhookPosts.get();
  }

  private synchronized double nextDouble() {
    return random.nextDouble();
  }

  private synchronized int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  private HttpResponse chat(ServiceRequestContext ctx, AggregatedHttpRequest a) {
    JsonNode body;
    try {
      body = JSON.readTree(a.content().array());
    } catch (IOException | RuntimeException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return error(HttpStatus.BAD_REQUEST, "invalid_request_error", "the body is not a JSON object");
    }
    if (nextDouble() < errorRate) {
      return error(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "Rate limit reached for " + MODEL);
    }
    String model = body.path("model").asText(MODEL);
    int promptTokens = Math.max(8, body.path("messages").toString().length() / 4);
    int outputTokens = between(20, WORDS.length);
    long firstTokenMs = between(200, 800);
    String id = "chatcmpl-sim-" + Long.toHexString(System.nanoTime());
    long created = System.currentTimeMillis() / 1000;
    if (!body.path("stream").asBoolean(false)) {
      long totalMs = firstTokenMs + outputTokens * 27L;
      ObjectNode r = JSON.createObjectNode();
      r.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
      ObjectNode choice = r.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", text(outputTokens));
      choice.put("finish_reason", "stop");
      usage(r, promptTokens, outputTokens);
      return HttpResponse.delayed(HttpResponse.of(HttpStatus.OK, MediaType.JSON, r.toString()),
          Duration.ofMillis(totalMs));
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM)
        .add("cache-control", "no-cache").build());
    w.write(HttpData.ofUtf8(chunk(id, created, model, "{\"role\":\"assistant\",\"content\":\"\"}", null,
        includeUsage)));
    long at = firstTokenMs;
    for (int i = 0; i < outputTokens; i++) {
      String word = (i == 0 ? "" : " ") + WORDS[i];
      String delta = JSON.createObjectNode().put("content", word).toString();
      boolean last = i == outputTokens - 1;
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.ofUtf8(chunk(id, created, model, delta, null, includeUsage)));
        if (last) {
          StringBuilder tail = new StringBuilder(chunk(id, created, model, "{}", "stop", includeUsage));
          if (includeUsage) {
            ObjectNode u = JSON.createObjectNode();
            u.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
            u.putArray("choices");
            usage(u, promptTokens, outputTokens);
            tail.append("data: ").append(u).append("\n\n");
          }
          tail.append("data: [DONE]\n\n");
          w.tryWrite(HttpData.ofUtf8(tail.toString()));
          w.close();
        }
      }, at, TimeUnit.MILLISECONDS);
      at += between(15, 40);
    }
    return w;
  }

  private static void usage(ObjectNode into, int prompt, int completion) {
    into.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  private static String text(int tokens) {
    return String.join(" ", java.util.Arrays.copyOf(WORDS, tokens));
  }

  private static String chunk(String id, long created, String model, String delta, String finish, boolean usage) {
    return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
        + ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]" + (usage ? ",\"usage\":null" : "") + "}\n\n";
  }

  private static HttpResponse error(HttpStatus status, String type, String message) {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
    return HttpResponse.of(status, MediaType.JSON, b.toString());
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
