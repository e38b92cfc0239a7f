package dev.sightline.server.demo;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The part of the demo's traffic that goes through the gateway, as an uninstrumented app would
 * send it: plain HTTP chat completions (mostly streamed) to {@code /gateway/<route>/v1/chat/completions}
 * with a {@code traceparent} and the {@code x-sightline-*} attribution headers. The app's own
 * request span (service {@code gateway-app}) goes over OTLP, so each gateway call shows up as a
 * child in its trace. With a {@link SimulatedBrowser} attached, each request starts in a user's
 * browser: the app's span continues the browser's fetch span, and the browser beacons what its user
 * saw (the first token rendered, timed from the answer's real stream).
 */
public final class GatewayTraffic implements AutoCloseable {
  public static final String SERVICE = "gateway-app";
  public static final String ROUTE = "POST /assist";
  private static final int MAX_IN_FLIGHT = 32;
  private static final String[] QUESTIONS = {
      "How do I rotate my API key without downtime?",
      "Can two keys be active at the same time?",
      "Which key did my last request use?",
  };

  private final URI endpoint;
  private final String ingestKey;
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final Random random;
  private volatile SimulatedBrowser browser;

  /**
   * @param gatewayBase e.g. {@code http://127.0.0.1:7700/gateway/sim}
   * @param otlpHttpEndpoint e.g. {@code http://127.0.0.1:4318}
   */
  public GatewayTraffic(String gatewayBase, String otlpHttpEndpoint, long seed) {
    this(gatewayBase, otlpHttpEndpoint, seed, null);
  }

  /** @param ingestKey sent as {@code x-sightline-key} when the server requires keys; null when open */
  public GatewayTraffic(String gatewayBase, String otlpHttpEndpoint, long seed, String ingestKey) {
    this.ingestKey = ingestKey;
    java.util.Map<String, String> headers = ingestKey == null ? java.util.Map.of() : java.util.Map.of("x-sightline-key", ingestKey);
    this.endpoint = URI.create(gatewayBase + "/v1/chat/completions");
    this.random = new Random(seed);
    this.provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(resource())))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpHttpSpanExporter.builder().setEndpoint(otlpHttpEndpoint + "/v1/traces").setHeaders(() -> headers).build())
            .setScheduleDelay(Duration.ofMillis(500)).build())
        .build();
    this.tracer = provider.get("sightline-demo");
  }

  /** Starts each request in a simulated user's browser (see the class comment). */
  GatewayTraffic from(SimulatedBrowser b) {
    this.browser = b;
    return this;
  }

  /** The app's pod, node and release: what the dashboard filters traces by. */
  private static Attributes resource() {
    return Attributes.builder().put("service.name", SERVICE).put("deployment.environment.name", "demo")
        .put("service.version", "4.2.0").put("k8s.namespace.name", "demo").put("k8s.pod.name", "gateway-app-5c9d7-qk2lm")
        .put("host.name", "demo-node-1").build();
  }

  /**
   * Sends one call without waiting for it; the future completes (never exceptionally) when it has
   * ended. When {@value #MAX_IN_FLIGHT} calls are already in flight, the call is skipped.
   */
  public CompletableFuture<Integer> send() {
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.completedFuture(-1);
    }
    boolean stream;
    String session;
    String user;
    String question;
    synchronized (random) {
      stream = random.nextInt(10) < 8;
      session = "gw-sess-" + (1 + random.nextInt(8));
      user = "user-" + (1 + random.nextInt(12));
      question = QUESTIONS[random.nextInt(QUESTIONS.length)];
    }
    SimulatedBrowser b = browser;
    long startNanos = System.currentTimeMillis() * 1_000_000L;
    SimulatedBrowser.Fetch fetch = b == null ? null : b.startFetch(startNanos);
    var builder = tracer.spanBuilder(ROUTE).setSpanKind(SpanKind.SERVER).setStartTimestamp(startNanos, TimeUnit.NANOSECONDS);
    if (fetch == null) {
      builder.setNoParent();
    } else {
      builder.setParent(io.opentelemetry.context.Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
          fetch.traceId(), fetch.spanId(), io.opentelemetry.api.trace.TraceFlags.getSampled(),
          io.opentelemetry.api.trace.TraceState.getDefault()))));
    }
    Span root = builder
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/assist")
        .setAttribute("session.id", session).setAttribute("user.id", user).startSpan();
    SpanContext sc = root.getSpanContext();
    String body = "{\"model\":\"" + SimulatedUpstream.MODEL + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise support assistant.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60));
    if (ingestKey != null) {
      rb.header("x-sightline-key", ingestKey);
    }
    HttpRequest req = rb
        .header("content-type", "application/json")
        .header("authorization", "Bearer sk-demo-not-a-real-key")
        .header("traceparent", "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-01")
        .header("x-sightline-service", SERVICE)
        .header("x-sightline-route", ROUTE)
        .header("x-sightline-session-id", session)
        .header("x-sightline-user-id", user)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    long[] firstLast = new long[2];
    int[] tokens = new int[1];
    return http.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(new TokenClock(firstLast, tokens)))
        .handle((r, err) -> {
          inFlight.release();
          int status = r == null ? 0 : r.statusCode();
          root.setAttribute("http.response.status_code", (long) status);
          if (err != null || status >= 400) {
            root.setStatus(StatusCode.ERROR);
          }
          long end = System.currentTimeMillis() * 1_000_000L;
          root.end(end, TimeUnit.NANOSECONDS);
          if (fetch != null) {
            // a whole (non-streamed) answer appears at once, when it has arrived
            long first = firstLast[0] > 0 ? firstLast[0] : end;
            b.ended(fetch, status, status < 400 ? first : 0, firstLast[1] > 0 ? firstLast[1] : end, tokens[0], end);
            b.maybeNewView(end);
          }
          return status;
        });
  }

  /** Times the streamed answer's content chunks as the app receives them (non-streamed answers have none). */
  private static final class TokenClock implements java.util.concurrent.Flow.Subscriber<String> {
    private final long[] firstLast;
    private final int[] tokens;

    TokenClock(long[] firstLast, int[] tokens) {
      this.firstLast = firstLast;
      this.tokens = tokens;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("data:") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
        long now = System.currentTimeMillis() * 1_000_000L;
        if (firstLast[0] == 0) {
          firstLast[0] = now;
        }
        firstLast[1] = now;
        tokens[0]++;
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }

  public void flush() {
    provider.forceFlush().join(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
