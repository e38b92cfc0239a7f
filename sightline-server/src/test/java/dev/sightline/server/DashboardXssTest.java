package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * A trace whose prompt, response, model, provider, service, span names, session, user and
 * attribute values are hostile renders as inert text on every page: no script runs, no element
 * gains an event handler, no javascript: link exists, and control characters are shown, not obeyed.
 */
class DashboardXssTest {
  /** Markup and script in every form the dashboard could mishandle. */
  static final String HOSTILE = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"
      + "<a href=\"javascript:window.__xss=3\">click</a><svg onload=\"window.__xss=4\"></svg>"
      + " &lt;b&gt;not bold&lt;/b&gt; &amp; \u001b[31mred\u001b[0m \u202eevil\u202c '\"`${x}";

  @TempDir static Path dir;
  static SightlineServer server;
  static Browser browser;
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String ROOT = "b7ad6b7169203331";
  static final String PRICED = "00f067aa0ba902b7";
  static final String UNPRICED = "00f067aa0ba902b8";

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir.resolve("data"));
    long now = System.currentTimeMillis() * 1_000_000L;
    ArrayNode spans = TestServers.JSON.createArrayNode();
    spans.add(span(ROOT, null, "GET " + HOSTILE, now - 3_000_000_000L, now, Map.of(
        "http.request.method", "GET", "note", HOSTILE, "link", "javascript:window.__xss=5", "session.id", HOSTILE,
        "user.id", HOSTILE)));
    spans.add(llm(PRICED, "openai", "gpt-4o-mini", now - 2_900_000_000L, now - 1_000_000_000L));
    spans.add(llm(UNPRICED, HOSTILE, HOSTILE, now - 900_000_000L, now - 100_000_000L));
    ObjectNode body = TestServers.JSON.createObjectNode();
    ObjectNode rs = body.putArray("resourceSpans").addObject();
    rs.putObject("resource").putArray("attributes").add(attr("service.name", HOSTILE));
    rs.putArray("scopeSpans").addObject().set("spans", spans);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestServers.JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?traceId=" + TRACE, n -> n.get("calls").size() == 2);
    // the hostile values reached the store verbatim: the test below checks the page, not a sanitised copy
    assertThat(calls.toString()).contains("<script>window.__xss=1</script>");
    writeHostileScores(now);
    browser = new Browser(server.httpPort());
  }

  /**
   * Scores whose name, label, explanation, evaluator and groundedness details (sentence, reasons,
   * passage) are hostile. Dated ahead so that the evaluators' own later verdicts on these calls do
   * not displace them from the call view.
   */
  private static void writeHostileScores(long now) throws Exception {
    long later = now + 600_000_000_000L;
    Map<String, Object> passage = new java.util.LinkedHashMap<>();
    passage.put("index", 0);
    passage.put("source", HOSTILE);
    passage.put("spanId", HOSTILE);
    passage.put("title", HOSTILE);
    passage.put("text", HOSTILE);
    // the PRICED call's answer is HOSTILE itself: one sentence over the whole of it
    String details = TestServers.JSON.writeValueAsString(Map.of("sentences", List.of(Map.of("text", HOSTILE,
        "start", 0, "end", HOSTILE.length(), "supported", false, "reasons", List.of(HOSTILE), "passage", passage,
        "similarity", 0.1))));
    server.store().write(List.of(dev.sightline.model.TelemetryBatch.ofScores("test", List.of(
        new dev.sightline.model.Score(TRACE, PRICED, "verdict " + HOSTILE, 0.2, HOSTILE, true, HOSTILE,
            dev.sightline.model.Score.SOURCE_CLIENT, HOSTILE, HOSTILE, details, later),
        dev.sightline.model.Score.notEvaluated(TRACE, UNPRICED, "hostile check", HOSTILE, HOSTILE, HOSTILE, later)))));
    TestServers.await(server, "/api/v1/llm/calls/" + TRACE + "/" + PRICED,
        n -> n.get("scores").toString().contains("verdict <script>"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  private static ObjectNode attr(String key, Object value) {
    ObjectNode a = TestServers.JSON.createObjectNode();
    a.put("key", key);
    if (value instanceof Number n) {
      a.putObject("value").put("intValue", n.longValue());
    } else {
      a.putObject("value").put("stringValue", String.valueOf(value));
    }
    return a;
  }

  private static ObjectNode span(String id, String parent, String name, long start, long end, Map<String, Object> attrs) {
    ObjectNode s = TestServers.JSON.createObjectNode();
    s.put("traceId", TRACE);
    s.put("spanId", id);
    if (parent != null) {
      s.put("parentSpanId", parent);
    }
    s.put("name", name);
    s.put("kind", 3);
    s.put("startTimeUnixNano", String.valueOf(start));
    s.put("endTimeUnixNano", String.valueOf(end));
    ArrayNode a = s.putArray("attributes");
    attrs.forEach((k, v) -> a.add(attr(k, v)));
    ObjectNode ev = s.putArray("events").addObject();
    ev.put("name", "event " + HOSTILE);
    ev.put("timeUnixNano", String.valueOf(start + 1));
    ev.putArray("attributes").add(attr("detail", HOSTILE));
    return s;
  }

  private static ObjectNode llm(String id, String provider, String model, long start, long end) throws Exception {
    String input = TestServers.JSON.writeValueAsString(List.of(
        Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", HOSTILE))),
        Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", HOSTILE))),
        Map.of("role", "assistant", "parts", List.of(Map.of("type", "tool_call", "id", HOSTILE, "name", HOSTILE,
            "arguments", Map.of(HOSTILE, HOSTILE))))));
    String output = TestServers.JSON.writeValueAsString(List.of(
        Map.of("role", "assistant", "parts", List.of(Map.of("type", "text", "content", HOSTILE)),
            "finish_reason", HOSTILE)));
    Map<String, Object> attrs = new java.util.LinkedHashMap<>();
    attrs.put("gen_ai.operation.name", "chat");
    attrs.put("gen_ai.provider.name", provider);
    attrs.put("gen_ai.request.model", model);
    attrs.put("gen_ai.response.model", model);
    attrs.put("gen_ai.usage.input_tokens", 120);
    attrs.put("gen_ai.usage.output_tokens", 40);
    attrs.put("gen_ai.input.messages", input);
    attrs.put("gen_ai.output.messages", output);
    attrs.put("gen_ai.conversation.id", HOSTILE);
    attrs.put("user.id", HOSTILE);
    attrs.put("session.id", HOSTILE);
    attrs.put("custom.value", HOSTILE);
    return span(id, ROOT, "chat " + HOSTILE, start, end, attrs);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Nothing ran, nothing became markup, no dangerous link exists, nothing in the console. */
  private static void assertInert(String page) {
    Object xss = browser.js("return window.__xss === undefined ? null : String(window.__xss)");
    assertThat(xss).as(page + ": an injected script ran").isNull();
    assertThat(browser.js("return document.scripts.length")).as(page + ": scripts").isEqualTo(1L);
    assertThat(browser.js("return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        + ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")).as(page + ": handlers")
        .asList().isEmpty();
    assertThat(browser.js("return document.querySelectorAll('img, svg, iframe, object, embed, frame').length"))
        .as(page + ": injected elements").isEqualTo(0L);
    assertThat(browser.js("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
        + ".filter(h => !h.startsWith('/') || h.startsWith('//'))")).as(page + ": links").asList().isEmpty();
    browser.assertNoConsoleErrors();
  }

  private static String text() {
    return (String) browser.js("return document.querySelector('main').innerText");
  }

  @Test
  void theConsoleCheckAndTheContentSecurityPolicyAreReal() {
    browser.open("/overview", "overview");
    browser.js("console.error('probe')");
    assertThat(browser.consoleErrors()).anyMatch(m -> m.contains("probe"));
    // an inline script added at run time is refused by the page's policy
    Object ran = browser.js("const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
        + " document.head.appendChild(s); const r = window.__inline === undefined ? null : 1; s.remove(); return r");
    assertThat(ran).isNull();
    assertThat(browser.consoleErrors()).anyMatch(m -> m.contains("Content Security Policy"));
  }

  @Test
  void hostileDataIsInertTextOnEveryPage() {
    browser.open("/overview", "overview");
    assertInert("overview");
    assertThat(text()).contains("<img src=x onerror=");
    browser.screenshot("xss-overview");

    browser.open("/traces", "traces");
    assertInert("traces");
    assertThat(text()).contains("GET <script>window.__xss=1</script>");
    browser.open("/traces?q=" + enc("<script>window.__xss=1"), "traces");
    assertThat(browser.findAll("#trace-list tbody tr")).hasSize(1);
    assertInert("traces filtered by hostile text");

    for (String span : List.of(ROOT, PRICED, UNPRICED)) {
      browser.open("/traces/" + TRACE + "?span=" + span, "trace");
      String detail = browser.awaitText("#span-detail", "span id");
      assertInert("trace, span " + span);
      assertThat(detail).contains("<script>window.__xss=1</script>");
      // control characters are shown as code points, never obeyed
      assertThat(detail).contains("\u2039U+202E\u203A").contains("\u2039U+001B\u203A").doesNotContain("\u202e");
    }
    browser.screenshot("xss-trace");

    for (String span : List.of(PRICED, UNPRICED)) {
      browser.open("/calls/" + TRACE + "/" + span, "call");
      assertInert("call " + span);
      String messages = browser.find("#messages").getText();
      assertThat(messages).contains("<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">")
          .contains("&lt;b&gt;not bold&lt;/b&gt; &amp;");
      assertThat(browser.findAll("#messages .msg")).hasSize(4);
    }
    browser.screenshot("xss-call");

    browser.open("/models", "models");
    assertInert("models");
    assertThat(text()).contains("<svg onload=");
    for (String g : List.of("model", "provider", "service", "route", "user", "session")) {
      browser.open("/cost?groupBy=" + g, "cost");
      assertInert("cost by " + g);
    }
    for (String kind : List.of("sessions", "users")) {
      browser.open("/" + kind, kind);
      assertInert(kind);
      assertThat(text()).contains("javascript:window.__xss=3");
      // the link to the hostile id carries it base64url-encoded: no URL here may hold a control character
      browser.find("#" + kind + "-table tbody tr a").click();
      browser.awaitReady(kind);
      assertThat(browser.currentPath()).contains("=b64%3A");
      assertInert(kind + " detail");
      assertThat(browser.find(".page-head h1").getText()).contains("<script>window.__xss=1</script>");
      assertThat(browser.findAll("#" + kind.substring(0, kind.length() - 1) + "-calls tbody tr")).hasSize(2);
    }
    browser.screenshot("xss-session");
  }

  @Test
  void hostileScoresAreInertText() {
    browser.open("/calls/" + TRACE + "/" + PRICED, "call");
    assertInert("call quality");
    String quality = browser.find("#quality").getText();
    assertThat(quality).contains("verdict <script>window.__xss=1</script>").contains("<a href=\"javascript:window.__xss=3\">")
        .contains("\u2039U+202E\u203A").doesNotContain("\u202e");
    // the hostile sentence is marked as text, and its finding (reasons, passage) is text too
    List<org.openqa.selenium.WebElement> marked = browser.findAll("#marked-answer .answer .sent.unsupported");
    assertThat(marked).hasSize(1);
    assertThat(marked.get(0).getText()).contains("<img src=x onerror=\"window.__xss=2\">");
    marked.get(0).click();
    String finding = browser.find("#sentence-finding").getText();
    assertThat(finding).contains("<svg onload=\"window.__xss=4\"></svg>").contains("&lt;b&gt;not bold&lt;/b&gt;")
        .contains("\u2039U+001B\u203A");
    assertThat(browser.findAll("#sentence-passage")).hasSize(1);
    assertInert("call quality, a sentence's finding shown");
    browser.screenshot("xss-quality");

    browser.open("/calls/" + TRACE + "/" + UNPRICED, "call");
    assertInert("call with a hostile not-evaluated reason");
    assertThat(browser.find("#score-list").getText()).contains("not evaluated: <script>window.__xss=1</script>");

    // the call list: badges and their tooltips, the flagged-only toggles named by hostile scores
    browser.open("/overview", "overview");
    browser.find(".nav a[href^='/calls']").click();
    browser.awaitReady("calls");
    assertInert("calls");
    assertThat(browser.find("#call-list").getText()).contains("verdict <script>window.__xss=1</script>");
    assertThat(browser.find("#call-list [data-state=not-evaluated]").getAttribute("title"))
        .contains("not evaluated: <script>window.__xss=1</script>");
    assertThat(browser.find("#flagged-toggles").getText()).contains("verdict <script>");

    browser.open("/traces/" + TRACE + "?span=" + PRICED, "trace");
    browser.awaitText("#span-detail", "Open the call");
    assertThat(browser.find("#span-scores").getText()).contains("verdict <script>window.__xss=1</script>");
    assertInert("trace, span scores");
  }
}
