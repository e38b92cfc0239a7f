package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The connected view in Chromium: one trace from a browser fetch (a span as the real-user agent's
 * receiver makes it) through a backend on a named pod to an LLM call of the model a scraped vLLM
 * engine serves. The services page draws the browser, the backend and the provider with the calls
 * between them; the overview shows the real-users row with the API's numbers; the trace starts at
 * the browser span with its user-perceived TTFT, links resource attributes and the engine; the
 * traces list filters by resource. A service and a pod named like markup stay text.
 */
class ConnectedViewBrowserTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final String POD = "chat-7d9f" + XSS;
  @TempDir static Path dir;
  static SightlineServer server;
  static FixtureEngine pages;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    pages = new FixtureEngine();
    MonitoringConfig monitoring = pages.monitoring(Map.of());
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withEvaluation(EvaluationConfig.off()).withMonitoring(monitoring));
    sendTrace();
    TestServers.await(server, "/api/v1/traces/" + TRACE + "?details=false", r -> r.path("spans").size() == 4);
    TestServers.await(server, "/api/v1/engines?window=5m", r -> r.path("engines").size() == 1);
    TestServers.await(server, "/api/v1/gpus?window=5m", r -> r.path("gpus").size() >= 2);
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
    if (pages != null) {
      pages.close();
    }
  }

  private static String attr(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":" + TestServers.JSON.valueToTree(value) + "}}";
  }

  private static String num(String key, double value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"doubleValue\":" + value + "}}";
  }

  private static String span(String id, String parent, String name, int kind, long start, long end, String attrs) {
    return "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + id + "\"" + (parent == null ? "" : ",\"parentSpanId\":\""
        + parent + "\"") + ",\"name\":\"" + name + "\",\"kind\":" + kind + ",\"startTimeUnixNano\":\"" + start
        + "\",\"endTimeUnixNano\":\"" + end + "\",\"attributes\":[" + attrs + "]}";
  }

  private static String resource(String attrs, String spans) {
    return "{\"resource\":{\"attributes\":[" + attrs + "]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},\"spans\":["
        + spans + "]}]}";
  }

  /**
   * The browser's fetch (root, as the receiver makes it per the contract: rum.type and the user's
   * first token 420 ms after the click), the backend's server span on pod {@link #POD}, its LLM call
   * of facebook/opt-125m (first chunk after 0.3 s), and a database call in a service named like markup.
   */
  private static void sendTrace() throws Exception {
    long t0 = System.currentTimeMillis() * 1_000_000L - 10_000_000_000L;
    long ms = 1_000_000L;
    String browserSpan = span("00f067aa0ba902b7", null, "POST /api/chat", 3, t0, t0 + 900 * ms, String.join(",",
        attr("rum.type", "fetch"), attr("rum.app", "web"), attr("rum.route", "/chat"),
        attr("http.request.method", "POST"), attr("url.full", "http://127.0.0.1/api/chat"),
        num("rum.first_token_ms", 420), attr("rum.ttft_source", "app")));
    String server = span("1a2b3c4d5e6f7081", "00f067aa0ba902b7", "POST /api/chat", 2, t0 + 20 * ms, t0 + 880 * ms,
        attr("http.request.method", "POST"));
    String llm = span("2a2b3c4d5e6f7082", "1a2b3c4d5e6f7081", "chat facebook/opt-125m", 3, t0 + 40 * ms,
        t0 + 860 * ms, String.join(",", attr("gen_ai.operation.name", "chat"), attr("gen_ai.provider.name", "vllm"),
            attr("gen_ai.request.model", "facebook/opt-125m"), num("gen_ai.response.time_to_first_chunk", 0.3),
            "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"12\"}}",
            "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"40\"}}"));
    String db = span("3a2b3c4d5e6f7083", "1a2b3c4d5e6f7081", "SELECT history", 3, t0 + 25 * ms, t0 + 35 * ms,
        attr("db.system", "postgresql"));
    String body = "{\"resourceSpans\":["
        + resource(String.join(",", attr("service.name", "web"), attr("service.version", "1.4.2"),
            attr("telemetry.sdk.name", "sightline-rum")), browserSpan) + ","
        + resource(String.join(",", attr("service.name", "chat-backend"), attr("service.version", "2.0.1"),
            attr("k8s.pod.name", POD), attr("k8s.namespace.name", "prod"), attr("host.name", "node-1")),
            server + "," + llm) + ","
        + resource(attr("service.name", XSS), db) + "]}";
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + ConnectedViewBrowserTest.server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static void assertInert(String page) {
    assertThat(browser.js("return document.querySelectorAll('img, iframe, object, embed').length"))
        .as(page + ": injected elements").isEqualTo(0L);
    assertThat(browser.js("return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        + ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")).as(page + ": handlers")
        .asList().isEmpty();
    browser.assertNoConsoleErrors();
  }

  /** A service map node's left edge (its translate). */
  private static double columnX(String name) {
    return ((Number) browser.js("return arguments[0].transform.baseVal[0].matrix.e",
        browser.find("#service-map .sm-node[data-name=\"" + name + "\"]"))).doubleValue();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void traceStartsAtTheBrowserWithUserTtftResourcesAndInfrastructure() {
    browser.open("/traces/" + TRACE + "?span=1a2b3c4d5e6f7081", "trace");
    // the summary: the user's first token beside the LLM's
    assertThat(browser.find("[data-kpi=user-ttft]").getText()).contains("420 ms").contains("as the user saw it");
    assertThat(browser.find("[data-kpi=llm-ttft]").getText()).contains("300 ms").contains("at the gateway/provider");
    // the browser span is the first row, in its own colour, with the marker at 420 of the trace's 900 ms
    WebElement first = browser.find("#waterfall .wf-row");
    assertThat(first.getAttribute("data-span-id")).isEqualTo("00f067aa0ba902b7");
    assertThat(browser.js("return arguments[0].querySelector('.wf-bar').style.background", first))
        .isEqualTo("var(--cat-browser)");
    WebElement marker = browser.find("#waterfall .wf-row [data-marker=user-ttft]");
    double left = Double.parseDouble(((String) browser.js("return arguments[0].style.left", marker)).replace("%", ""));
    assertThat(left).isCloseTo(100.0 * 420 / 900, org.assertj.core.api.Assertions.within(0.01));
    assertThat(browser.find("#breakdown .legend").getText()).contains("browser");
    // the selected backend span: its where-it-ran attributes first, each a link filtering the traces
    browser.awaitText("#resource-attributes", "k8s.pod.name");
    List<WebElement> keys = browser.findAll("#resource-attributes .res-key");
    assertThat(keys.stream().map(WebElement::getText).toList())
        .containsExactly("service.version", "k8s.pod.name", "k8s.namespace.name", "host.name");
    WebElement pod = browser.find("#resource-attributes a[href*='k8s.pod.name']");
    assertThat(pod.getText()).isEqualTo(POD);
    assertThat(pod.getAttribute("href")).contains("/traces?").contains("resource=" + enc("k8s.pod.name=" + POD));
    // the infrastructure: the engine of the model, linked over the trace's window, and the GPUs
    browser.awaitText("#infrastructure", "facebook/opt-125m");
    JsonNode infra = TestServers.get(server, "/api/v1/traces/" + TRACE + "/infrastructure");
    WebElement engine = browser.find("#infra-engines a");
    assertThat(engine.getAttribute("href")).contains("/engines?").contains("engine=" + enc("vllm:facebook/opt-125m"))
        .contains("from=" + enc(infra.path("since").asText())).contains("to=" + enc(infra.path("until").asText()));
    assertThat(browser.findAll("#infra-gpus li")).hasSize(infra.path("gpus").size());
    assertThat(browser.find("#infra-gpus").getText()).contains("Tesla T4");
    assertInert("trace");
    browser.screenshot("connected-trace");
    engine.click();
    browser.awaitReady("engines");
    assertThat(browser.find("[data-testid=engine-card]").getAttribute("class")).contains("focused");
  }

  @Test
  void servicesPageDrawsTheMapAndTheEdges() {
    JsonNode map = TestServers.await(server, "/api/v1/servicemap?since=-1h", r -> r.path("edges").size() >= 3);
    browser.open("/services", "services");
    assertThat(browser.findAll("#service-map .sm-node")).hasSize(map.path("nodes").size());
    WebElement web = browser.find("#service-map .sm-node[data-name=web]");
    assertThat(web.getAttribute("data-kind")).isEqualTo("browser");
    assertThat(browser.find("#service-map .sm-node[data-name=vllm]").getAttribute("data-kind")).isEqualTo("llm");
    // the columns: browser, then the backend, then the provider
    double webX = columnX("web");
    double backendX = columnX("chat-backend");
    double llmX = columnX("vllm");
    assertThat(webX).isLessThan(backendX);
    assertThat(backendX).isLessThan(llmX);
    JsonNode edge = null;
    for (JsonNode e : map.path("edges")) {
      if (e.path("source").asText().equals("web") && e.path("target").asText().equals("chat-backend")) {
        edge = e;
      }
    }
    assertThat(edge).as(map.toString()).isNotNull();
    String label = browser.find("#service-map .sm-edge[data-source=web][data-target=chat-backend] .sm-label").getText();
    assertThat(label).contains(edge.path("calls").asInt() + " calls").contains("0% err");
    assertThat(browser.find("#service-edges-table").getText()).contains("web").contains("chat-backend")
        .contains(XSS);
    // the map cuts long names to fit the box (the whole name is its title and its data-name)
    assertThat(browser.find("#service-map").getText()).contains(XSS.substring(0, 20));
    assertThat(browser.js("return [...document.querySelectorAll('#service-map .sm-node')].some(n => n.dataset.name === arguments[0])",
        XSS)).isEqualTo(true);
    assertInert("services");
    browser.screenshot("connected-services");
    browser.find("#service-map .sm-node[data-name=chat-backend]").click();
    browser.awaitReady("traces");
    assertThat(browser.currentPath()).startsWith("/traces?").contains("service=chat-backend");
  }

  @Test
  void overviewShowsTheRealUsersRowWithTheApiNumbers() {
    JsonNode rum = TestServers.await(server, "/api/v1/rum/summary?since=-1h",
        r -> r.path("totals").path("requests").asInt() > 0);
    browser.open("/overview", "overview");
    browser.awaitText("#real-users", "Real users");
    String user = browser.find("#real-users [data-kpi=user-ttft]").getText();
    assertThat(user).contains("as users saw it");
    assertThat(rum.path("totals").path("userTtftP50Ms").asDouble()).isEqualTo(420.0);
    assertThat(user).contains("420 ms");
    assertThat(browser.find("#real-users [data-kpi=server-ttft]").getText()).contains("at the gateway/provider")
        .contains(rum.path("totals").path("serverTtftP50Ms").isNull() ? "–" : "300 ms");
    assertThat(browser.find("#rum-requests-table").getText()).contains("POST /api/chat");
    assertInert("overview");
    browser.screenshot("connected-overview");
  }

  @Test
  void tracesListFiltersByResource() {
    browser.open("/traces?resource=" + enc("k8s.pod.name=" + POD), "traces");
    assertThat(browser.find("#active-resource").getText()).contains("k8s.pod.name").contains(POD);
    assertThat(browser.findAll("#trace-list tbody tr")).hasSize(1);
    assertThat(browser.find("#trace-list").getText()).contains(TRACE.substring(0, 16));
    assertThat(browser.find("#f-resource-value").getAttribute("value")).isEqualTo(POD);
    assertInert("traces");
    browser.open("/traces?resource=" + enc("k8s.pod.name=elsewhere"), "traces");
    assertThat(browser.find("main").getText()).contains("No trace matches these filters");
    browser.find("#clear-resource").click();
    browser.awaitReady("traces");
    assertThat(browser.currentPath()).doesNotContain("resource=");
  }
}
