package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.server.config.SightlineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's acceptance: a price file with a custom model, its long-context tier, a batch tier and a
 * dated price change prices spans sent over OTLP exactly as the file says; after the file changes,
 * {@code sightline pricing reprice} changes the stored cost of exactly the affected calls.
 *
 * <p>Prices (USD per million tokens; per token ×1e-6):
 * <pre>
 *   acme-large  until 2026-03-01: input 2.00, output 8.00; above 100k input: 4.00 / 12.00; batch: 1.00 / 4.00
 *               from 2026-03-01:  input 1.00, output 4.00
 *   acme-small  (vllm):           input 0.10, output 0.20
 *
 *  #  start               model       tier   in       out    cost
 *  1  2026-02-10 10:00    acme-large         10,000   1,000  10000×2e-6 = .02   + 1000×8e-6 = .008    = .028
 *  2  2026-02-10 11:00    acme-large         150,000  1,000  150000×4e-6 = .6   + 1000×1.2e-5 = .012  = .612
 *  3  2026-02-10 12:00    acme-large  batch  10,000   1,000  10000×1e-6 = .01   + 1000×4e-6 = .004    = .014
 *  4  2026-03-05 10:00    acme-large         10,000   1,000  10000×1e-6 = .01   + 1000×4e-6 = .004    = .014
 *  5  2026-02-10 10:30    acme-small         10,000   1,000  10000×1e-7 = .001  + 1000×2e-7 = .0002   = .0012
 *  6  2026-02-10 10:45    gpt-4o (bundled)   1,000    100    1000×2.5e-6 = .0025 + 100×1e-5 = .001    = .0035, reported .0035
 *  7  2026-02-10 10:50    gpt-4o (bundled)   1,000    100    .0035, reported .0100: more than 1% apart
 * </pre>
 * The edit: acme-large's February input 2.00 → 3.00 and acme-small's output 0.20 → 0.40. Affected:
 * call 1 (10000×3e-6 + .008 = .038) and call 5 (.001 + 1000×4e-7 = .0014). Not affected: call 2 (its
 * tier restates input), call 3 (batch restates input), call 4 (March prices), calls 6–7 (bundled).
 */
class RepriceCommandTest {
  @TempDir Path dir;
  static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static final String PRICES = """
      models:
        - name: acme-large
          prices:
            - input: %s
              output: 8.00
              tiers:
                - aboveInputTokens: 100000
                  input: 4.00
                  output: 12.00
              batch:
                input: 1.00
                output: 4.00
            - effectiveFrom: 2026-03-01
              input: 1.00
              output: 4.00
        - name: acme-small
          provider: vllm
          prices:
            - input: 0.10
              output: %s
      """;

  private static String span(int n, String start, String provider, String model, long in, long out, String tier,
      String reported) {
    long ns = Instant.parse(start).getEpochSecond() * 1_000_000_000L;
    String extra = (tier == null ? "" : ",{\"key\":\"openai.response.service_tier\",\"value\":{\"stringValue\":\"" + tier + "\"}}")
        + (reported == null ? "" : ",{\"key\":\"llm.cost.total\",\"value\":{\"doubleValue\":" + reported + "}}");
    return """
        {"traceId":"%032x","spanId":"%016x","name":"chat %s","kind":3,
         "startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[
          {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
          {"key":"gen_ai.provider.name","value":{"stringValue":"%s"}},
          {"key":"gen_ai.request.model","value":{"stringValue":"%s"}},
          {"key":"gen_ai.usage.input_tokens","value":{"intValue":"%d"}},
          {"key":"gen_ai.usage.output_tokens","value":{"intValue":"%d"}}%s]}"""
        .formatted(0x5eed0000 + n, n, model, ns, ns + 1_000_000_000L, provider, model, in, out, extra);
  }

  private static void send(SightlineServer s) throws Exception {
    List<String> spans = new ArrayList<>();
    spans.add(span(1, "2026-02-10T10:00:00Z", "acme", "acme-large", 10_000, 1_000, null, null));
    spans.add(span(2, "2026-02-10T11:00:00Z", "acme", "acme-large", 150_000, 1_000, null, null));
    spans.add(span(3, "2026-02-10T12:00:00Z", "acme", "acme-large", 10_000, 1_000, "batch", null));
    spans.add(span(4, "2026-03-05T10:00:00Z", "acme", "acme-large", 10_000, 1_000, null, null));
    spans.add(span(5, "2026-02-10T10:30:00Z", "vllm", "acme-small", 10_000, 1_000, null, null));
    spans.add(span(6, "2026-02-10T10:45:00Z", "openai", "gpt-4o", 1_000, 100, null, "0.0035"));
    spans.add(span(7, "2026-02-10T10:50:00Z", "openai", "gpt-4o", 1_000, 100, null, "0.01"));
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"acme"}}]},
          "scopeSpans":[{"spans":[%s]}]}]}
        """.formatted(String.join(",", spans));
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Every call's JSON, by its number (the span id). */
  private static Map<Integer, JsonNode> calls(SightlineServer s) throws Exception {
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort()
        + "/api/v1/llm/calls?since=2026-01-01T00:00:00Z&until=2026-04-01T00:00:00Z&limit=100")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<Integer, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode c : EXACT.readTree(r.body()).get("calls")) {
      out.put(Integer.parseInt(c.get("spanId").asText(), 16), c);
    }
    return out;
  }

  private static SightlineServer start(Path data, Path prices) {
    return SightlineServer.start(SightlineConfig.local(data, 0, 0, 0).withPricingFile(prices));
  }

  /** Runs the CLI in this process, as {@code ./sightline ARGS} would; returns exit code, stdout and stderr. */
  private static String[] cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = Main.run(args, Map.of());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
  }

  private static void assertCost(JsonNode call, String usd) {
    assertThat(call.get("costStatus").asText()).as(call.toString()).isEqualTo("priced");
    assertThat(call.get("costUsd").decimalValue()).as(call.toString()).isEqualByComparingTo(new BigDecimal(usd));
  }

  @Test
  void theFileSetsTheCostsAndRepriceChangesExactlyTheAffectedCalls() throws Exception {
    Path data = dir.resolve("data");
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(prices, PRICES.formatted("2.00", "0.20"));
    Map<Integer, JsonNode> before;
    try (SightlineServer s = start(data, prices)) {
      send(s);
      before = calls(s);
      assertThat(before).hasSize(7);
      assertCost(before.get(1), "0.028");
      assertCost(before.get(2), "0.612");
      assertCost(before.get(3), "0.014");
      assertThat(before.get(3).get("serviceTier").asText()).isEqualTo("batch");
      assertThat(before.get(3).get("cost").get("reason").asText()).isEqualTo("batch tier prices");
      assertCost(before.get(4), "0.014");
      assertCost(before.get(5), "0.0012");
      assertCost(before.get(6), "0.0035");
      assertCost(before.get(7), "0.0035");
      // reported beside computed: equal → no mismatch; $0.01 vs $0.0035 → flagged
      assertThat(before.get(6).get("reportedCostUsd").decimalValue()).isEqualByComparingTo("0.0035");
      assertThat(before.get(6).get("costMismatch").asBoolean()).isFalse();
      assertThat(before.get(7).get("reportedCostUsd").decimalValue()).isEqualByComparingTo("0.01");
      assertThat(before.get(7).get("costMismatch").asBoolean()).isTrue();
      assertThat(before.get(7).get("cost").get("mismatch").asBoolean()).isTrue();
      assertThat(before.get(1).get("costMismatch").isNull()).isTrue();

      // while the server holds the database, reprice refuses with the fix in the message
      String[] locked = cli("pricing", "reprice", "--since", "2026-01-01", "--data-dir", data.toString());
      assertThat(locked[0]).isEqualTo("2");
      assertThat(locked[2]).contains("cannot re-price while a Sightline server").contains("Stop the server");
    }

    Files.writeString(prices, PRICES.formatted("3.00", "0.40"));
    String[] run = cli("pricing", "reprice", "--since", "2026-01-01", "--data-dir", data.toString(),
        "--pricing-file", prices.toString());
    assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
    assertThat(run[1]).contains("re-priced 7 of 7 calls").contains(": 2 costs changed");
    assertThat(run[2]).contains("re-pricing [").contains("100%");

    // running it again changes nothing
    String[] again = cli("pricing", "reprice", "--since", "2026-01-01", "--data-dir", data.toString(),
        "--pricing-file", prices.toString());
    assertThat(again[1]).contains("re-priced 7 of 7 calls").contains(": 0 costs changed");

    try (SightlineServer s = start(data, prices)) {
      Map<Integer, JsonNode> after = calls(s);
      assertCost(after.get(1), "0.038");
      assertCost(after.get(5), "0.0014");
      for (int n : new int[] {2, 3, 4, 6, 7}) {
        assertThat(after.get(n).get("cost")).as("call " + n).isEqualTo(before.get(n).get("cost"));
        assertThat(after.get(n).get("costUsd")).as("call " + n).isEqualTo(before.get(n).get("costUsd"));
      }
      // the cost API agrees: Feb 10 = .038 + .612 + .014 + .0014 + .0035 + .0035 = .6724; March 5 = .014
      HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + s.httpPort() + "/api/v1/cost?groupBy=model&interval=1d&since=2026-01-01T00:00:00Z&until=2026-04-01T00:00:00Z"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode cost = EXACT.readTree(r.body());
      assertThat(cost.get("totals").get("costUsd").decimalValue()).as(r.body()).isEqualByComparingTo("0.6864");
    }
  }

  /**
   * The same on the shared PostgreSQL store (a server with --store postgres://…): the servers may keep
   * running, and the one serving the API shows the new costs at once.
   */
  @Test
  void repriceWorksOnThePostgresStoreWhileTheServerRuns() throws Exception {
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(prices, PRICES.formatted("2.00", "0.20"));
    try (dev.sightline.store.postgres.PostgresServer pg = dev.sightline.store.postgres.PostgresServer.start()) {
      try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl()); var st = c.createStatement()) {
        st.execute("CREATE DATABASE reprice");
      }
      String url = pg.jdbcUrl().replace("/postgres?", "/reprice?");
      SightlineConfig config = SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withPricingFile(prices)
          .withCluster(new dev.sightline.server.config.ClusterConfig(
              java.util.EnumSet.allOf(dev.sightline.server.config.ClusterConfig.Role.class), null, null, url));
      try (SightlineServer s = SightlineServer.start(config)) {
        send(s);
        Map<Integer, JsonNode> before = calls(s);
        assertThat(before).hasSize(7);
        assertCost(before.get(1), "0.028");
        assertCost(before.get(5), "0.0012");

        Files.writeString(prices, PRICES.formatted("3.00", "0.40"));
        String[] run = cli("pricing", "reprice", "--since", "2026-01-01", "--store", url, "--pricing-file",
            prices.toString());
        assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
        assertThat(run[1]).contains("re-priced 7 of 7 calls").contains(": 2 costs changed");
        String[] again = cli("pricing", "reprice", "--since", "2026-01-01", "--store", url, "--pricing-file",
            prices.toString());
        assertThat(again[1]).contains(": 0 costs changed");

        Map<Integer, JsonNode> after = calls(s);
        assertCost(after.get(1), "0.038");
        assertCost(after.get(5), "0.0014");
        for (int n : new int[] {2, 3, 4, 6, 7}) {
          assertThat(after.get(n).get("costUsd")).as("call " + n).isEqualTo(before.get(n).get("costUsd"));
        }
        HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + s.httpPort() + "/api/v1/cost?groupBy=model&interval=1d&since=2026-01-01T00:00:00Z&until=2026-04-01T00:00:00Z"))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(EXACT.readTree(r.body()).get("totals").get("costUsd").decimalValue()).as(r.body())
            .isEqualByComparingTo("0.6864");
      }
      // a project that has no schema yet is created empty: nothing to re-price, no error
      String[] other = cli("pricing", "reprice", "--since", "2026-01-01", "--store", url, "--project", "team-a");
      assertThat(other[0]).as(other[1] + other[2]).isEqualTo("0");
      assertThat(other[1]).contains("re-priced 0 of 0 calls");
    }
  }

  @Test
  void badInputIsAClearError() {
    String[] noDb = cli("pricing", "reprice", "--since", "2026-01-01", "--data-dir", dir.resolve("none").toString());
    assertThat(noDb[0]).isEqualTo("2");
    assertThat(noDb[2]).contains("there is no Sightline database at");
    String[] badTime = cli("pricing", "reprice", "--since", "last tuesday", "--data-dir", dir.toString());
    assertThat(badTime[0]).isEqualTo("2");
    assertThat(badTime[2]).contains("--since must be a date such as 2026-03-01");
    String[] backwards = cli("pricing", "reprice", "--since", "2026-02-01", "--until", "2026-01-01");
    assertThat(backwards[2]).contains("--until (2026-01-01T00:00:00Z) must be after --since");
    String[] badStore = cli("pricing", "reprice", "--since", "2026-01-01", "--store", "mysql://u:hunter2@h/db");
    assertThat(badStore[0]).isEqualTo("2");
    assertThat(badStore[2]).contains("--store takes duckdb").doesNotContain("hunter2");
    String[] missing = cli("pricing", "reprice");
    assertThat(missing[0]).isNotEqualTo("0");
    assertThat(missing[2]).contains("--since");
  }
}
