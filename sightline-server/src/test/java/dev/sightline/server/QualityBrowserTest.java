package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Score;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The quality layer in the dashboard, over two RAG traces whose answers carry scores: the
 * overview's flagged-rate chart and per-route table, score badges and the flagged filter on the
 * call list, and the call view marking the unsupported sentence and showing the passage it was
 * checked against. Evaluators are off so that the scores written here are the only ones.
 */
class QualityBrowserTest {
  static final String ROUTE = "POST /support/chat";
  static final String BAD_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String GOOD_TRACE = "5cf92f3577b34da6a3ce929d0e0e4737";
  static final String ROOT = "a1a2a3a4a5a6a7a8";
  static final String RETRIEVAL = "b1b2b3b4b5b6b7b8";
  static final String LLM = "c1c2c3c4c5c6c7c8";
  static final String POLICY = "Refunds are accepted within 14 days of delivery when the item is unused.";
  static final String SUPPORTED = "Our refund window is 14 days from delivery.";
  static final String UNSUPPORTED = "You can also get a full refund after 30 days.";
  static final String ANSWER = SUPPORTED + " " + UNSUPPORTED;
  static final String REASON = "the answer says 30 days; the policy says 14";

  @TempDir static Path dir;
  static SightlineServer server;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withEvaluation(EvaluationConfig.off()));
    long now = System.currentTimeMillis() * 1_000_000L;
    send(BAD_TRACE, now - 5_000_000_000L);
    send(GOOD_TRACE, now - 3_000_000_000L);
    TestServers.await(server, "/api/v1/llm/calls?route=" + ROUTE.replace(" ", "%20"), n -> n.get("calls").size() == 2);

    String details = TestServers.JSON.writeValueAsString(Map.of("sentences", List.of(
        sentence(SUPPORTED, true, List.of(), 0.91),
        sentence(UNSUPPORTED, false, List.of(REASON), 0.58))));
    server.store().write(List.of(TelemetryBatch.ofScores("test", List.of(
        new Score(BAD_TRACE, LLM, "groundedness", 0.5, "unsupported", true,
            "1 of 2 sentences not supported: \"" + UNSUPPORTED + "\"", Score.SOURCE_EVALUATOR, "groundedness", "1.0.0",
            details, now),
        new Score(BAD_TRACE, LLM, "commitment", 1.0, "ok", false, "no commitment found", Score.SOURCE_EVALUATOR,
            "commitment", "1.0.0", null, now),
        Score.notEvaluated(BAD_TRACE, LLM, "injection", "no user prompt recorded", "injection", "1.0.0", now),
        new Score(GOOD_TRACE, LLM, "groundedness", 1.0, "supported", false, "every sentence supported",
            Score.SOURCE_EVALUATOR, "groundedness", "1.0.0", null, now)))));
    TestServers.await(server, "/api/v1/quality?groupBy=route", n -> n.get("rows").size() == 3);
    browser = new Browser(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  private static Map<String, Object> sentence(String text, boolean supported, List<String> reasons, double similarity) {
    int start = ANSWER.indexOf(text);
    return Map.of("text", text, "start", start, "end", start + text.length(), "supported", supported,
        "reasons", reasons, "similarity", similarity, "passage", Map.of("index", 0, "source", "retrieval",
            "spanId", RETRIEVAL, "title", "refund-policy.md", "text", POLICY));
  }

  /** A RAG trace over OTLP/HTTP JSON: the route's root span, a retrieval of the policy, the LLM call. */
  private static void send(String traceId, long start) throws Exception {
    ArrayNode spans = TestServers.JSON.createArrayNode();
    spans.add(span(traceId, ROOT, null, ROUTE, start, start + 2_000_000_000L, Map.of("http.request.method", "POST")));
    spans.add(span(traceId, RETRIEVAL, ROOT, "retrieve policy", start + 10_000_000L, start + 200_000_000L, Map.of(
        "openinference.span.kind", "RETRIEVER", "retrieval.documents.0.document.id", "refund-policy.md",
        "retrieval.documents.0.document.content", POLICY)));
    String input = TestServers.JSON.writeValueAsString(List.of(
        Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "How long do I have to return it?")))));
    String output = TestServers.JSON.writeValueAsString(List.of(Map.of("role", "assistant",
        "parts", List.of(Map.of("type", "text", "content", ANSWER)), "finish_reason", "stop")));
    Map<String, Object> llm = new java.util.LinkedHashMap<>();
    llm.put("gen_ai.operation.name", "chat");
    llm.put("gen_ai.provider.name", "openai");
    llm.put("gen_ai.request.model", "gpt-4o-mini");
    llm.put("gen_ai.response.model", "gpt-4o-mini");
    llm.put("gen_ai.usage.input_tokens", 180);
    llm.put("gen_ai.usage.output_tokens", 24);
    llm.put("gen_ai.input.messages", input);
    llm.put("gen_ai.output.messages", output);
    spans.add(span(traceId, LLM, ROOT, "chat gpt-4o-mini", start + 250_000_000L, start + 1_900_000_000L, llm));
    ObjectNode body = TestServers.JSON.createObjectNode();
    ObjectNode rs = body.putArray("resourceSpans").addObject();
    rs.putObject("resource").putArray("attributes").add(attr("service.name", "support-bot"));
    rs.putArray("scopeSpans").addObject().set("spans", spans);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestServers.JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
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

  private static ObjectNode span(String traceId, String id, String parent, String name, long start, long end,
      Map<String, Object> attrs) {
    ObjectNode s = TestServers.JSON.createObjectNode();
    s.put("traceId", traceId);
    s.put("spanId", id);
    if (parent != null) {
      s.put("parentSpanId", parent);
    }
    s.put("name", name);
    s.put("kind", parent == null ? 2 : 3);
    s.put("startTimeUnixNano", String.valueOf(start));
    s.put("endTimeUnixNano", String.valueOf(end));
    ArrayNode a = s.putArray("attributes");
    attrs.forEach((k, v) -> a.add(attr(k, v)));
    return s;
  }

  private static void await(String css) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector(css)).isEmpty());
  }

  @Test
  void overviewShowsFlaggedRateOverTimeAndPerRoute() {
    browser.open("/overview", "overview");
    await("#quality-overview [data-chart='Flagged rate by score'] .uplot canvas");
    String legend = browser.find("#quality-overview [data-chart='Flagged rate by score']").getText();
    assertThat(legend).contains("groundedness").contains("commitment");
    // one of the route's two answers is flagged; commitment judged once and never flagged
    WebElement row = browser.find("#quality-routes tbody tr");
    assertThat(browser.findAll("#quality-routes tbody tr")).hasSize(1);
    assertThat(row.getText()).contains(ROUTE).contains("50%").contains("0%").contains("0.75");
    assertThat(browser.find("#quality-routes thead").getText()).contains("groundedness\nflagged").contains("groundedness\nmean");
    browser.assertNoConsoleErrors();
    browser.screenshot("quality-overview");

    // the flagged rate links to exactly those calls
    row.findElement(By.cssSelector("a[href*='score=groundedness']")).click();
    browser.awaitReady("calls");
    assertThat(browser.currentPath()).contains("score=groundedness%3Dflagged");
    assertThat(browser.findAll("#call-list tbody tr")).hasSize(1);
    assertThat(browser.find("#call-list tbody tr").getText()).contains("groundedness 0.50");
    browser.assertNoConsoleErrors();
  }

  @Test
  void theCallListShowsScoreBadgesAndFiltersByScore() {
    browser.open("/overview", "overview");
    browser.find(".nav a[href^='/calls']").click();
    browser.awaitReady("calls");
    assertThat(browser.findAll("#call-list tbody tr")).hasSize(2);
    WebElement flagged = browser.find("#call-list [data-score=groundedness][data-state=flagged]");
    assertThat(flagged.getText()).isEqualTo("groundedness 0.50");
    assertThat(flagged.getAttribute("class")).contains("warn");
    assertThat(browser.find("#call-list [data-score=commitment]").getAttribute("data-state")).isEqualTo("ok");
    WebElement ne = browser.find("#call-list [data-score=injection]");
    assertThat(ne.getText()).isEqualTo("injection n/e");
    assertThat(ne.getAttribute("title")).isEqualTo("not evaluated: no user prompt recorded");
    assertThat(browser.find("#call-list [data-score=groundedness][data-state=ok]").getText()).isEqualTo("groundedness 1.00");
    browser.screenshot("quality-calls");

    // the flagged-only toggle narrows the list to the flagged call, and lifts again
    browser.find("#flagged-toggles button[data-flagged=groundedness]").click();
    browser.awaitReady("calls");
    assertThat(browser.currentPath()).contains("score=groundedness%3Dflagged");
    assertThat(browser.find("#flagged-toggles button[data-flagged=groundedness]").getAttribute("aria-pressed"))
        .isEqualTo("true");
    assertThat(browser.findAll("#call-list tbody tr")).hasSize(1);
    assertThat(browser.find("#call-list tbody tr a[href^='/calls/']").getAttribute("href")).contains(BAD_TRACE);
    browser.screenshot("quality-calls-flagged");
    browser.find("#flagged-toggles button[data-flagged=groundedness]").click();
    browser.awaitReady("calls");
    assertThat(browser.findAll("#call-list tbody tr")).hasSize(2);

    // a score expression in the filter box; a mistyped one says why and keeps the form
    browser.find("#c-score").sendKeys("groundedness>=0.9");
    browser.find("#call-filters button[type=submit]").click();
    browser.awaitReady("calls");
    assertThat(browser.findAll("#call-list tbody tr")).hasSize(1);
    assertThat(browser.find("#call-list tbody tr a[href^='/calls/']").getAttribute("href")).contains(GOOD_TRACE);
    browser.find("#c-score").clear();
    browser.find("#c-score").sendKeys("groundedness~~1");
    browser.find("#call-filters button[type=submit]").click();
    browser.awaitReady("calls");
    assertThat(browser.find("#filter-error").getText()).contains("score");
    assertThat(browser.find("#c-score").getAttribute("value")).isEqualTo("groundedness~~1");
    browser.assertNoConsoleErrors();

    // the trace view's span detail carries the call's badges too
    browser.open("/traces/" + BAD_TRACE + "?span=" + LLM, "trace");
    browser.awaitText("#span-detail", "Open the call");
    assertThat(browser.find("#span-scores").getText()).contains("groundedness 0.50").contains("injection n/e");
    browser.assertNoConsoleErrors();
  }

  @Test
  void theCallViewMarksTheUnsupportedSentenceAndShowsItsPassage() {
    JsonNode call = TestServers.get(server, "/api/v1/llm/calls/" + BAD_TRACE + "/" + LLM);
    browser.open("/calls/" + BAD_TRACE + "/" + LLM, "call");
    assertThat(browser.findAll("#score-list tbody tr")).hasSize(call.get("scores").size()).hasSize(3);
    assertThat(browser.find("#score-list tr[data-score=groundedness]").getText())
        .contains("0.500").contains("unsupported").contains(UNSUPPORTED).contains("groundedness@1.0.0").contains("evaluator");
    assertThat(browser.find("#score-list tr[data-score=injection]").getText()).contains("not evaluated: no user prompt recorded");

    // the whole answer is shown, the two sentences marked as judged
    assertThat(browser.find("#marked-answer .answer").getText()).isEqualTo(ANSWER);
    List<WebElement> bad = browser.findAll("#marked-answer .answer .sent.unsupported");
    assertThat(bad).hasSize(1);
    assertThat(bad.get(0).getText()).isEqualTo(UNSUPPORTED);
    WebElement good = browser.find("#marked-answer .answer .sent.supported");
    assertThat(good.getText()).isEqualTo(SUPPORTED);
    assertThat(browser.find("#sentence-finding").getText()).doesNotContain(POLICY);

    // a click on the supported sentence, then Tab to the unsupported one: the keyboard reaches it
    good.click();
    assertThat(browser.find("#sentence-finding").getText()).contains("supported").contains(POLICY);
    browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo(UNSUPPORTED);
    String finding = browser.find("#sentence-finding").getText();
    assertThat(finding).contains("unsupported").contains(REASON).contains("refund-policy.md").contains(POLICY)
        .contains("retrieval").contains("0.58");
    assertThat(bad.get(0).getAttribute("aria-expanded")).isEqualTo("true");
    assertThat(good.getAttribute("aria-expanded")).isEqualTo("false");
    browser.assertNoConsoleErrors();
    browser.screenshot("quality-call");
  }
}
