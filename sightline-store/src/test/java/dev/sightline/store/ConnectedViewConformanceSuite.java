package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connected view every {@link Store} engine must serve: the service map, the real-user summary
 * and resource attributes, over one scenario of browser page views and chat requests that run
 * through a backend, a retriever and an LLM provider. Expected figures are computed here from the
 * scenario's own numbers; an engine's test extends this class and supplies {@link #openStore}.
 */
public abstract class ConnectedViewConformanceSuite {

  /** Opens (or reopens) the engine's store with its data in {@code dir}. */
  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  private static final long T0 = StoreConformanceSuite.T0;
  private static final long MS = StoreConformanceSuite.MS;
  private static final Instant SINCE = Instant.ofEpochSecond(0, T0);
  private static final Instant UNTIL = SINCE.plusSeconds(600);

  private static final Map<String, Object> WEB = Map.of("service.name", "web", "service.version", "1.4.2",
      "telemetry.sdk.name", "sightline-rum");
  private static final Map<String, Object> BACKEND = Map.of("service.name", "chat-backend", "service.version", "2.0.0",
      "k8s.pod.name", "chat-7d9f", "k8s.namespace.name", "prod", "host.name", "node-1");
  private static final Map<String, Object> RETRIEVER = Map.of("service.name", "retriever", "k8s.pod.name", "retr-1",
      "k8s.namespace.name", "prod", "host.name", "node-2");

  // four chat requests: what the user saw, what the backend and retriever took, the provider's TTFT
  private static final double[] USER_TTFT = {420, 510, 380, 900};
  private static final long[] BACKEND_MS = {1200, 1400, 1100, 2500};
  private static final long[] RETRIEVER_MS = {40, 55, 35, 120};
  private static final long[] SERVER_TTFT_MS = {390, 470, 360, 850};
  private static final long[] CALL_MS = {1000, 1150, 900, 2200};
  /** Request 0 makes a second, later LLM call whose TTFT must not count as the server's. */
  private static final long LATER_CALL_TTFT_MS = 50;
  private static final long LATER_CALL_MS = 100;

  @BeforeEach
  void openFresh() {
    store = openStore(dir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ the scenario

  private static String trace(int n) {
    return StoreConformanceSuite.traceId(n);
  }

  private static String id(int n) {
    return StoreConformanceSuite.spanId(n);
  }

  private static Span span(String trace, String id, String parent, String name, SpanKind kind, long start, long end,
      SpanStatus status, String service, Map<String, Object> attrs, Map<String, Object> resource,
      SpanCategory category, LlmCall llm) {
    return new Span(trace, id, parent, name, kind, start, end, status, null, service, "scope", attrs, resource,
        List.of(), category, llm, List.of());
  }

  private static Map<String, Object> rum(String type, String route, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rum.type", type);
    m.put("rum.app", "web");
    m.put("session.id", "a1b2c3d4e5f60718");
    m.put("rum.route", route);
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  private static Span browser(String trace, String id, String parent, String name, SpanKind kind, long start, long end,
      SpanStatus status, Map<String, Object> attrs) {
    return span(trace, id, parent, name, kind, start, end, status, "web", attrs, WEB, SpanCategory.BROWSER, null);
  }

  private static LlmCall llmCall(String trace, String span, long start, long durMs, long ttftMs) {
    return StoreConformanceSuite.call(trace, span, "openai", "gpt-4o-mini", "chat-backend", "POST /api/chat", start,
        start + durMs * MS, ttftMs * MS, 100, 40, new BigDecimal("0.0001"), CallStatus.OK);
  }

  /** The chat requests: browser fetch → backend SERVER → (CLIENT → retriever SERVER) and LLM call(s). */
  private static List<Span> chatRequests() {
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String t = trace(100 + i);
      long start = T0 + i * 10_000 * MS;
      boolean failed = i == 3;
      out.add(browser(t, id(1), null, "POST /api/chat", SpanKind.CLIENT, start, start + 3_000 * MS,
          failed ? SpanStatus.ERROR : SpanStatus.OK, rum("fetch", "/chat", "http.request.method", "POST",
              "http.response.status_code", failed ? 500L : 200L, "rum.first_token_ms", USER_TTFT[i],
              "rum.ttft_source", "app")));
      long server = start + 10 * MS;
      out.add(span(t, id(2), id(1), "POST /api/chat", SpanKind.SERVER, server, server + BACKEND_MS[i] * MS,
          failed ? SpanStatus.ERROR : SpanStatus.OK, "chat-backend", Map.of("http.request.method", "POST"), BACKEND,
          SpanCategory.HTTP, null));
      long client = server + 5 * MS;
      out.add(span(t, id(3), id(2), "GET /search", SpanKind.CLIENT, client, client + (RETRIEVER_MS[i] + 4) * MS,
          SpanStatus.OK, "chat-backend", Map.of(), BACKEND, SpanCategory.HTTP, null));
      out.add(span(t, id(4), id(3), "GET /search", SpanKind.SERVER, client + 2 * MS,
          client + (2 + RETRIEVER_MS[i]) * MS, SpanStatus.OK, "retriever", Map.of(), RETRIEVER, SpanCategory.HTTP,
          null));
      long callStart = client + 200 * MS;
      LlmCall call = llmCall(t, id(5), callStart, CALL_MS[i], SERVER_TTFT_MS[i]);
      out.add(span(t, id(5), id(2), "chat gpt-4o-mini", SpanKind.CLIENT, callStart, callStart + CALL_MS[i] * MS,
          SpanStatus.OK, "chat-backend", Map.of(), BACKEND, SpanCategory.LLM, call));
      if (i == 0) {
        long later = callStart + CALL_MS[i] * MS;
        LlmCall second = llmCall(t, id(6), later, LATER_CALL_MS, LATER_CALL_TTFT_MS);
        out.add(span(t, id(6), id(2), "chat gpt-4o-mini", SpanKind.CLIENT, later, later + LATER_CALL_MS * MS,
            SpanStatus.OK, "chat-backend", Map.of(), BACKEND, SpanCategory.LLM, second));
      }
    }
    // a request that streams nothing and reaches no LLM
    long h = T0 + 50_000 * MS;
    out.add(browser(trace(110), id(1), null, "GET /api/history", SpanKind.CLIENT, h, h + 80 * MS, SpanStatus.OK,
        rum("fetch", "/chat", "http.request.method", "GET", "http.response.status_code", 200L)));
    return out;
  }

  /** Three page views: two of /chat (the first reports its vitals twice and has a JS error), one of /settings. */
  private static List<Span> pageViews() {
    List<Span> out = new ArrayList<>();
    long a = T0 + 1_000 * MS;
    out.add(browser(trace(200), id(1), null, "page load /chat", SpanKind.INTERNAL, a, a + 640 * MS, SpanStatus.OK,
        rum("page_load", "/chat", "rum.page_view_id", "view-a")));
    out.add(browser(trace(200), id(2), id(1), "web vitals /chat", SpanKind.INTERNAL, a + 5_000 * MS, a + 5_000 * MS,
        SpanStatus.OK, rum("vitals", "/chat", "rum.page_view_id", "view-a", "rum.lcp_ms", 800.0, "rum.inp_ms", 40L,
            "rum.cls", 0.01)));
    out.add(browser(trace(200), id(3), id(1), "web vitals /chat", SpanKind.INTERNAL, a + 9_000 * MS, a + 9_000 * MS,
        SpanStatus.OK, rum("vitals", "/chat", "rum.page_view_id", "view-a", "rum.lcp_ms", 1200.0, "rum.inp_ms", 96L,
            "rum.cls", 0.02)));
    out.add(browser(trace(200), id(4), id(1), "error: boom", SpanKind.INTERNAL, a + 7_000 * MS, a + 7_000 * MS,
        SpanStatus.ERROR, rum("error", "/chat", "rum.page_view_id", "view-a", "exception.message", "boom")));
    long b = T0 + 20_000 * MS;
    out.add(browser(trace(201), id(1), null, "page load /chat", SpanKind.INTERNAL, b, b + 900 * MS, SpanStatus.OK,
        rum("page_load", "/chat", "rum.page_view_id", "view-b")));
    out.add(browser(trace(201), id(2), id(1), "web vitals /chat", SpanKind.INTERNAL, b + 3_000 * MS, b + 3_000 * MS,
        SpanStatus.OK, rum("vitals", "/chat", "rum.page_view_id", "view-b", "rum.lcp_ms", 500.0, "rum.inp_ms", 200.0,
            "rum.cls", 0.1)));
    long c = T0 + 30_000 * MS;
    out.add(browser(trace(202), id(1), null, "page load /settings", SpanKind.INTERNAL, c, c + 300 * MS, SpanStatus.OK,
        rum("page_load", "/settings", "rum.page_view_id", "view-c")));
    out.add(browser(trace(202), id(2), id(1), "web vitals /settings", SpanKind.INTERNAL, c + 1_000 * MS,
        c + 1_000 * MS, SpanStatus.OK, rum("vitals", "/settings", "rum.page_view_id", "view-c", "rum.lcp_ms", 300L,
            "rum.cls", 0L)));
    return out;
  }

  /** A page view and a chat request an hour before the window: they must not count. */
  private static List<Span> beforeTheWindow() {
    long e = T0 - 3_600_000 * MS;
    String t = trace(300);
    return List.of(
        browser(trace(301), id(1), null, "page load /chat", SpanKind.INTERNAL, e, e + 99_000 * MS, SpanStatus.OK,
            rum("page_load", "/chat", "rum.page_view_id", "view-old")),
        browser(t, id(1), null, "POST /api/chat", SpanKind.CLIENT, e, e + 3_000 * MS, SpanStatus.ERROR,
            rum("fetch", "/chat", "rum.first_token_ms", 99_999.0)),
        span(t, id(2), id(1), "POST /api/chat", SpanKind.SERVER, e, e + 99_000 * MS, SpanStatus.ERROR, "chat-backend",
            Map.of(), Map.of("k8s.pod.name", "chat-old"), SpanCategory.HTTP, null));
  }

  private void writeScenario() {
    store.write(List.of(TelemetryBatch.ofSpans("otlp", chatRequests()), TelemetryBatch.ofSpans("rum", pageViews()),
        TelemetryBatch.ofSpans("otlp", beforeTheWindow())));
  }

  /** Linear interpolation between the nearest ranks (percentile_cont), over unsorted values. */
  private static double cont(double q, double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double[] dbl(long... v) {
    return Arrays.stream(v).asDoubleStream().toArray();
  }

  // ------------------------------------------------------------------ service map

  @Test
  void theServiceMapHasTheBrowserTheServicesAndTheProviderWithTheirCalls() {
    writeScenario();
    ServiceMap map = store.serviceMap(new ServiceMapQuery(SINCE, UNTIL));

    Map<String, ServiceNode> nodes = new LinkedHashMap<>();
    map.nodes().forEach(n -> nodes.put(n.name(), n));
    assertThat(nodes).containsOnlyKeys("web", "chat-backend", "retriever", "openai");

    // web: 5 fetches, 3 page loads, 4 vitals reports, 1 JS error; entry spans are the roots
    ServiceNode web = nodes.get("web");
    assertThat(web.kind()).isEqualTo(ServiceNode.BROWSER);
    assertThat(web.spans()).isEqualTo(13);
    assertThat(web.errors()).isEqualTo(2);
    double[] webRoots = {3000, 3000, 3000, 3000, 80, 640, 900, 300};
    assertThat(web.p50Ms()).isCloseTo(cont(0.5, webRoots), within(1e-9));
    assertThat(web.p95Ms()).isCloseTo(cont(0.95, webRoots), within(1e-9));

    // chat-backend: a SERVER, a CLIENT and an LLM span per request, one more LLM call in request 0
    ServiceNode backend = nodes.get("chat-backend");
    assertThat(backend.kind()).isEqualTo(ServiceNode.SERVICE);
    assertThat(backend.spans()).isEqualTo(13);
    assertThat(backend.errors()).isEqualTo(1);
    assertThat(backend.errorRate()).isCloseTo(1 / 13.0, within(1e-12));
    assertThat(backend.p50Ms()).isCloseTo(cont(0.5, dbl(BACKEND_MS)), within(1e-9));
    assertThat(backend.p95Ms()).isCloseTo(cont(0.95, dbl(BACKEND_MS)), within(1e-9));

    ServiceNode retriever = nodes.get("retriever");
    assertThat(retriever.kind()).isEqualTo(ServiceNode.SERVICE);
    assertThat(retriever.spans()).isEqualTo(4);
    assertThat(retriever.errors()).isZero();
    assertThat(retriever.p95Ms()).isCloseTo(cont(0.95, dbl(RETRIEVER_MS)), within(1e-9));

    double[] callMs = {CALL_MS[0], CALL_MS[1], CALL_MS[2], CALL_MS[3], LATER_CALL_MS};
    ServiceNode openai = nodes.get("openai");
    assertThat(openai.kind()).isEqualTo(ServiceNode.LLM);
    assertThat(openai.spans()).isEqualTo(5);
    assertThat(openai.errors()).isZero();
    assertThat(openai.p50Ms()).isCloseTo(cont(0.5, callMs), within(1e-9));
    assertThat(openai.p95Ms()).isCloseTo(cont(0.95, callMs), within(1e-9));

    Map<String, ServiceEdge> edges = new LinkedHashMap<>();
    map.edges().forEach(e -> edges.put(e.source() + " -> " + e.target(), e));
    assertThat(edges).containsOnlyKeys("web -> chat-backend", "chat-backend -> retriever", "chat-backend -> openai");
    ServiceEdge toBackend = edges.get("web -> chat-backend");
    assertThat(toBackend.calls()).isEqualTo(4);
    assertThat(toBackend.errors()).isEqualTo(1);
    assertThat(toBackend.errorRate()).isEqualTo(0.25);
    assertThat(toBackend.p50Ms()).isCloseTo(cont(0.5, dbl(BACKEND_MS)), within(1e-9));
    assertThat(toBackend.p95Ms()).isCloseTo(cont(0.95, dbl(BACKEND_MS)), within(1e-9));
    ServiceEdge toRetriever = edges.get("chat-backend -> retriever");
    assertThat(toRetriever.calls()).isEqualTo(4);
    assertThat(toRetriever.errors()).isZero();
    assertThat(toRetriever.p50Ms()).isCloseTo(cont(0.5, dbl(RETRIEVER_MS)), within(1e-9));
    ServiceEdge toOpenai = edges.get("chat-backend -> openai");
    assertThat(toOpenai.calls()).isEqualTo(5);
    assertThat(toOpenai.p95Ms()).isCloseTo(cont(0.95, callMs), within(1e-9));
  }

  @Test
  void aServiceMapOfAnEmptyWindowIsEmpty() {
    writeScenario();
    ServiceMap map = store.serviceMap(new ServiceMapQuery(UNTIL, UNTIL.plusSeconds(60)));
    assertThat(map.nodes()).isEmpty();
    assertThat(map.edges()).isEmpty();
  }

  // ------------------------------------------------------------------ real users

  @Test
  void realUsersShowVitalsPerPageAndTheUserTtftBesideTheServerTtft() {
    writeScenario();
    RumSummary s = store.realUsers(new RumQuery(SINCE, UNTIL));

    // each page view's vitals count once, with its largest value
    assertThat(s.pages()).extracting(RumSummary.Page::route).containsExactly("/chat", "/settings");
    RumSummary.Page chat = s.pages().get(0);
    assertThat(chat.views()).isEqualTo(2);
    assertThat(chat.errors()).isEqualTo(1);
    assertThat(chat.lcpP75Ms()).isCloseTo(cont(0.75, 1200, 500), within(1e-9));
    assertThat(chat.inpP75Ms()).isCloseTo(cont(0.75, 96, 200), within(1e-9));
    assertThat(chat.clsP75()).isCloseTo(cont(0.75, 0.02, 0.1), within(1e-9));
    assertThat(chat.loadP50Ms()).isCloseTo(cont(0.5, 640, 900), within(1e-9));
    RumSummary.Page settings = s.pages().get(1);
    assertThat(settings.views()).isEqualTo(1);
    assertThat(settings.errors()).isZero();
    assertThat(settings.lcpP75Ms()).isCloseTo(300, within(1e-9));
    assertThat(settings.inpP75Ms()).isNull();
    assertThat(settings.clsP75()).isCloseTo(0, within(1e-12));
    assertThat(settings.loadP50Ms()).isCloseTo(300, within(1e-9));

    assertThat(s.requests()).extracting(RumSummary.Request::route).containsExactly("POST /api/chat", "GET /api/history");
    RumSummary.Request req = s.requests().get(0);
    double[] server = dbl(SERVER_TTFT_MS); // the earliest call's TTFT, not request 0's later one
    double[] gaps = new double[4];
    for (int i = 0; i < 4; i++) {
      gaps[i] = USER_TTFT[i] - SERVER_TTFT_MS[i];
    }
    assertThat(req.requests()).isEqualTo(4);
    assertThat(req.errors()).isEqualTo(1);
    assertThat(req.userTtftP50Ms()).isCloseTo(cont(0.5, USER_TTFT), within(1e-9));
    assertThat(req.userTtftP95Ms()).isCloseTo(cont(0.95, USER_TTFT), within(1e-9));
    assertThat(req.serverTtftP50Ms()).isCloseTo(cont(0.5, server), within(1e-9));
    assertThat(req.serverTtftP95Ms()).isCloseTo(cont(0.95, server), within(1e-9));
    assertThat(req.gapP50Ms()).isCloseTo(cont(0.5, gaps), within(1e-9));
    RumSummary.Request history = s.requests().get(1);
    assertThat(history).isEqualTo(new RumSummary.Request("GET /api/history", 1, 0, null, null, null, null, null));

    RumSummary.Totals t = s.totals();
    assertThat(t.pageViews()).isEqualTo(3);
    assertThat(t.lcpP75Ms()).isCloseTo(cont(0.75, 1200, 500, 300), within(1e-9));
    assertThat(t.inpP75Ms()).isCloseTo(cont(0.75, 96, 200), within(1e-9));
    assertThat(t.clsP75()).isCloseTo(cont(0.75, 0.02, 0.1, 0), within(1e-9));
    assertThat(t.requests()).isEqualTo(5);
    assertThat(t.userTtftP50Ms()).isCloseTo(cont(0.5, USER_TTFT), within(1e-9));
    assertThat(t.serverTtftP95Ms()).isCloseTo(cont(0.95, server), within(1e-9));
    assertThat(t.gapP50Ms()).isCloseTo(cont(0.5, gaps), within(1e-9));
    assertThat(t.errors()).isEqualTo(2); // one JS error, one failed request
  }

  @Test
  void realUsersOfAWindowWithoutBrowserSpansHaveNoFigures() {
    writeScenario();
    RumSummary s = store.realUsers(new RumQuery(UNTIL, UNTIL.plusSeconds(60)));
    assertThat(s.pages()).isEmpty();
    assertThat(s.requests()).isEmpty();
    assertThat(s.totals()).isEqualTo(new RumSummary.Totals(0, null, null, null, 0, null, null, null, null, null, 0));
  }

  // ------------------------------------------------------------------ resource attributes

  @Test
  void resourceValuesCountSpansAndTracesMostSpansFirst() {
    writeScenario();
    assertThat(store.resourceValues(SINCE, UNTIL, "k8s.pod.name", 10)).containsExactly(
        new ResourceValue("chat-7d9f", 13, 4), new ResourceValue("retr-1", 4, 4));
    assertThat(store.resourceValues(SINCE, UNTIL, "k8s.pod.name", 1)).containsExactly(
        new ResourceValue("chat-7d9f", 13, 4));
    assertThat(store.resourceValues(SINCE, UNTIL, "service.version", 10)).containsExactly(
        new ResourceValue("1.4.2", 13, 8), new ResourceValue("2.0.0", 13, 4));
    assertThat(store.resourceValues(null, null, "k8s.pod.name", 10)).extracting(ResourceValue::value)
        .containsExactly("chat-7d9f", "retr-1", "chat-old");
    assertThat(store.resourceValues(SINCE, UNTIL, "no.such.key", 10)).isEmpty();
  }

  @Test
  void theTraceListFiltersOnAResourceAttributeOfAnySpan() {
    writeScenario();
    List<String> chats = List.of(trace(103), trace(102), trace(101), trace(100));
    assertThat(traces(new ResourceFilter("k8s.pod.name", "retr-1"))).containsExactlyElementsOf(chats);
    assertThat(traces(new ResourceFilter("host.name", "node-1"))).containsExactlyElementsOf(chats);
    assertThat(traces(new ResourceFilter("k8s.namespace.name", "prod"))).containsExactlyElementsOf(chats);
    assertThat(traces(new ResourceFilter("service.version", "1.4.2"))).containsExactlyInAnyOrder(trace(100), trace(101),
        trace(102), trace(103), trace(110), trace(200), trace(201), trace(202));
    assertThat(traces(new ResourceFilter("k8s.pod.name", "chat-old"))).isEmpty(); // before the window
    assertThat(traces(new ResourceFilter("k8s.pod.name", "retr"))).isEmpty(); // equality, not a prefix
    // with the other filters
    assertThat(store.traces(new TraceQuery(SINCE, UNTIL, null, null, null, "error", null, null, null, null, null, 100,
        new ResourceFilter("host.name", "node-2")))).extracting(TraceSummary::traceId).containsExactly(trace(103));
  }

  private List<String> traces(ResourceFilter f) {
    return store.traces(new TraceQuery(SINCE, UNTIL, null, null, null, null, null, null, null, null, null, 100, f))
        .stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void aResourceKeyThatIsNotAnAttributeNameIsRefusedWithTheRule() {
    writeScenario();
    for (String bad : List.of("", "k8s pod", "x\") OR 1=1 --", "$.a", "a'b", "k".repeat(129))) {
      assertThatThrownBy(() -> store.resourceValues(SINCE, UNTIL, bad, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 to 128 characters of A-Z a-z 0-9 _ . -");
      assertThatThrownBy(() -> new ResourceFilter(bad, "v")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("resource attribute key");
    }
    assertThatThrownBy(() -> store.resourceValues(SINCE, UNTIL, null, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got none");
    assertThatThrownBy(() -> new ResourceFilter("host.name", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a value");
    // a value is only ever data
    assertThat(traces(new ResourceFilter("host.name", "x' OR '1'='1"))).isEmpty();
    assertThat(store.resourceValues(SINCE, UNTIL, "k".repeat(128), 10)).isEmpty();
  }
}
