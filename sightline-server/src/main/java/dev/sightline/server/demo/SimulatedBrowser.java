package dev.sightline.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/**
 * The demo's real users: the events a page with Sightline's browser agent would beacon to
 * {@code /rum/v1/events} for the gateway app's chat requests (page loads, web vitals, the fetch as
 * the user saw it with its first rendered token, now and then a JS error), posted over HTTP like a
 * browser's beacon. The fetch span is the root of the request's trace: the app's server span is its
 * child, as the agent's {@code traceparent} makes it in a real browser.
 */
final class SimulatedBrowser {
  static final String APP = "demo-web";
  static final String KEY = "pk_demo_web";
  static final String PAGE_ROUTE = "/assist";
  static final String ORIGIN = "http://shop.demo.example";
  private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";
  /** Requests a page view lasts before the simulated user loads the page again. */
  private static final int REQUESTS_PER_VIEW = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the app's server span hangs: the browser's fetch span, and when the user's clock started it. */
  record Fetch(String traceId, String spanId, long startNanos, int rttMs) {}

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random;
  private String session;
  private String view;
  private String viewTrace;
  private String pageSpan;
  private int requestsInView = REQUESTS_PER_VIEW;

  /** @param httpBase e.g. {@code http://127.0.0.1:7700} */
  SimulatedBrowser(String httpBase, long seed) {
    this.endpoint = URI.create(httpBase + "/rum/v1/events?key=" + KEY);
    this.random = new Random(seed);
  }

  /** A fetch the user's page starts now, a network half-trip before the app's server sees it. */
  synchronized Fetch startFetch(long serverStartNanos) {
    int rtt = 20 + random.nextInt(100);
    return new Fetch(hex(16), hex(8), serverStartNanos - rtt / 2 * 1_000_000L, rtt);
  }

  /**
   * Beacons the fetch as the page saw it: the first token rendered a half-trip plus a few ms of
   * rendering after the app relayed it, the answer complete a half-trip after the app's end.
   *
   * @param firstTokenNanos when the app had its first token (the gateway's), or 0 when it had none
   */
  void ended(Fetch f, int status, long firstTokenNanos, long lastTokenNanos, int tokens, long serverEndNanos) {
    ObjectNode body;
    synchronized (this) {
      body = envelope();
      ArrayNode events = body.putArray("events");
      ObjectNode e = events.addObject();
      long half = f.rttMs() / 2 * 1_000_000L;
      e.put("type", "fetch").put("traceId", f.traceId()).put("spanId", f.spanId())
          .put("start", ms(f.startNanos())).put("end", ms(serverEndNanos + half))
          .put("method", "POST").put("url", ORIGIN + "/assist").put("status", status)
          .put("api", "fetch").put("propagated", true);
      if (firstTokenNanos > 0 && status < 400) {
        long render = (2 + random.nextInt(14)) * 1_000_000L;
        e.putObject("stream").put("firstByte", ms(firstTokenNanos + half))
            .put("firstToken", ms(firstTokenNanos + half + render))
            .put("lastToken", ms(Math.max(lastTokenNanos, firstTokenNanos) + half + render))
            .put("tokens", Math.max(1, tokens)).put("chunks", Math.max(1, tokens)).put("source", "app");
      }
      if (status >= 500 && random.nextInt(3) == 0) {
        events.addObject().put("type", "error").put("time", ms(serverEndNanos + half))
            .put("traceId", viewTrace).put("parentSpanId", pageSpan).put("spanId", hex(8)).put("kind", "unhandledrejection")
            .put("errorType", "TypeError").put("message", "Cannot read properties of undefined (reading 'choices')")
            .put("stack", "TypeError: Cannot read properties of undefined (reading 'choices')\n    at render (assist.js:88:31)")
            .put("source", ORIGIN + "/assets/assist.js").put("line", 88).put("col", 31);
      }
    }
    post(body);
  }

  /** A new page view every few requests: its load, then the vitals the page reports when left. */
  synchronized void maybeNewView(long nowNanos) {
    if (++requestsInView < REQUESTS_PER_VIEW) {
      return;
    }
    ObjectNode previous = view == null ? null : vitals(nowNanos);
    requestsInView = 0;
    if (session == null || random.nextInt(4) == 0) {
      session = hex(8);
    }
    view = hex(8);
    viewTrace = hex(16);
    pageSpan = hex(8);
    ObjectNode body = envelope();
    ArrayNode events = body.putArray("events");
    if (previous != null) {
      events.add(previous);
    }
    long load = (600 + random.nextInt(1900)) * 1_000_000L;
    int ttfb = 60 + random.nextInt(340);
    ObjectNode nav = events.addObject().put("type", "page_load").put("traceId", viewTrace).put("spanId", pageSpan)
        .put("start", ms(nowNanos - load)).put("end", ms(nowNanos)).putObject("nav");
    nav.put("type", "navigate").put("dnsMs", random.nextInt(30)).put("connectMs", 5 + random.nextInt(40))
        .put("ttfbMs", ttfb).put("responseMs", ttfb + 20 + random.nextInt(80))
        .put("domInteractiveMs", ttfb + 200 + random.nextInt(300)).put("domContentLoadedMs", ttfb + 260 + random.nextInt(300))
        .put("loadMs", load / 1_000_000L).put("transferBytes", 40_000 + random.nextInt(200_000));
    post(body);
  }

  private ObjectNode vitals(long nowNanos) {
    // most views are good; one in five has a slow hero image or a janky answer panel
    boolean poor = random.nextInt(5) == 0;
    return JSON.createObjectNode().put("type", "vitals").put("time", ms(nowNanos)).put("traceId", viewTrace)
        .put("parentSpanId", pageSpan).put("spanId", hex(8))
        .put("lcpMs", poor ? 2600 + random.nextInt(2000) : 700 + random.nextInt(1500))
        .put("inpMs", poor ? 250 + random.nextInt(400) : 40 + random.nextInt(150))
        .put("cls", Math.round((poor ? 0.1 + random.nextDouble() * 0.25 : random.nextDouble() * 0.05) * 1000) / 1000.0)
        .put("fcpMs", 300 + random.nextInt(900));
  }

  private ObjectNode envelope() {
    ObjectNode b = JSON.createObjectNode();
    b.put("sentAt", ms(System.currentTimeMillis() * 1_000_000L)).put("session", session == null ? hex(8) : session)
        .put("release", "4.2.0");
    b.putObject("page").put("view", view == null ? hex(8) : view).put("url", ORIGIN + PAGE_ROUTE)
        .put("route", PAGE_ROUTE).put("title", "Assistant");
    return b;
  }

  private void post(ObjectNode body) {
    HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
        .header("content-type", "text/plain;charset=UTF-8").header("origin", ORIGIN).header("user-agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    // a lost beacon is lost, as in a browser: the demo goes on
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding());
  }

  private static double ms(long epochNanos) {
    return epochNanos / 1_000_000.0;
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    b[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(b);
  }
}
