package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.access.AccessControl;
import dev.sightline.access.KeyKind;
import dev.sightline.access.Retention;
import dev.sightline.server.config.AccessConfig;
import dev.sightline.server.config.SightlineConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation, as a conformance test over the whole read API: two projects send traces and
 * metrics with their own ingest keys through the real OTel SDK exporters; then every GET endpoint the
 * API documents (read from the served openapi.json, so a new endpoint is covered the day it is
 * documented) is asked with project A's read key, and no answer may carry anything of project B's.
 */
class ProjectIsolationTest {
  @TempDir static Path dir;
  static SightlineServer server;
  static final Map<String, Tenant> TENANTS = new LinkedHashMap<>();

  record Tenant(String project, String ingestKey, String readKey, String service, String model, String user,
      String metric, List<String> traceIds, List<String> spanIds) {}

  @BeforeAll
  static void start() throws Exception {
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withAccess(AccessConfig.keys("correct-horse-battery")));
    AccessControl access = server.accessControl();
    for (String p : List.of("team-a", "team-b")) {
      access.createProject(p, Retention.FOREVER);
      String tag = p.substring(5) + UUID.randomUUID().toString().substring(0, 8);
      Tenant t = new Tenant(p, access.createKey(p, KeyKind.INGEST, "sdk", null).secret(),
          access.createKey(p, KeyKind.READ, "dashboard", null).secret(), "svc-" + tag, "model-" + tag, "user-" + tag,
          "metric_" + tag.replace('-', '_'), new ArrayList<>(), new ArrayList<>());
      TENANTS.put(p, t);
      send(t);
    }
    for (Tenant t : TENANTS.values()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (server.stores().store(t.project()).callCount() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(server.stores().store(t.project()).callCount()).as(t.project() + " calls stored").isEqualTo(2);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Two LLM calls under one server span, and one gauge, exported with the tenant's ingest key. */
  private static void send(Tenant t) {
    String endpoint = "http://127.0.0.1:" + server.otlpHttpPort();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), t.service())));
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint + "/v1/traces").addHeader("authorization", "Bearer " + t.ingestKey()).build()))
        .build()) {
      Tracer tracer = tracing.get("isolation-test");
      Span root = tracer.spanBuilder("POST /ask").setSpanKind(SpanKind.SERVER)
          .setAttribute("user.id", t.user()).startSpan();
      try (var scope = root.makeCurrent()) {
        for (int i = 0; i < 2; i++) {
          Span llm = tracer.spanBuilder("chat " + t.model()).setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
              .setAttribute("gen_ai.request.model", t.model()).setAttribute("gen_ai.usage.input_tokens", 100L)
              .setAttribute("gen_ai.usage.output_tokens", 20L).setAttribute("user.id", t.user())
              .setAttribute("session.id", "session-" + t.user()).startSpan();
          t.spanIds().add(llm.getSpanContext().getSpanId());
          llm.end();
        }
      }
      t.traceIds().add(root.getSpanContext().getTraceId());
      root.end();
      tracing.forceFlush().join(10, TimeUnit.SECONDS);
    }
    try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint(endpoint + "/v1/metrics").addHeader("x-sightline-key", t.ingestKey()).build())
            .setInterval(Duration.ofHours(1)).build())
        .build()) {
      meters.get("isolation-test").gaugeBuilder(t.metric()).buildWithCallback(m -> m.record(42.0));
      meters.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).GET();
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return TestServers.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every documented GET path, with B's ids and names where a path or a required parameter needs one. */
  private static List<String> documentedReads(Tenant other) throws Exception {
    JsonNode spec = TestServers.JSON.readTree(get("/api/openapi.json", null).body());
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().has("get")) {
        continue;
      }
      String path = e.getKey().replace("{traceId}", other.traceIds().get(0)).replace("{spanId}", other.spanIds().get(0))
          .replace("{id}", "any").replace("{name}", other.project());
      List<String> query = new ArrayList<>();
      for (JsonNode p : e.getValue().path("get").path("parameters")) {
        if (p.path("required").asBoolean() && p.path("in").asText("query").equals("query")) {
          String name = p.path("name").asText();
          String value = switch (name) {
            case "name" -> other.metric();
            case "model" -> "gpt-4o"; // echoed back by the price lookup: not B's
            default -> "x";
          };
          query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
      }
      out.add(path + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    }
    // filters that name B's things directly
    out.add("/api/v1/traces?service=" + other.service());
    out.add("/api/v1/llm/calls?traceId=" + other.traceIds().get(0));
    out.add("/api/v1/llm/calls?user=" + other.user());
    out.add("/api/v1/llm/summary?groupBy=user");
    out.add("/api/v1/metrics/names?prefix=metric_");
    out.add("/api/v1/servicemap");
    out.add("/api/v1/rum/summary");
    out.add("/api/v1/resources?key=service.name");
    out.add("/api/v1/storage");
    return out;
  }

  /** How many data points, calls, traces or spans an answer holds (anywhere in it). */
  private static int records(JsonNode n) {
    int count = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isArray() && List.of("points", "calls", "traces", "spans").contains(e.getKey())) {
        count += e.getValue().size();
      }
      count += records(e.getValue());
    }
    if (n.isArray()) {
      for (JsonNode c : n) {
        count += records(c);
      }
    }
    return count;
  }

  @Test
  void noReadOfProjectAShowsAnythingOfProjectB() throws Exception {
    Tenant a = TENANTS.get("team-a");
    Tenant b = TENANTS.get("team-b");
    List<String> reads = documentedReads(b);
    assertThat(reads).hasSizeGreaterThan(25);
    int answered = 0;
    for (String read : reads) {
      HttpResponse<String> r = get(read, a.readKey());
      assertThat(r.statusCode()).as(read).isLessThan(500);
      for (String mark : List.of(b.service(), b.model(), b.user(), b.metric(), b.traceIds().get(0),
          b.spanIds().get(0), b.project())) {
        if (read.contains(mark)) {
          // the answer may echo what was asked for; it must not find it
          if (r.statusCode() == 200) {
            assertThat(records(TestServers.JSON.readTree(r.body()))).as("%s asks for B's %s with team-a's key", read, mark)
                .isZero();
          } else {
            assertThat(r.statusCode()).as("%s asks for B's %s with team-a's key", read, mark).isIn(400, 403, 404);
          }
        } else {
          assertThat(r.body()).as("%s read with team-a's key leaks %s", read, mark).doesNotContain(mark);
        }
      }
      if (r.statusCode() == 200) {
        answered++;
      }
    }
    assertThat(answered).as("reads that answered 200").isGreaterThan(15);
    // B's trace by id is simply not there for A
    assertThat(get("/api/v1/traces/" + b.traceIds().get(0), a.readKey()).statusCode()).isEqualTo(404);
  }

  @Test
  void eachProjectSeesItsOwnData() throws Exception {
    for (Tenant t : TENANTS.values()) {
      String traces = get("/api/v1/traces?service=" + t.service(), t.readKey()).body();
      assertThat(traces).contains(t.traceIds().get(0));
      String calls = get("/api/v1/llm/calls", t.readKey()).body();
      assertThat(TestServers.JSON.readTree(calls).path("calls")).hasSize(2);
      assertThat(calls).contains(t.model());
      String names = get("/api/v1/metrics/names", t.readKey()).body();
      assertThat(names).contains(t.metric());
    }
    // the default project got nothing of theirs
    assertThat(server.store().callCount()).isZero();
  }

  @Test
  void withoutAKeyIngestAndApiAnswer401WithAClearJsonError() throws Exception {
    HttpResponse<String> api = get("/api/v1/traces", null);
    assertThat(api.statusCode()).isEqualTo(401);
    JsonNode err = TestServers.JSON.readTree(api.body()).path("error");
    assertThat(err.path("code").asText()).isEqualTo("unauthorized");
    assertThat(err.path("message").asText()).contains("read key");

    HttpResponse<String> ingest = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\":[]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ingest.statusCode()).isEqualTo(401);
    assertThat(ingest.body()).contains("ingest key");

    // an ingest key cannot read, a read key cannot send
    assertThat(get("/api/v1/traces", TENANTS.get("team-a").ingestKey()).statusCode()).isEqualTo(403);
    HttpResponse<String> wrongKind = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("content-type", "application/json").header("x-sightline-key", TENANTS.get("team-a").readKey())
        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongKind.statusCode()).isEqualTo(401);

    // the dashboard sends a browser to the login page
    HttpResponse<String> page = get("/traces?since=1h", null);
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("location")).hasValue("/login?next=%2Ftraces%3Fsince%3D1h");
  }

  @Test
  void serverWideEndpointsAreForTheAdminAndTheDefaultProject() throws Exception {
    Tenant a = TENANTS.get("team-a");
    for (String p : List.of("/api/v1/alerts", "/api/v1/budgets", "/api/v1/scrape/targets", "/metrics",
        "/api/v1/projects")) {
      assertThat(get(p, a.readKey()).statusCode()).as(p).isEqualTo(403);
    }
    String defaultReader = server.accessControl().createKey("default", KeyKind.READ, "ops", null).secret();
    assertThat(get("/metrics", defaultReader).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/projects", defaultReader).statusCode()).isEqualTo(403);
  }

  @Test
  void aRevokedKeyIsRefusedAtOnce() throws Exception {
    AccessControl access = server.accessControl();
    var created = access.createKey("team-a", KeyKind.READ, "temp", null);
    assertThat(get("/api/v1/traces", created.secret()).statusCode()).isEqualTo(200);
    assertThat(access.revokeKey(created.info().id())).isTrue();
    assertThat(get("/api/v1/traces", created.secret()).statusCode()).isEqualTo(401);
  }

  @Test
  void noSecretIsWrittenToTheDataDirectory() throws Exception {
    List<String> secrets = new ArrayList<>();
    for (Tenant t : TENANTS.values()) {
      secrets.add(t.ingestKey());
      secrets.add(t.readKey());
    }
    try (var files = java.nio.file.Files.walk(dir.resolve("data"))) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String text = new String(java.nio.file.Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String s : secrets) {
          assertThat(text).as(f + " holds a key").doesNotContain(s);
        }
      }
    }
  }

  @Test
  void theAdminLogsInWithThePasswordAndPicksAProject() throws Exception {
    String base = "http://127.0.0.1:" + server.httpPort();
    HttpResponse<String> wrong = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"nope-nope\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();

    HttpResponse<String> login = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"correct-horse-battery\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
    String session = setCookie.substring(0, setCookie.indexOf(';'));

    JsonNode who = TestServers.JSON.readTree(TestServers.HTTP.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v1/auth/whoami")).header("cookie", session).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(who.path("admin").asBoolean()).isTrue();
    assertThat(who.path("projects").toString()).contains("team-a", "team-b", "default");

    Tenant b = TENANTS.get("team-b");
    String calls = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/llm/calls"))
        .header("cookie", session + "; sightline_project=team-b").build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(calls).contains(b.model()).doesNotContain(TENANTS.get("team-a").model());
    // a header naming no project is an error; a stale cookie falls back to the default project
    assertThat(TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/llm/calls"))
        .header("cookie", session).header("x-sightline-project", "nope").build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(404);
    JsonNode stale = TestServers.JSON.readTree(TestServers.HTTP.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v1/auth/whoami")).header("cookie", session + "; sightline_project=nope").build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(stale.path("project").asText()).isEqualTo("default");

    HttpResponse<String> out = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/logout"))
        .header("cookie", session).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/llm/calls"))
        .header("cookie", session).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }
}
