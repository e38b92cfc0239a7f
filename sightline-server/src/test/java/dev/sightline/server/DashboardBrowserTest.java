package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.demo.DemoWorkload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium over demo data: every page renders with no console error,
 * shows the API's numbers, and its filters, links, time range, auto-refresh and theme work.
 * Screenshots of every page land in target/screenshots.
 */
class DashboardBrowserTest {
  @TempDir static Path dir;
  static SightlineServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir.resolve("data"));
    try (DemoWorkload w = new DemoWorkload("http://127.0.0.1:" + server.otlpGrpcPort(),
        "http://127.0.0.1:" + server.otlpHttpPort(), 11)) {
      for (int i = 0; i < 200; i++) {
        w.emitTrace();
      }
      w.flush();
    }
    TestServers.await(server, "/api/v1/llm/calls?limit=10000", n -> n.get("calls").size() >= 300);
    browser = new Browser(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void everyPageRendersTheApisNumbersWithoutConsoleErrors() {
    JsonNode series = TestServers.get(server, "/api/v1/llm/timeseries?since=-1h");
    long calls = series.get("groups").get(0).get("total").get("calls").asLong();

    browser.open("/", "overview");
    assertThat(browser.find("[data-kpi=requests] .value").getText()).isEqualTo(String.format("%,d", calls));
    assertThat(browser.findAll(".uplot canvas")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(browser.findAll("#errors-by-provider tbody tr")).hasSizeGreaterThanOrEqualTo(4);
    assertThat(browser.find("#unpriced").getText()).contains("acme/support-llama-3.1-8b-ft");
    browser.assertNoConsoleErrors();
    browser.screenshot("overview");

    browser.open("/traces", "traces");
    int listed = browser.findAll("#trace-list tbody tr").size();
    assertThat(listed).isEqualTo(Math.min(200, TestServers.get(server, "/api/v1/traces?since=-1h&limit=200")
        .get("traces").size()));
    browser.assertNoConsoleErrors();
    browser.screenshot("traces");

    JsonNode trace = biggestTrace();
    String traceId = trace.get("traceId").asText();
    browser.open("/traces/" + traceId, "trace");
    assertThat(browser.findAll(".wf-row")).hasSize(trace.get("spanCount").asInt());
    assertThat(browser.find("#breakdown").getText()).contains("llm");
    assertThat(browser.find("#critical-path").getText()).startsWith("Critical path:");
    browser.assertNoConsoleErrors();
    browser.screenshot("trace");

    JsonNode call = TestServers.get(server, "/api/v1/llm/calls?traceId=" + traceId + "&limit=1&includeContent=true")
        .get("calls").get(0);
    browser.open("/calls/" + traceId + "/" + call.get("spanId").asText(), "call");
    assertThat(browser.find("#buckets").getText()).contains(String.format("%,d", call.get("usage").get("totalTokens").asLong()));
    assertThat(browser.findAll("#messages .msg")).isNotEmpty();
    browser.assertNoConsoleErrors();
    browser.screenshot("call");

    browser.open("/models", "models");
    JsonNode models = TestServers.get(server, "/api/v1/llm/summary?groupBy=model&since=-1h");
    assertThat(browser.findAll("#models-table tbody tr")).hasSize(models.get("groups").size());
    browser.assertNoConsoleErrors();
    browser.screenshot("models");

    browser.open("/cost", "cost");
    assertThat(browser.findAll("#cost-table tbody tr")).isNotEmpty();
    browser.assertNoConsoleErrors();
    browser.screenshot("cost");

    browser.open("/sessions", "sessions");
    List<WebElement> sessions = browser.findAll("#sessions-table tbody tr a");
    assertThat(sessions).isNotEmpty();
    String session = sessions.get(0).getText();
    browser.screenshot("sessions");
    sessions.get(0).click();
    browser.awaitReady("sessions");
    assertThat(browser.currentPath()).contains("session=" + enc(session));
    int sessionCalls = TestServers.get(server, "/api/v1/llm/calls?session=" + enc(session) + "&limit=10000")
        .get("calls").size();
    assertThat(browser.findAll("#session-calls tbody tr")).hasSize(sessionCalls);
    browser.assertNoConsoleErrors();
    browser.screenshot("session");

    browser.open("/users", "users");
    List<WebElement> users = browser.findAll("#users-table tbody tr a");
    assertThat(users).isNotEmpty();
    browser.screenshot("users");
    users.get(0).click();
    browser.awaitReady("users");
    assertThat(browser.findAll("#user-calls tbody tr")).isNotEmpty();
    browser.assertNoConsoleErrors();
    browser.screenshot("user");
  }

  private static JsonNode biggestTrace() {
    JsonNode best = null;
    for (JsonNode t : TestServers.get(server, "/api/v1/traces?limit=200").get("traces")) {
      if (t.get("llmCalls").asInt() > 0 && (best == null || t.get("spanCount").asInt() > best.get("spanCount").asInt())) {
        best = t;
      }
    }
    return best;
  }

  @Test
  void traceFiltersLinksAndDeepLinksWork() throws Exception {
    JsonNode model = TestServers.get(server, "/api/v1/llm/summary?groupBy=model").get("groups").get(1);
    String m = model.get("key").asText();
    browser.open("/traces", "traces");
    browser.find("#f-model").sendKeys(m);
    browser.find("#trace-filters button[type=submit]").click();
    browser.awaitReady("traces");
    assertThat(browser.currentPath()).contains("model=" + enc(m));
    List<String> shown = new ArrayList<>();
    for (WebElement a : browser.findAll("#trace-list tbody tr td:nth-child(2) a")) {
      shown.add(a.getAttribute("href").replaceAll(".*/traces/([0-9a-f]+).*", "$1"));
    }
    List<String> expected = new ArrayList<>();
    for (JsonNode t : TestServers.get(server, "/api/v1/traces?since=-1h&limit=200&model=" + enc(m)).get("traces")) {
      expected.add(t.get("traceId").asText());
    }
    assertThat(shown).isNotEmpty().containsExactlyElementsOf(expected);

    // status filter, then reload the URL as it stands: the filter survives
    new Select(browser.find("#f-status")).selectByValue("error");
    browser.find("#trace-filters button[type=submit]").click();
    browser.awaitReady("traces");
    String url = browser.currentPath();
    assertThat(url).contains("status=error");
    browser.open(url, "traces");
    assertThat(new Select(browser.find("#f-status")).getFirstSelectedOption().getAttribute("value")).isEqualTo("error");
    assertThat(browser.find("#f-model").getAttribute("value")).isEqualTo(m);
    for (WebElement row : browser.findAll("#trace-list tbody tr")) {
      assertThat(row.getText()).contains("error");
    }

    // a row leads to its trace; an LLM span to its call; the call back to its trace
    browser.open("/traces", "traces");
    browser.findAll("#trace-list tbody tr").get(0).click();
    browser.awaitReady("trace");
    assertThat(browser.currentPath()).startsWith("/traces/");
    String traceId = browser.currentPath().replaceAll("^/traces/([0-9a-f]+).*", "$1");
    JsonNode call = TestServers.get(server, "/api/v1/llm/calls?traceId=" + traceId + "&includeContent=true").get("calls").get(0);
    browser.find(".wf-row[data-span-id='" + call.get("spanId").asText() + "']").click();
    assertThat(browser.currentPath()).contains("span=" + call.get("spanId").asText());
    browser.awaitText("#span-detail", "Open the call");
    assertThat(browser.find("#span-detail").getText()).contains(call.get("spanId").asText());
    browser.find("#span-detail a[href^='/calls/']").click();
    browser.awaitReady("call");
    JsonNode input = TestServers.JSON.readTree(call.get("content").get("inputMessages").asText().isEmpty() ? "[]"
        : call.get("content").get("inputMessages").asText());
    String lastUserText = input.get(input.size() - 1).get("parts").get(0).get("content").asText();
    assertThat(browser.find("#messages").getText()).contains(lastUserText);
    browser.find(".page-head a").click();
    browser.awaitReady("trace");
    assertThat(browser.currentPath()).contains("/traces/" + traceId).contains("span=");
    browser.assertNoConsoleErrors();
  }

  @Test
  void timeRangeRefreshAndThemeWork() throws Exception {
    browser.open("/overview", "overview");
    new Select(browser.find("#range")).selectByValue("15m");
    browser.awaitReady("overview");
    assertThat(browser.currentPath()).contains("range=15m");
    // a custom range in the past holds nothing: the page says what to do
    browser.open("/overview?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z", "overview");
    assertThat(new Select(browser.find("#range")).getFirstSelectedOption().getAttribute("value")).isEqualTo("custom");
    assertThat(browser.find("[data-empty=true]").getText()).contains("No LLM calls in this time range")
        .contains("/gateway/openai/v1");
    browser.screenshot("overview-empty");
    // the range follows the user to another page
    browser.find(".nav a[href^='/traces']").click();
    browser.awaitReady("traces");
    assertThat(browser.currentPath()).contains("from=2020-01-01");
    assertThat(browser.find("[data-empty=true]").getText()).contains("No traces in this time range");

    // auto-refresh renders the page again by itself
    browser.open("/overview?refresh=10s", "overview");
    new WebDriverWait(browser.driver, Duration.ofSeconds(25)).until(d ->
        Integer.parseInt(browser.find("body").getAttribute("data-renders")) >= 2);

    // dark theme, kept across reloads
    String before = (String) browser.js("return document.documentElement.dataset.theme");
    browser.find("#theme").click();
    browser.awaitReady("overview");
    String after = (String) browser.js("return document.documentElement.dataset.theme");
    assertThat(after).isNotEqualTo(before);
    browser.open("/overview", "overview");
    assertThat((String) browser.js("return document.documentElement.dataset.theme")).isEqualTo(after);
    browser.screenshot("overview-" + after);
    browser.find("#theme").click();
    browser.awaitReady("overview");
    browser.assertNoConsoleErrors();
  }
}
