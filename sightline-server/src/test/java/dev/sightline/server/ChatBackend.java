package dev.sightline.server;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A chat app's backend for the connected-view tests: it serves a page that loads Sightline's browser
 * agent, and answers {@code POST /api/chat} by streaming what the real openai-java client gets from
 * Sightline's gateway, relayed chunk by chunk. It is instrumented by hand with the OpenTelemetry Java
 * SDK the way an app is: a SERVER span continuing the browser's {@code traceparent}, a database span,
 * and a CLIENT span whose context goes to the gateway; spans are exported over OTLP/HTTP to Sightline.
 */
final class ChatBackend implements AutoCloseable {
  static final Map<String, String> RESOURCE = Map.of(
      "service.name", "chat-backend",
      "service.version", "2.3.1",
      "k8s.pod.name", "chat-backend-7d9f8-x2x4q",
      "k8s.namespace.name", "shop",
      "host.name", "node-a");

  private static final TextMapGetter<RequestHeaders> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(RequestHeaders carrier) {
      List<String> names = new ArrayList<>();
      carrier.names().forEach(n -> names.add(n.toString()));
      return names;
    }

    @Override
    public String get(RequestHeaders carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Server server;
  private volatile String page = "<!doctype html><title>not connected</title>";
  private volatile SdkTracerProvider tracing;
  private volatile Tracer tracer;
  private volatile OpenAIClient openai;
  /** The traceparent headers {@code /api/chat} received, in order. */
  final List<String> traceparents = new CopyOnWriteArrayList<>();

  /**
   * Listens at once (so its origin can go into Sightline's allow-list); {@link #connect} then points it
   * at a running Sightline.
   */
  ChatBackend() {
    server = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0))
        .service("/", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, page))
        .service("/api/chat", (ctx, req) -> {
          traceparents.add(String.valueOf(req.headers().get("traceparent")));
          Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), req.headers(), HEADERS);
          HttpResponseWriter out = HttpResponse.streaming();
          // the SDK client blocks; the answer is relayed from a blocking thread as chunks arrive
          ctx.blockingTaskExecutor().execute(() -> chat(parent, out));
          return out;
        })
        .build();
    server.start().join();
  }

  /**
   * @param html the page served at {@code /}
   * @param sightlineHttpPort where the gateway is ({@code /gateway/openai/v1})
   * @param otlpHttpPort where the spans go
   */
  void connect(String html, int sightlineHttpPort, int otlpHttpPort) {
    io.opentelemetry.api.common.AttributesBuilder resource = Attributes.builder();
    RESOURCE.forEach((k, v) -> resource.put(AttributeKey.stringKey(k), v));
    tracing = SdkTracerProvider.builder().setResource(Resource.create(resource.build()))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + otlpHttpPort + "/v1/traces").build()))
        .build();
    tracer = tracing.get("chat-backend");
    openai = OpenAIOkHttpClient.builder().apiKey("sk-test").maxRetries(0)
        .baseUrl("http://127.0.0.1:" + sightlineHttpPort + "/gateway/openai/v1").build();
    page = html;
  }

  String origin() {
    return "http://127.0.0.1:" + port();
  }

  int port() {
    return server.activeLocalPort();
  }

  private void chat(Context parent, HttpResponseWriter out) {
    Span http = tracer.spanBuilder("POST /api/chat").setSpanKind(SpanKind.SERVER).setParent(parent)
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/api/chat")
        .setAttribute("url.path", "/api/chat").startSpan();
    try (Scope ignored = http.makeCurrent()) {
      Span db = tracer.spanBuilder("SELECT shop.conversations").setSpanKind(SpanKind.CLIENT)
          .setAttribute("db.system.name", "postgresql").setAttribute("db.namespace", "shop")
          .setAttribute("db.query.text", "SELECT turn, text FROM conversations WHERE session_id = $1")
          .startSpan();
      db.end();
      Span client = tracer.spanBuilder("POST").setSpanKind(SpanKind.CLIENT)
          .setAttribute("http.request.method", "POST").setAttribute("server.address", "127.0.0.1")
          .setAttribute("url.full", "/gateway/openai/v1/chat/completions").startSpan();
      Map<String, String> carrier = new HashMap<>();
      W3CTraceContextPropagator.getInstance().inject(Context.current().with(client), carrier, Map::put);
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
          .addUserMessage("Which plan fits a team of five?")
          .putAdditionalHeader("traceparent", carrier.get("traceparent")).build();
      out.write(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM, "cache-control", "no-cache"));
      try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params)) {
        stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text -> {
          if (!text.isEmpty()) {
            out.write(HttpData.ofUtf8("data: {\"choices\":[{\"delta\":{\"content\":"
                + TestServers.JSON.valueToTree(text) + "}}]}\n\n"));
          }
        })));
        client.setAttribute("http.response.status_code", 200L);
      } catch (RuntimeException e) {
        client.setStatus(StatusCode.ERROR, e.toString());
        http.setStatus(StatusCode.ERROR, e.toString());
      } finally {
        client.end();
      }
      out.write(HttpData.ofUtf8("data: [DONE]\n\n"));
      out.close();
      http.setAttribute("http.response.status_code", 200L);
    } finally {
      http.end();
    }
  }

  /** Exports what is still buffered (SimpleSpanProcessor exports as spans end; this waits for those exports). */
  void flush() {
    tracing.forceFlush().join(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    server.stop().join();
    if (tracing != null) {
      tracing.shutdown().join(10, TimeUnit.SECONDS);
      openai.close();
    }
  }
}
