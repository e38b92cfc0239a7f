package dev.sightline.server.demo;

import io.opentelemetry.api.common.AttributeKey;
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
 * child in its trace.
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
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final Random random;

  /**
   * @param gatewayBase e.g. {@code http://127.0.0.1:7700/gateway/sim}
   * @param otlpHttpEndpoint e.g. {@code http://127.0.0.1:4318}
   */
  public GatewayTraffic(String gatewayBase, String otlpHttpEndpoint, long seed) {
    this.endpoint = URI.create(gatewayBase + "/v1/chat/completions");
    this.random = new Random(seed);
    this.provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), SERVICE,
            AttributeKey.stringKey("deployment.environment.name"), "demo"))))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpHttpSpanExporter.builder().setEndpoint(otlpHttpEndpoint + "/v1/traces").build())
            .setScheduleDelay(Duration.ofMillis(500)).build())
        .build();
    this.tracer = provider.get("sightline-demo");
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
    Span root = tracer.spanBuilder(ROUTE).setSpanKind(SpanKind.SERVER).setNoParent()
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/assist")
        .setAttribute("session.id", session).setAttribute("user.id", user).startSpan();
    SpanContext sc = root.getSpanContext();
    String body = "{\"model\":\"" + SimulatedUpstream.MODEL + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise support assistant.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json")
        .header("authorization", "Bearer sk-demo-not-a-real-key")
        .header("traceparent", "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-01")
        .header("x-sightline-service", SERVICE)
        .header("x-sightline-route", ROUTE)
        .header("x-sightline-session-id", session)
        .header("x-sightline-user-id", user)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .handle((r, err) -> {
          inFlight.release();
          int status = r == null ? 0 : r.statusCode();
          root.setAttribute("http.response.status_code", (long) status);
          if (err != null || status >= 400) {
            root.setStatus(StatusCode.ERROR);
          }
          root.end();
          return status;
        });
  }

  public void flush() {
    provider.forceFlush().join(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
