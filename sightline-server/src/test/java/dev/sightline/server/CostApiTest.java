package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/cost} end to end: spans sent over OTLP/JSON, priced by the bundled catalog
 * (LiteLLM-derived, USD per token), come back as exact series and totals.
 *
 * <p>Prices: gpt-4o input 2.5e-6, cache read 1.25e-6, output 1e-5; o3-mini-2025-01-31 input 1.1e-6,
 * cache read 5.5e-7, output 4.4e-6 (no reasoning price: reasoning tokens cost the output price).
 * OTel semconv counts: input includes cache reads, output includes reasoning.
 *
 * <pre>
 *  #  start (2025-06-02) model              in (cache)   out (reasoning)  cost
 *  1  10:15  gpt-4o              1000 (200)   300          800×2.5e-6 = .002    + 200×1.25e-6 = .00025 + 300×1e-5 = .003     = .00525
 *  2  11:30  gpt-4o              2000         100          2000×2.5e-6 = .005   + 100×1e-5 = .001                          = .006
 *  3  10:45  o3-mini-2025-01-31  1000 (400)   500 (200)    600×1.1e-6 = .00066  + 400×5.5e-7 = .00022 + 300×4.4e-6 = .00132
 *                                                          + reasoning 200×4.4e-6 = .00088                                = .00308
 *  4  11:05  o3-mini-2025-01-31  10000        1000 (800)   10000×1.1e-6 = .011  + 200×4.4e-6 = .00088 + 800×4.4e-6 = .00352 = .0154
 *  5  11:10  sightline-test-unpriced (vllm)  50   5        unpriced: counted, never summed
 *  6  12:00  gpt-4o              100          10           100×2.5e-6 = .00025  + 10×1e-5 = .0001                       = .00035
 * </pre>
 */
class CostApiTest {
  @TempDir static Path dir;
  static SightlineServer server;
  static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final String TRACE = "7c1f0000000000000000000000000001";

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir.resolve("data"));
    List<String> spans = new ArrayList<>();
    spans.add(span(1, "2025-06-02T10:15:00Z", "openai", "gpt-4o", "gpt-4o", 1000, 200, 300, 0));
    spans.add(span(2, "2025-06-02T11:30:00Z", "openai", "gpt-4o", "gpt-4o", 2000, 0, 100, 0));
    spans.add(span(3, "2025-06-02T10:45:00Z", "openai", "o3-mini", "o3-mini-2025-01-31", 1000, 400, 500, 200));
    spans.add(span(4, "2025-06-02T11:05:00Z", "openai", "o3-mini", "o3-mini-2025-01-31", 10000, 0, 1000, 800));
    spans.add(span(5, "2025-06-02T11:10:00Z", "vllm", "sightline-test-unpriced", "sightline-test-unpriced", 50, 0, 5, 0));
    spans.add(span(6, "2025-06-02T12:00:00Z", "openai", "gpt-4o", "gpt-4o", 100, 0, 10, 0));
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cost-svc"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[%s]}]}]}
        """.formatted(String.join(",\n", spans));
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String span(int n, String start, String provider, String requestModel, String responseModel,
      long input, long cacheRead, long output, long reasoning) {
    long ns = Instant.parse(start).getEpochSecond() * 1_000_000_000L;
    return """
        {"traceId":"%s","spanId":"00000000000000%02d","name":"chat %s","kind":3,
         "startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[
          {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
          {"key":"gen_ai.provider.name","value":{"stringValue":"%s"}},
          {"key":"gen_ai.request.model","value":{"stringValue":"%s"}},
          {"key":"gen_ai.response.model","value":{"stringValue":"%s"}},
          {"key":"gen_ai.usage.input_tokens","value":{"intValue":"%d"}},
          {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"%d"}},
          {"key":"gen_ai.usage.output_tokens","value":{"intValue":"%d"}},
          {"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"%d"}}]}"""
        .formatted(TRACE, n, requestModel, ns, ns + 2_000_000_000L, provider, requestModel, responseModel, input,
            cacheRead, output, reasoning);
  }

  /** GET with decimals read as BigDecimal (never through a double); adds _status and _raw. */
  private static JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) EXACT.readTree(r.body());
    body.put("_status", r.statusCode());
    body.put("_raw", r.body());
    return body;
  }

  private static void assertUsd(JsonNode n, String expected) {
    if (expected == null) {
      assertThat(n.isNull()).as("expected null, got " + n).isTrue();
    } else {
      assertThat(n.isNumber()).as("expected a number, got " + n).isTrue();
      assertThat(n.decimalValue()).isEqualByComparingTo(new BigDecimal(expected));
    }
  }

  private static void assertFigures(JsonNode f, long calls, long priced, long unpriced, String cost) {
    assertThat(f.get("calls").asLong()).as("calls in " + f).isEqualTo(calls);
    assertThat(f.get("pricedCalls").asLong()).as("pricedCalls in " + f).isEqualTo(priced);
    assertThat(f.get("unpricedCalls").asLong()).as("unpricedCalls in " + f).isEqualTo(unpriced);
    assertUsd(f.get("costUsd"), cost);
  }

  @Test
  void costByModelHourlyIsExact() throws Exception {
    JsonNode r = get("/api/v1/cost?groupBy=model&interval=1h&since=2025-06-02T10:00:00Z&until=2025-06-02T12:00:00Z");
    assertThat(r.get("_status").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("groupBy").asText()).isEqualTo("model");
    assertThat(r.get("interval").asText()).isEqualTo("1h");
    assertThat(r.get("since").asText()).isEqualTo("2025-06-02T10:00:00Z");
    assertThat(r.get("until").asText()).isEqualTo("2025-06-02T12:00:00Z");
    // totals: #1–#5 (#6 starts at until, excluded); .00525 + .006 + .00308 + .0154 = .02973 over 4 priced calls
    JsonNode t = r.get("totals");
    assertFigures(t, 5, 4, 1, "0.02973");
    assertUsd(t.get("costPerCallUsd"), "0.0074325"); // .02973 / 4
    assertUsd(t.get("costPer1kCallsUsd"), "7.4325");
    JsonNode b = t.get("breakdown");
    assertUsd(b.get("inputUsd"), "0.01866"); // .002 + .005 + .00066 + .011
    assertUsd(b.get("cacheReadUsd"), "0.00047"); // .00025 + .00022
    assertUsd(b.get("cacheWriteUsd"), "0");
    assertUsd(b.get("outputUsd"), "0.0062"); // .003 + .001 + .00132 + .00088
    assertUsd(b.get("reasoningUsd"), "0.0044"); // .00088 + .00352
    assertThat(r.get("_raw").asText()).contains("\"costUsd\":0.02973").doesNotContain("E-");
    // the all-groups series: 10:00 = #1 + #3 = .00833; 11:00 = #2 + #4 = .0214, plus unpriced #5
    JsonNode series = r.get("series");
    assertThat(series).hasSize(2);
    assertThat(series.get(0).get("start").asText()).isEqualTo("2025-06-02T10:00:00Z");
    assertFigures(series.get(0), 2, 2, 0, "0.00833");
    assertThat(series.get(1).get("start").asText()).isEqualTo("2025-06-02T11:00:00Z");
    assertFigures(series.get(1), 3, 2, 1, "0.0214");
    // groups, costliest first; the unpriced model last with cost null (not 0)
    JsonNode groups = r.get("groups");
    assertThat(groups.findValuesAsText("key"))
        .containsExactly("o3-mini-2025-01-31", "gpt-4o", "sightline-test-unpriced");
    assertThat(r.get("totalGroups").asLong()).isEqualTo(3);
    assertThat(r.get("truncated").asBoolean()).isFalse();
    JsonNode o3 = groups.get(0);
    assertFigures(o3, 2, 2, 0, "0.01848"); // .00308 + .0154
    assertUsd(o3.get("costPerCallUsd"), "0.00924");
    assertUsd(o3.get("costPer1kCallsUsd"), "9.24");
    assertUsd(o3.get("breakdown").get("reasoningUsd"), "0.0044");
    assertUsd(o3.get("breakdown").get("outputUsd"), "0.0022"); // .00132 + .00088
    assertThat(o3.get("series")).hasSize(2);
    assertFigures(o3.get("series").get(0), 1, 1, 0, "0.00308");
    assertFigures(o3.get("series").get(1), 1, 1, 0, "0.0154");
    JsonNode gpt = groups.get(1);
    assertFigures(gpt, 2, 2, 0, "0.01125"); // .00525 + .006
    assertUsd(gpt.get("costPerCallUsd"), "0.005625");
    assertUsd(gpt.get("costPer1kCallsUsd"), "5.625");
    assertUsd(gpt.get("breakdown").get("cacheReadUsd"), "0.00025");
    assertThat(gpt.get("series").get(0).get("start").asText()).isEqualTo("2025-06-02T10:00:00Z");
    assertFigures(gpt.get("series").get(0), 1, 1, 0, "0.00525");
    assertThat(gpt.get("series").get(1).get("start").asText()).isEqualTo("2025-06-02T11:00:00Z");
    assertFigures(gpt.get("series").get(1), 1, 1, 0, "0.006");
    JsonNode unpriced = groups.get(2);
    assertFigures(unpriced, 1, 0, 1, null);
    assertUsd(unpriced.get("costPerCallUsd"), null);
    assertUsd(unpriced.get("breakdown").get("inputUsd"), null);
    assertThat(unpriced.get("series")).hasSize(1);
    assertThat(unpriced.get("series").get(0).get("start").asText()).isEqualTo("2025-06-02T11:00:00Z");
  }

  @Test
  void dailyBucketsAndOtherGroupings() throws Exception {
    // one UTC day bucket; until 13:00 takes #6 too: .02973 + .00035 = .03008 over 5 priced calls
    JsonNode r = get("/api/v1/cost?groupBy=provider&interval=1d&since=2025-06-02T10:00:00Z&until=2025-06-02T13:00:00Z");
    assertThat(r.get("_status").asInt()).as(r.toString()).isEqualTo(200);
    assertFigures(r.get("totals"), 6, 5, 1, "0.03008");
    assertUsd(r.get("totals").get("costPerCallUsd"), "0.006016"); // .03008 / 5
    assertThat(r.get("series")).hasSize(1);
    assertThat(r.get("series").get(0).get("start").asText()).isEqualTo("2025-06-02T00:00:00Z");
    assertThat(r.get("groups").findValuesAsText("key")).containsExactly("openai", "vllm");
    assertFigures(r.get("groups").get(0), 5, 5, 0, "0.03008");
    assertFigures(r.get("groups").get(1), 1, 0, 1, null);
    // [11:00, 13:00) by service: #2 + #4 + #6 = .006 + .0154 + .00035 = .02175, and #5 unpriced
    JsonNode svc = get("/api/v1/cost?groupBy=service&since=2025-06-02T11:00:00Z&until=2025-06-02T13:00:00Z");
    assertThat(svc.get("interval").asText()).isEqualTo("1h");
    assertThat(svc.get("groups").findValuesAsText("key")).containsExactly("cost-svc");
    assertFigures(svc.get("groups").get(0), 4, 3, 1, "0.02175");
    assertThat(svc.get("series")).hasSize(2);
    assertFigures(svc.get("series").get(1), 1, 1, 0, "0.00035");
    // no session or user attributes were sent: one group with a null key
    JsonNode sessions = get("/api/v1/cost?groupBy=session&since=2025-06-02T00:00:00Z&until=2025-06-03T00:00:00Z&limit=5");
    assertThat(sessions.get("groups")).hasSize(1);
    assertThat(sessions.get("groups").get(0).get("key").isNull()).isTrue();
    assertThat(get("/api/v1/cost?groupBy=user&since=2025-06-02T00:00:00Z&until=2025-06-03T00:00:00Z")
        .get("_status").asInt()).isEqualTo(200);
  }

  @Test
  void defaultsAreModelHourlyOverTheLast24Hours() throws Exception {
    JsonNode r = get("/api/v1/cost");
    assertThat(r.get("_status").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("groupBy").asText()).isEqualTo("model");
    assertThat(r.get("interval").asText()).isEqualTo("1h");
    Instant since = Instant.parse(r.get("since").asText());
    Instant until = Instant.parse(r.get("until").asText());
    assertThat(java.time.Duration.between(since, until)).isEqualTo(java.time.Duration.ofHours(24));
    // the spans are from 2025: nothing in the last day, and no calls means no cost (null)
    assertFigures(r.get("totals"), 0, 0, 0, null);
    assertThat(r.get("series")).isEmpty();
    assertThat(r.get("groups")).isEmpty();
    JsonNode d = get("/api/v1/cost?interval=1d&until=2025-06-10T00:00:00Z");
    assertThat(d.get("since").asText()).isEqualTo("2025-05-11T00:00:00Z"); // 30 days before until
    assertFigures(d.get("totals"), 6, 5, 1, "0.03008");
  }

  @Test
  void badParametersAreClear400s() throws Exception {
    JsonNode r = get("/api/v1/cost?groupBy=color");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("model, provider, service, route, user, session");
    r = get("/api/v1/cost?interval=5m");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("1h or 1d");
    r = get("/api/v1/cost?since=2025-06-02T12:00:00Z&until=2025-06-02T10:00:00Z");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("'since'").contains("before 'until'");
    // 2020-01-01 to 2025-01-01 is 1827 days = 43,848 hours
    r = get("/api/v1/cost?since=2020-01-01T00:00:00Z&until=2025-01-01T00:00:00Z&interval=1h");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("code").asText()).isEqualTo("too_many_buckets");
    assertThat(r.get("error").get("message").asText()).contains("43848").contains("interval=1d");
    assertThat(get("/api/v1/cost?since=2020-01-01T00:00:00Z&until=2025-01-01T00:00:00Z&interval=1d")
        .get("_status").asInt()).isEqualTo(200);
    r = get("/api/v1/cost?since=-1000000000d&interval=1d");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    r = get("/api/v1/cost?until=-1000000000-01-01T00:00:00Z");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    r = get("/api/v1/cost?group=model");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("groupBy, interval, limit, since, until");
    r = get("/api/v1/cost?limit=0");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
  }
}
