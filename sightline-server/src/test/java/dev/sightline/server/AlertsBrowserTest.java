package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.server.config.SightlineConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The alerts layer in Chromium over a real server configured with the documented flags: a config
 * rule that traffic on one route breaches (firing now, history), rules added and refused through
 * the page's form, a webhook test-fired at a local receiver, a budget's burn-down on the cost page,
 * and a cost spike in the store marked on the overview's cost chart, linking to its explanation.
 */
class AlertsBrowserTest {
  static final String BREACH_ROUTE = "/breach";
  static final String STEADY_ROUTE = "/steady";
  static final BigDecimal PER_TOKEN = new BigDecimal("0.000001");

  @TempDir static Path dir;
  static HttpServer receiver;
  static final AtomicInteger received = new AtomicInteger();
  static SightlineServer server;
  static Browser browser;
  static Instant spikeHour;

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      received.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    server = SightlineServer.start(config(
        "--data-dir", dir.resolve("data").toString(),
        "--http-port", "0", "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--evaluators", "off",
        "--alert-interval", "1s",
        "--alert-rule", "id=breach-calls; name=Breach calls; figure=calls; filter.route=" + BREACH_ROUTE
            + "; window=10m; condition=> 2; severity=critical",
        "--webhook", "hooks=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
        "--budget", "breach=route:" + BREACH_ROUTE + ",50/month,soft=75%"));

    // four weeks of flat traffic on one route, then the last complete hour at the same number of
    // calls but ten times the tokens: "same traffic, N× cost" for the anomaly detector
    spikeHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    List<Span> spans = new ArrayList<>();
    int hours = 29 * 24;
    for (int h = hours; h >= 0; h--) {
      Instant hour = spikeHour.minus(Duration.ofHours(h));
      for (int i = 0; i < 4; i++) {
        long tokens = h == 0 ? 20_000 : 2_000;
        spans.add(span(spans.size() + 1, hour.plus(Duration.ofMinutes(5 + 12L * i)), STEADY_ROUTE, tokens));
      }
    }
    // and five calls on the route the config rule watches, just now
    for (int i = 0; i < 5; i++) {
      spans.add(span(spans.size() + 1, Instant.now().minusSeconds(30 + i), BREACH_ROUTE, 1_000));
    }
    server.store().write(List.of(TelemetryBatch.ofSpans("test", spans)));
    browser = new Browser(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    receiver.stop(0);
  }

  /** The server's configuration from command-line flags, as `sightline server ...` reads them. */
  private static SightlineConfig config(String... flags) {
    String[] args = new String[flags.length + 1];
    args[0] = "server";
    System.arraycopy(flags, 0, args, 1, flags.length);
    CommandLine cli = Main.commandLine(args, Map.of());
    CommandLine.ParseResult r = cli.parseArgs(args);
    // about alerts, not keys: open, as the demo runs
    return ((ServerCommand) r.subcommand().commandSpec().userObject()).options.toConfig()
        .withAccess(dev.sightline.server.config.AccessConfig.open());
  }

  private static Span span(long n, Instant start, String route, long inputTokens) {
    String trace = String.format("%032x", n);
    String id = String.format("%016x", n);
    long startNs = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    long endNs = startNs + 800_000_000L;
    long output = inputTokens / 10;
    BigDecimal input = PER_TOKEN.multiply(BigDecimal.valueOf(inputTokens));
    BigDecimal out = PER_TOKEN.multiply(BigDecimal.valueOf(output * 4));
    Cost cost = new Cost(CostStatus.PRICED, input.add(out), input, BigDecimal.ZERO, BigDecimal.ZERO, out, BigDecimal.ZERO,
        "gpt-4o-mini", null, null);
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o-mini", "gpt-4o-mini", false,
        Usage.reported(inputTokens, 0, 0, 0, output, 0), new Timing(startNs, endNs, null, null, null, null), cost,
        new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(trace, id, "app", route, null, "alice", null, null, List.of()), Content.NONE);
    return new Span(trace, id, null, "chat gpt-4o-mini", SpanKind.CLIENT, startNs, endNs, SpanStatus.OK, null, "app",
        "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM, call, List.of());
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(20));
  }

  /** Console errors other than the refused request a test provoked on purpose. */
  private static void assertNoConsoleErrorsExcept(String expected) {
    assertThat(browser.consoleErrors()).filteredOn(m -> expected == null || !m.contains(expected))
        .as("browser console errors").isEmpty();
  }

  private static void submitRule(String json) {
    browser.js("document.getElementById('rule-json').value = arguments[0]", json);
    browser.find("#rule-add").click();
  }

  @Test
  void aRuleAddedThroughTheFormShowsInTheTableAndABadOneListsEveryProblem() {
    browser.open("/alerts", "alerts");
    assertThat(browser.find("#rules-table").getText()).contains("breach-calls").contains("config");
    assertThat(browser.findAll("button[data-delete=breach-calls]")).as("config rules are read-only").isEmpty();

    submitRule("""
        {"id":"ui-added","name":"Added in the browser","figure":"error_rate_5xx","groupBy":"provider",
         "window":"5m","condition":"> 0.05","severity":"warning"}""");
    browser.awaitText("#rules-table", "ui-added");
    assertThat(browser.find("#rule-result").getText()).contains("Saved rule ui-added");
    WebElement row = browser.findAll("#rules-table tbody tr").stream()
        .filter(r -> r.getText().contains("ui-added")).findFirst().orElseThrow();
    assertThat(row.getText()).contains("Added in the browser").contains("error_rate_5xx").contains("> 0.05").contains("api");
    assertThat(row.findElements(org.openqa.selenium.By.cssSelector("button[data-delete=ui-added]"))).hasSize(1);
    assertThat(TestServers.get(server, "/api/v1/alerts/rules").path("rules").findValuesAsText("id")).contains("ui-added");

    submitRule("""
        {"id":"bad rule!","figure":"cost_per_minute","window":"-5m","condition":"above 3","severity":"loud"}""");
    String problems = browser.awaitText("#rule-problems", "severity");
    assertThat(browser.findAll("#rule-problems li")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(problems).contains("id:").contains("figure:").contains("window:").contains("condition:").contains("severity:");
    browser.screenshot("alerts-rules");
    assertNoConsoleErrorsExcept("status of 400");
  }

  @Test
  void trafficThatBreachesARuleIsFiringNowAndInTheHistory() {
    TestServers.await(server, "/api/v1/alerts", n -> n.path("firing").findValuesAsText("ruleId").contains("breach-calls")
        && n.path("firing").findValuesAsText("state").contains("firing"));
    browser.open("/alerts", "alerts");
    String firing = browser.awaitText("#firing-table", "breach-calls");
    assertThat(firing).contains("firing").contains("critical");
    assertThat(browser.awaitText("#history-table", "breach-calls")).contains("firing");
    assertThat(browser.find("#rules-table").getText()).contains("firing");
    browser.screenshot("alerts-firing");
    assertNoConsoleErrorsExcept(null);
  }

  @Test
  void testFiringAWebhookShowsItsOutcomeAndTheDelivery() {
    browser.open("/alerts", "alerts");
    assertThat(browser.find("#webhook-targets").getText()).contains("hooks");
    int before = received.get();
    browser.find("button[data-test=hooks]").click();
    String outcome = browser.awaitText("[data-testid=test-outcome][data-target=hooks]", "HTTP");
    assertThat(outcome).contains("delivered").contains("HTTP 200");
    assertThat(received.get()).isGreaterThan(before);
    assertThat(browser.awaitText("#deliveries-table", "delivered")).contains("hooks").contains("200");
    assertNoConsoleErrorsExcept(null);
  }

  @Test
  void theCostPageShowsTheBudgetsBurnDown() {
    browser.open("/cost?range=24h", "cost");
    WebElement card = waiting().until(d -> {
      List<WebElement> cards = browser.findAll("[data-testid=budget][data-budget=breach]");
      return cards.isEmpty() ? null : cards.get(0);
    });
    assertThat(card.getText()).contains("breach").contains("route " + BREACH_ROUTE).contains("of $50.00")
        .contains("Forecast at window end");
    assertThat(card.findElement(org.openqa.selenium.By.cssSelector(".badge[data-state]")).getText()).isNotBlank();
    browser.awaitText("[data-testid=budget][data-budget=breach] [data-chart=Burn-down]", "forecast");
    assertThat(browser.find("[data-testid=budget] [data-chart=Burn-down]").getText())
        .contains("limit").contains("soft limit").contains("spent");
    assertThat(browser.findAll("[data-testid=budget] .uplot canvas")).isNotEmpty();
    browser.screenshot("cost-budgets");
    assertNoConsoleErrorsExcept(null);
  }

  @Test
  void anAnomalyIsMarkedOnTheOverviewsCostChartAndLinksToItsExplanation() {
    JsonNode anomalies = TestServers.await(server, "/api/v1/anomalies", n -> n.path("anomalies").size() > 0);
    String start = anomalies.path("anomalies").get(0).path("start").asText();
    assertThat(Instant.parse(start)).isEqualTo(spikeHour);

    browser.open("/overview?range=6h", "overview");
    // the chart redraws its markers when it refreshes: read and click a fresh element each try
    String[] marker = waiting().until(d -> {
      try {
        List<WebElement> m = browser.findAll("[data-chart^=\"Cost per hour\"] a.chart-marker");
        return m.isEmpty() ? null : new String[] {m.get(0).getAttribute("href"), m.get(0).getAttribute("title")};
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        return null;
      }
    });
    assertThat(URLDecoder.decode(marker[0], StandardCharsets.UTF_8)).endsWith("/alerts#anomaly-" + start);
    assertThat(marker[1]).isEqualTo(anomalies.path("anomalies").get(0).path("summary").asText());
    browser.screenshot("overview-anomaly");
    waiting().until(d -> {
      try {
        browser.find("[data-chart^=\"Cost per hour\"] a.chart-marker .flag").click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return null;
      }
    });
    browser.awaitReady("alerts");
    WebElement explained = waiting().until(d -> {
      List<WebElement> e = browser.findAll(".anomaly.focused");
      return e.isEmpty() ? null : e.get(0);
    });
    assertThat(explained.getAttribute("id")).isEqualTo("anomaly-" + start);
    assertThat(explained.getText()).contains(anomalies.path("anomalies").get(0).path("summary").asText());
    assertThat((Boolean) browser.js("const r = arguments[0].getBoundingClientRect();"
        + " return r.top < window.innerHeight && r.bottom > 0", explained)).as("scrolled into view").isTrue();
    assertNoConsoleErrorsExcept(null);
  }
}
