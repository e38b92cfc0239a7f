package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.server.config.AlertsConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules through the REST API end to end: a rule is posted, calls sent over OTLP breach it, a
 * round of the alert loop fires it, the history and a local webhook receiver show it.
 */
class AlertsEndToEndTest {
  @TempDir
  Path dir;
  private HttpServer receiver;
  private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private SightlineServer server;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      received.add(TestServers.JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    String hook = "ops=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    AlertsConfig alerts = AlertsConfig.parse(
        java.util.List.of("id=cfg-calls; figure=calls; window=5m; condition=> 1000000"), java.util.List.of(hook),
        Duration.ofMinutes(10), false)
        .withNotifier(new Notifier.Settings(Duration.ofMillis(1), Duration.ofHours(4), 2, Duration.ofSeconds(10),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
    server = SightlineServer.start(SightlineConfig.local(dir, 0, 0, 0).withAlerts(alerts));
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.stop(0);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return TestServers.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode next() throws InterruptedException {
    JsonNode b = received.poll(5, TimeUnit.SECONDS);
    assertThat(b).as("the webhook receiver got a request within 5 s").isNotNull();
    return b;
  }

  /** Sends one gpt-4o chat call on route /chat over OTLP/HTTP JSON, started a minute ago. */
  private void sendCall(int n) throws Exception {
    long start = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000L;
    String traceId = String.format("%032x", 0xa1e000 + n);
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"chat-svc"}}]},
         "scopeSpans":[{"spans":[{"traceId":"%1$s","spanId":"%2$s","name":"/chat","kind":2,
           "startTimeUnixNano":"%3$d","endTimeUnixNano":"%4$d","attributes":[
            {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
            {"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
            {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
            {"key":"gen_ai.usage.input_tokens","value":{"intValue":"100000"}},
            {"key":"gen_ai.usage.output_tokens","value":{"intValue":"10000"}}]}]}]}]}
        """.formatted(traceId, String.format("%016x", 0xb000 + n), start, start + 2_000_000_000L);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void ruleFromTheApiFiresIsStoredAndNotified() throws Exception {
    HttpResponse<String> bad = send("POST", "/api/v1/alerts/rules",
        "{\"id\":\"spend\",\"figure\":\"cost_per_hours\",\"window\":\"5 minutes\",\"condition\":\"> 1\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode problems = TestServers.JSON.readTree(bad.body()).path("error").path("problems");
    assertThat(problems.toString()).contains("figure").contains("window");
    assertThat(send("POST", "/api/v1/alerts/rules", "not json").statusCode()).isEqualTo(400);

    HttpResponse<String> created = send("POST", "/api/v1/alerts/rules", """
        {"id":"spend","name":"Chat spend","figure":"cost_per_hour","filter":{"route":"/chat"},"window":"5m",
         "condition":"> 1","severity":"critical"}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(TestServers.JSON.readTree(created.body()).path("source").asText()).isEqualTo("api");
    assertThat(send("POST", "/api/v1/alerts/rules", """
        {"id":"cfg-calls","figure":"calls","window":"5m","condition":"> 1"}""").statusCode()).isEqualTo(409);

    for (int i = 0; i < 3; i++) {
      sendCall(i); // gpt-4o: 3 × ($0.25 + $0.10) = $1.05 in 5 min = $12.60/h
    }
    server.alerts().runOnce(Instant.now());

    JsonNode firing = TestServers.get(server, "/api/v1/alerts");
    assertThat(firing.path("firing")).singleElement().satisfies(f -> {
      assertThat(f.path("ruleId").asText()).isEqualTo("spend");
      assertThat(f.path("state").asText()).isEqualTo("firing");
      assertThat(f.path("severity").asText()).isEqualTo("critical");
      assertThat(new java.math.BigDecimal(f.path("value").asText())).isGreaterThan(java.math.BigDecimal.ONE);
    });
    JsonNode rules = TestServers.get(server, "/api/v1/alerts/rules");
    assertThat(rules.path("rules").findValuesAsText("id")).containsExactly("cfg-calls", "spend");
    assertThat(rules.path("rules").get(1).path("state").asText()).isEqualTo("firing");
    assertThat(rules.path("rules").get(0).path("source").asText()).isEqualTo("config");

    JsonNode history = TestServers.get(server, "/api/v1/alerts/history?ruleId=spend");
    assertThat(history.path("events")).singleElement().satisfies(e -> {
      assertThat(e.path("from").asText()).isEqualTo("inactive");
      assertThat(e.path("to").asText()).isEqualTo("firing");
      assertThat(e.path("message").asText()).contains("Chat spend");
    });
    JsonNode notice = next();
    assertThat(notice.path("status").asText()).isEqualTo("firing");
    assertThat(notice.path("alerts").get(0).path("alertKey").asText()).isEqualTo("spend");

    HttpResponse<String> test = send("POST", "/api/v1/alerts/test?target=ops", null);
    assertThat(test.statusCode()).as(test.body()).isEqualTo(200);
    assertThat(TestServers.JSON.readTree(test.body()).path("outcome").asText()).isEqualTo("delivered");
    assertThat(next().path("test").asBoolean()).isTrue();
    assertThat(send("POST", "/api/v1/alerts/test?target=nobody", null).statusCode()).isEqualTo(404);
    JsonNode deliveries = TestServers.get(server, "/api/v1/alerts/deliveries");
    assertThat(deliveries.path("targets").get(0).path("name").asText()).isEqualTo("ops");
    assertThat(deliveries.path("deliveries").findValuesAsText("outcome")).contains("delivered");

    String metrics = TestServers.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("sightline_alerts_firing{rule=\"spend\"} 1")
        .contains("sightline_alert_deliveries_total{target=\"ops\",outcome=\"delivered\"}");

    assertThat(send("DELETE", "/api/v1/alerts/rules/cfg-calls", null).statusCode()).isEqualTo(409);
    assertThat(send("DELETE", "/api/v1/alerts/rules/nope", null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/v1/alerts/rules/spend", null).statusCode()).isEqualTo(204);
    server.alerts().runOnce(Instant.now());
    assertThat(TestServers.get(server, "/api/v1/alerts").path("firing")).isEmpty();
    assertThat(TestServers.get(server, "/api/v1/alerts/history?ruleId=spend").path("events").get(0).path("to")
        .asText()).isEqualTo("resolved");
    assertThat(TestServers.get(server, "/api/v1/anomalies").path("anomalies")).isEmpty();
  }
}
