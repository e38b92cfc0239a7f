package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.receivers.rum.RumApp;
import dev.sightline.receivers.rum.RumConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A browser's events posted to a running Sightline come back as one browser trace through the API. */
class RumIngestTest {
  static final String SITE = "http://127.0.0.1:8080";
  static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  static final String PAGE_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String FETCH_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String LOAD = "b7ad6b7169203331";

  @TempDir static Path dir;
  static SightlineServer server;
  static int idCounter = 1;

  @BeforeAll
  static void start() {
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withRum(new RumConfig(List.of(
        RumApp.parse("web=pk_web,origin=" + SITE), RumApp.parse("half=pk_half,origin=*,sample=0.5")), 4096)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The contract's example body: page load, streamed fetch, vitals and an error. */
  static String body(String session, String pageTrace, String fetchTrace) {
    double t0 = System.currentTimeMillis() - 10_000;
    return """
        {"key":"pk_web","sentAt":%s,"session":"%s","user":"u-42","release":"1.4.2",
         "page":{"view":"0123456789abcdef","url":"http://127.0.0.1:8080/chat?x=1","route":"/chat","referrer":"","title":"Chat"},
         "events":[
          {"type":"page_load","traceId":"%s","spanId":"%s","start":%s,"end":%s,
           "nav":{"type":"navigate","ttfbMs":42.5,"loadMs":300,"transferBytes":5120}},
          {"type":"fetch","traceId":"%s","spanId":"00f067aa0ba902b7","start":%s,"end":%s,"method":"POST",
           "url":"/api/chat","status":200,"api":"fetch","propagated":true,
           "stream":{"firstByte":%s,"firstToken":%s,"lastToken":%s,"tokens":21,"chunks":22,"source":"app"}},
          {"type":"vitals","time":%s,"traceId":"%s","parentSpanId":"%s","spanId":"1111111111111111","lcpMs":812,"inpMs":96,"cls":0.02},
          {"type":"error","time":%s,"traceId":"%s","parentSpanId":"%s","spanId":"2222222222222222","kind":"error",
           "message":"TypeError: x is undefined","errorType":"TypeError","stack":"at f (app.js:3:7)","line":3,"col":7}
         ]}
        """.formatted(t0 + 10_000, session, pageTrace, LOAD, t0, t0 + 300, fetchTrace, t0 + 1000, t0 + 3000,
        t0 + 1100, t0 + 1450, t0 + 2450, t0 + 5000, pageTrace, LOAD, t0 + 4000, pageTrace, LOAD);
  }

  static synchronized String freshTrace() {
    return String.format("%032x", 0xabc000L + idCounter++);
  }

  static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return TestServers.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return TestServers.JSON.readTree(r.body());
  }

  static JsonNode span(JsonNode trace, String name) {
    for (JsonNode s : trace.get("spans")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no span " + name + " in " + trace);
  }

  static int traceStatus(String traceId) {
    return TestServers.get(server, "/api/v1/traces/" + traceId).get("_status").asInt();
  }

  @Test
  void theBrowsersEventsComeBackAsBrowserSpans() throws Exception {
    HttpResponse<String> r = send("POST", "/rum/v1/events?key=pk_web", body("a1b2c3d4e5f60718", PAGE_TRACE, FETCH_TRACE),
        "Origin", SITE, "User-Agent", UA, "Content-Type", "text/plain;charset=UTF-8");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(4);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(SITE);

    // the answer came after the commit: the traces are readable at once
    JsonNode page = TestServers.get(server, "/api/v1/traces/" + PAGE_TRACE);
    JsonNode load = span(page, "page load /chat");
    assertThat(load.get("category").asText()).isEqualTo("browser");
    assertThat(load.get("parentSpanId").isNull()).isTrue();
    assertThat(load.get("service").asText()).isEqualTo("web");
    assertThat(load.at("/attributes/rum.nav.ttfb_ms").asDouble()).isEqualTo(42.5);
    assertThat(load.at("/attributes/session.id").asText()).isEqualTo("a1b2c3d4e5f60718");
    assertThat(load.at("/resourceAttributes/service.version").asText()).isEqualTo("1.4.2");
    assertThat(load.at("/resourceAttributes/user_agent.original").asText()).isEqualTo(UA);
    JsonNode vitals = span(page, "web vitals /chat");
    assertThat(vitals.get("parentSpanId").asText()).isEqualTo(LOAD);
    assertThat(vitals.get("category").asText()).isEqualTo("browser");
    assertThat(vitals.at("/attributes/rum.lcp_ms").asDouble()).isEqualTo(812.0);
    JsonNode error = span(page, "error: TypeError: x is undefined");
    assertThat(error.get("parentSpanId").asText()).isEqualTo(LOAD);
    assertThat(error.get("status").asText()).isEqualTo("error");
    assertThat(error.at("/attributes/exception.type").asText()).isEqualTo("TypeError");

    JsonNode fetch = span(TestServers.get(server, "/api/v1/traces/" + FETCH_TRACE), "POST /api/chat");
    assertThat(fetch.get("category").asText()).isEqualTo("browser");
    assertThat(fetch.get("kind").asText()).isEqualTo("client");
    assertThat(fetch.get("parentSpanId").isNull()).isTrue();
    assertThat(fetch.at("/attributes/rum.first_token_ms").asDouble()).isEqualTo(450.0);
    assertThat(fetch.at("/attributes/rum.ttft_source").asText()).isEqualTo("app");
    assertThat(fetch.at("/attributes/rum.tokens_per_s").asDouble()).isEqualTo(20.0);
    assertThat(fetch.at("/attributes/rum.stream_ms").asDouble()).isEqualTo(1450.0);
    assertThat(fetch.at("/attributes/http.response.status_code").asLong()).isEqualTo(200);
    assertThat(fetch.at("/attributes/url.full").asText()).isEqualTo("http://127.0.0.1:8080/api/chat");
    assertThat(fetch.get("unmappedAttributes")).noneMatch(k -> k.asText().startsWith("rum."));

    String metrics = send("GET", "/metrics", null).body();
    assertThat(metrics).containsPattern("sightline_rum_events_total\\{app=\"web\",outcome=\"accepted\"} [1-9]");
    assertThat(metrics).containsPattern("sightline_requests_total\\{receiver=\"rum\"} [1-9]");
  }

  @Test
  void corsPreflightAllowedAndRefused() throws Exception {
    HttpResponse<String> ok = send("OPTIONS", "/rum/v1/events?key=pk_web", null, "Origin", SITE,
        "Access-Control-Request-Method", "POST");
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue(SITE);
    assertThat(ok.headers().firstValue("access-control-allow-methods")).hasValue("POST, OPTIONS");
    HttpResponse<String> no = send("OPTIONS", "/rum/v1/events?key=pk_web", null, "Origin", "https://elsewhere.test");
    assertThat(no.statusCode()).isEqualTo(403);
    assertThat(json(no).at("/error/message").asText()).contains("https://elsewhere.test").contains("--rum-app");
  }

  @Test
  void aForeignOriginsPostIsRefusedAndNothingStored() throws Exception {
    String trace = freshTrace();
    HttpResponse<String> r = send("POST", "/rum/v1/events?key=pk_web", body("f00df00df00df00d", trace, freshTrace()),
        "Origin", "https://elsewhere.test", "User-Agent", UA);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("origin_not_allowed");
    assertThat(traceStatus(trace)).isEqualTo(404);
  }

  @Test
  void limitsKeysAndMalformedBodies() throws Exception {
    HttpResponse<String> big = send("POST", "/rum/v1/events?key=pk_web", "{\"events\":[],\"p\":\"" + "x".repeat(5000) + "\"}",
        "User-Agent", UA);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json(big).at("/error/message").asText()).contains("4096 bytes");
    HttpResponse<String> bad = send("POST", "/rum/v1/events?key=pk_web", "{nope", "User-Agent", UA);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/code").asText()).isEqualTo("malformed");
    HttpResponse<String> unknown = send("POST", "/rum/v1/events?key=pk_other", "{}", "User-Agent", UA);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(unknown).at("/error/code").asText()).isEqualTo("unknown_key");
  }

  @Test
  void botsAreDroppedAndNothingStored() throws Exception {
    String trace = freshTrace();
    HttpResponse<String> r = send("POST", "/rum/v1/events?key=pk_web", body("b0b0b0b0b0b0b0b0", trace, freshTrace()),
        "User-Agent", "Mozilla/5.0 (compatible; bingbot/2.0)");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(json(r).get("dropped").asText()).isEqualTo("bot");
    assertThat(traceStatus(trace)).isEqualTo(404);
  }

  @Test
  void samplingKeepsOrDropsEachSessionTheSameWayEveryTime() throws Exception {
    Set<String> outcomes = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      String session = String.format("%016x", 0x5e55_0000L + i * 104_729L);
      List<String> seen = new ArrayList<>();
      for (int attempt = 0; attempt < 2; attempt++) {
        String trace = freshTrace();
        HttpResponse<String> r = send("POST", "/rum/v1/events?key=pk_half", body(session, trace, freshTrace()),
            "User-Agent", UA, "Origin", "https://any.example");
        assertThat(r.statusCode()).isEqualTo(202);
        String outcome = json(r).has("dropped") ? "dropped" : "kept";
        assertThat(traceStatus(trace)).isEqualTo(outcome.equals("kept") ? 200 : 404);
        seen.add(outcome);
      }
      assertThat(seen.get(1)).as("session " + session).isEqualTo(seen.get(0));
      outcomes.add(seen.get(0));
    }
    assertThat(outcomes).containsExactlyInAnyOrder("kept", "dropped");
  }

  @Test
  void theAgentIsServedAsAScriptAndAsAModule() throws Exception {
    HttpResponse<String> js = send("GET", "/rum/sightline-rum.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/javascript"));
    assertThat(js.headers().firstValue("cache-control")).hasValue("public, max-age=300");
    assertThat(js.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(js.body()).contains("SightlineRum");
    HttpResponse<String> mjs = send("GET", "/rum/sightline-rum.mjs", null);
    assertThat(mjs.statusCode()).isEqualTo(200);
    assertThat(mjs.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/javascript"));
    assertThat(mjs.body()).isEqualTo(js.body() + "\nexport default SightlineRum;\nexport {SightlineRum};\n");
  }

  @Test
  void rumIsOffWithoutApps(@TempDir Path other) throws Exception {
    try (SightlineServer off = TestServers.start(other)) {
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + off.httpPort() + "/rum/v1/events?key=pk_web"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).header("User-Agent", UA).build();
      HttpResponse<String> r = TestServers.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(json(r).at("/error/code").asText()).isEqualTo("rum_off");
      assertThat(json(r).at("/error/message").asText()).contains("--rum-app NAME=KEY");
    }
  }
}
