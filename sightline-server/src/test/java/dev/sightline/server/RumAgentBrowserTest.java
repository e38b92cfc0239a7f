package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real-user agent (/rum/sightline-rum.js) in headless Chromium against a small Armeria app: what
 * it sends to a capture endpoint, the traceparent the backends receive, and streamed answers timed
 * as the page itself saw them.
 */
class RumAgentBrowserTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long PAUSE_MS = 150;
  static final List<String> CONTENT = List.of("Hel", "lo", " wor", "ld", "!");
  static final String ROLE_CHUNK = chunk("{\"role\":\"assistant\",\"content\":\"\"}");
  static final String ANSWER = ROLE_CHUNK + String.join("", CONTENT.stream()
      .map(c -> chunk("{\"content\":\"" + c + "\"}")).toList()) + "data: [DONE]\n\n";
  static final String PLAIN = "{\"answer\":\"plain json\",\"n\":42}";

  /** Bodies the capture endpoint received, with their ?key= and Content-Type. */
  record Capture(JsonNode body, String key, String contentType, int bytes) {}

  static final Queue<Capture> captured = new ConcurrentLinkedQueue<>();
  /** Request id (?id=) → the traceparent header the backend saw ("" when none). */
  static final Map<String, String> traceparents = new ConcurrentHashMap<>();
  static Server app;
  static Server listed;
  static Server unlisted;
  static Browser browser;
  static String base;

  @BeforeAll
  static void start() {
    listed = backend();
    unlisted = backend();
    String agent = resource("/rum/sightline-rum.js");
    String listedOrigin = "http://127.0.0.1:" + listed.activeLocalPort();
    app = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0))
        .service("/rum/sightline-rum.js", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JAVASCRIPT_UTF_8, agent))
        .service("/rum/sightline-rum.mjs", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JAVASCRIPT_UTF_8,
            agent + "\nexport default SightlineRum; export {SightlineRum};\n"))
        .service("/rum/v1/events", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(r -> {
          try {
            captured.add(new Capture(JSON.readTree(r.contentUtf8()), ctx.queryParam("key"),
                r.headers().get("content-type"), r.content().length()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return HttpResponse.of(HttpStatus.ACCEPTED);
        })))
        .service("/api/json", (ctx, req) -> record(ctx, req, HttpResponse.of(HttpStatus.OK, MediaType.JSON, PLAIN)))
        .service("/api/stream", (ctx, req) -> record(ctx, req, stream(ctx)))
        .service("/api/sse", (ctx, req) -> record(ctx, req, stream(ctx)))
        .service("/page/app", (ctx, req) -> page("""
            <script src="/rum/sightline-rum.js" data-key="pk_test" data-release="1.2.3"
                    data-propagate-to="%s"></script>""".formatted(listedOrigin)))
        .service("/page/unsampled", (ctx, req) -> page("""
            <script src="/rum/sightline-rum.js" data-key="pk_test" data-sample-rate="0"></script>"""))
        .service("/page/module", (ctx, req) -> page("""
            <script type="module">
              import SightlineRum from '/rum/sightline-rum.mjs';
              SightlineRum.init({key: 'pk_module', endpoint: '/rum/v1/events'});
              window.moduleRum = SightlineRum;
            </script>"""))
        .service("/page/blank", (ctx, req) -> page(""))
        .build();
    app.start().join();
    base = "http://127.0.0.1:" + app.activeLocalPort();
    browser = new Browser(app.activeLocalPort());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    for (Server s : new Server[] {app, listed, unlisted}) {
      if (s != null) {
        s.stop().join();
      }
    }
  }

  @Test
  void traceparentGoesToSameOriginAndListedOriginsOnlyAndMatchesTheFetchSpan() {
    String session = open("/page/app");
    String listedUrl = "http://127.0.0.1:" + listed.activeLocalPort() + "/api/json?id=listed";
    String unlistedUrl = "http://127.0.0.1:" + unlisted.activeLocalPort() + "/api/json?id=unlisted";
    @SuppressWarnings("unchecked")
    List<String> bodies = (List<String>) async("""
        const urls = ['/api/json?id=same', arguments[0], arguments[1]];
        Promise.all(urls.map(u => fetch(u).then(r => r.text()))).then(done);""", listedUrl, unlistedUrl);
    assertThat(bodies).containsOnly(PLAIN);
    Object xhr = async("""
        const x = new XMLHttpRequest(); x.open('GET', '/api/json?id=xhr');
        x.onload = () => done(x.responseText); x.send();""");
    assertThat(xhr).isEqualTo(PLAIN);

    for (String id : List.of("same", "listed", "xhr")) {
      String header = traceparents.get(id);
      assertThat(header).as(id).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      JsonNode span = awaitEvent(session, e -> e.path("type").asText().equals("fetch")
          && e.path("url").asText().endsWith("id=" + id));
      assertThat(header).isEqualTo("00-" + span.path("traceId").asText() + "-" + span.path("spanId").asText() + "-01");
      assertThat(span.path("propagated").asBoolean()).isTrue();
      assertThat(span.path("status").asInt()).isEqualTo(200);
      assertThat(span.path("method").asText()).isEqualTo("GET");
      assertThat(span.path("api").asText()).isEqualTo(id.equals("xhr") ? "xhr" : "fetch");
      assertThat(span.path("end").asDouble()).isGreaterThanOrEqualTo(span.path("start").asDouble());
    }
    assertThat(traceparents.get("unlisted")).isEmpty();
    JsonNode other = awaitEvent(session, e -> e.path("url").asText().endsWith("id=unlisted"));
    assertThat(other.path("propagated").asBoolean()).isFalse();
    // the agent's own beacons are never spans
    assertThat(events(session)).noneMatch(e -> e.path("url").asText().contains("/rum/v1/events"));
    Capture c = captured.stream().filter(x -> x.body().path("session").asText().equals(session)).findFirst().orElseThrow();
    assertThat(c.key()).isEqualTo("pk_test");
    assertThat(c.body().path("release").asText()).isEqualTo("1.2.3");
    assertThat(c.body().path("page").path("route").asText()).isEqualTo("/page/app");
  }

  @Test
  void aNetworkErrorIsAFetchSpanWithStatusZeroAndTheAppSeesTheSameError() {
    String session = open("/page/app");
    Object seen = async("fetch('http://127.0.0.1:1/api/json?id=refused').then(() => done('ok'), e => done(e.name));");
    assertThat(seen).isEqualTo("TypeError");
    JsonNode span = awaitEvent(session, e -> e.path("url").asText().endsWith("id=refused"));
    assertThat(span.path("status").asInt()).isZero();
    assertThat(span.path("error").asText()).contains("TypeError");
  }

  @Test
  void streamFirstTokenMarkedByTheAppMatchesWhatThePageMeasured() {
    String session = open("/page/app");
    JsonNode page = runStream("marked", true);
    JsonNode span = awaitEvent(session, e -> e.path("url").asText().endsWith("id=marked"));
    JsonNode s = span.path("stream");
    assertThat(s.path("source").asText()).isEqualTo("app");
    assertThat(s.path("firstToken").asDouble() - span.path("start").asDouble()).isGreaterThanOrEqualTo(PAUSE_MS);
    assertThat(Math.abs(s.path("firstToken").asDouble() - page.path("first").asDouble())).isLessThan(15);
    System.out.printf("RUM marked: agent firstToken - page = %.2f ms, TTFT %.1f ms%n",
        s.path("firstToken").asDouble() - page.path("first").asDouble(), s.path("firstToken").asDouble() - span.path("start").asDouble());
    assertThat(span.path("end").asDouble()).isGreaterThanOrEqualTo(s.path("firstToken").asDouble());
    assertThat(span.path("traceId").asText()).isEqualTo(traceparents.get("marked").substring(3, 35));
  }

  @Test
  void streamFirstTokenIsDetectedAutomaticallyWhenThePageDoesNotMark() {
    String session = open("/page/app");
    JsonNode page = runStream("auto", false);
    JsonNode span = awaitEvent(session, e -> e.path("url").asText().endsWith("id=auto"));
    JsonNode s = span.path("stream");
    assertThat(s.path("source").asText()).isEqualTo("auto");
    double first = s.path("firstToken").asDouble();
    // the role-only chunk arrives at once: the first token is the first chunk with content, after the pause
    assertThat(first - span.path("start").asDouble()).isGreaterThanOrEqualTo(PAUSE_MS);
    assertThat(s.path("firstByte").asDouble()).isLessThan(first);
    assertThat(Math.abs(first - page.path("first").asDouble())).isLessThan(15);
    System.out.printf("RUM auto: agent firstToken - page = %.2f ms, TTFT %.1f ms%n",
        first - page.path("first").asDouble(), first - span.path("start").asDouble());
    assertThat(s.path("tokens").asInt()).isEqualTo(CONTENT.size());
    assertThat(s.path("lastToken").asDouble()).isGreaterThan(first);
    assertThat(span.path("end").asDouble()).isGreaterThanOrEqualTo(s.path("lastToken").asDouble());
    assertThat(span.path("method").asText()).isEqualTo("POST");
  }

  @Test
  void pageLoadAndErrorsArriveAndTheSameErrorCountsOnce() {
    String session = open("/page/app");
    browser.js("""
        failTwiceAndReject();
        SightlineRum.addError(new Error('added by hand'));""");
    JsonNode load = awaitEvent(session, e -> e.path("type").asText().equals("page_load"));
    assertThat(load.path("traceId").asText()).matches("[0-9a-f]{32}");
    assertThat(load.path("spanId").asText()).matches("[0-9a-f]{16}");
    assertThat(load.path("nav").path("type").asText()).isEqualTo("navigate");
    assertThat(load.path("nav").path("ttfbMs").asDouble()).isPositive();
    assertThat(load.path("nav").path("loadMs").asDouble()).isGreaterThanOrEqualTo(load.path("nav").path("ttfbMs").asDouble());
    assertThat(load.path("end").asDouble()).isGreaterThan(load.path("start").asDouble());

    JsonNode thrown = awaitEvent(session, e -> e.path("kind").asText().equals("error"));
    assertThat(thrown.path("message").asText()).contains("thrown by the page");
    assertThat(thrown.path("errorType").asText()).isEqualTo("TypeError");
    assertThat(thrown.path("stack").asText()).contains("boom");
    assertThat(thrown.path("line").asInt()).isPositive();
    assertThat(thrown.path("parentSpanId").asText()).isEqualTo(load.path("spanId").asText());
    assertThat(thrown.path("traceId").asText()).isEqualTo(load.path("traceId").asText());
    JsonNode rejected = awaitEvent(session, e -> e.path("kind").asText().equals("unhandledrejection"));
    assertThat(rejected.path("errorType").asText()).isEqualTo("RangeError");
    JsonNode manual = awaitEvent(session, e -> e.path("kind").asText().equals("manual"));
    assertThat(manual.path("message").asText()).isEqualTo("added by hand");
    assertThat(events(session)).filteredOn(e -> e.path("kind").asText().equals("error")).hasSize(1);
  }

  @Test
  void vitalsArriveAtPagehideWithInpAfterARealClick() {
    String session = open("/page/app");
    browser.driver.findElement(By.id("slow")).click();
    async("requestAnimationFrame(() => setTimeout(done, 50));");
    browser.driver.get(base + "/page/blank"); // pagehide: the agent beacons what it has
    JsonNode v = awaitEvent(session, e -> e.path("type").asText().equals("vitals"));
    assertThat(v.has("lcpMs")).isTrue();
    assertThat(v.path("lcpMs").asDouble()).isPositive();
    assertThat(v.has("cls")).isTrue();
    assertThat(v.path("fcpMs").asDouble()).isPositive();
    // the click handler blocks the main thread for 120 ms
    assertThat(v.path("inpMs").asDouble()).isGreaterThanOrEqualTo(100);
    JsonNode load = awaitEvent(session, e -> e.path("type").asText().equals("page_load"));
    assertThat(v.path("parentSpanId").asText()).isEqualTo(load.path("spanId").asText());
    assertThat(events(session)).filteredOn(e -> e.path("type").asText().equals("vitals")).hasSize(1);
  }

  @Test
  void anUnsampledSessionSendsNothingAndInjectsNothing() {
    String session = open("/page/unsampled");
    Object body = async("fetch('/api/json?id=unsampled').then(r => r.text()).then(t => SightlineRum.flush().then(() => done(t)));");
    assertThat(body).isEqualTo(PLAIN);
    assertThat(traceparents.get("unsampled")).isEmpty();
    // a sampled page next: once its data is in, the unsampled page's pagehide beacon would be too
    String next = open("/page/app");
    awaitEvent(next, e -> e.path("type").asText().equals("page_load"));
    assertThat(captured).noneMatch(c -> c.body().path("session").asText().equals(session));
  }

  @Test
  void theAgentWorksLoadedAsAnEsModule() {
    String session = open("/page/module");
    new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> browser.js("return !!window.moduleRum"));
    assertThat(browser.js("return window.moduleRum === window.SightlineRum")).isEqualTo(true);
    JsonNode page = runStream("module", true);
    JsonNode span = awaitEvent(session, e -> e.path("url").asText().endsWith("id=module"));
    assertThat(span.path("stream").path("source").asText()).isEqualTo("app");
    assertThat(Math.abs(span.path("stream").path("firstToken").asDouble() - page.path("first").asDouble())).isLessThan(15);
    assertThat(traceparents.get("module")).contains(span.path("spanId").asText());
    assertThat(captured).anyMatch(c -> c.body().path("session").asText().equals(session) && c.key().equals("pk_module"));
  }

  @Test
  void anEventSourceIsOneSpanWhoseFirstTokenIsTheFirstMessageWithContent() {
    String session = open("/page/app");
    Object sawFirst = async("""
        const es = new EventSource('/api/sse?id=es'); let first = null;
        es.onmessage = e => {
          if (e.data === '[DONE]') { es.close(); done(first); return; }
          if (first === null && JSON.parse(e.data).choices[0].delta.content) first = performance.timeOrigin + performance.now();
        };""");
    JsonNode span = awaitEvent(session, e -> e.path("url").asText().endsWith("id=es"));
    assertThat(span.path("api").asText()).isEqualTo("eventsource");
    assertThat(span.path("status").asInt()).isEqualTo(200);
    JsonNode s = span.path("stream");
    assertThat(s.path("firstToken").asDouble() - span.path("start").asDouble()).isGreaterThanOrEqualTo(PAUSE_MS);
    assertThat(Math.abs(s.path("firstToken").asDouble() - ((Number) sawFirst).doubleValue())).isLessThan(15);
    assertThat(s.path("tokens").asInt()).isEqualTo(CONTENT.size());
    assertThat(browser.js("return new EventSource('/api/sse?id=es2') instanceof EventSource")).isEqualTo(true);
  }

  @Test
  void bodiesStayUnderSixtyKilobytesWithLongStacksCut() {
    String session = open("/page/app");
    browser.js("""
        for (let i = 0; i < 20; i++) {
          const e = new Error('big ' + i); e.stack = 'frame\\n'.repeat(4000); SightlineRum.addError(e);
        }""");
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage(() -> "captured " + captured.stream()
        .filter(c -> c.body().path("session").asText().equals(session)).map(c -> c.bytes() + ":" + c.body().path("events").size()).toList()
        + " console " + browser.consoleErrors()).until(d -> {
      browser.js("SightlineRum.flush();");
      return events(session).stream().filter(e -> e.path("kind").asText().equals("manual")).count() == 20;
    });
    List<Capture> mine = captured.stream().filter(c -> c.body().path("session").asText().equals(session)).toList();
    assertThat(mine).hasSizeGreaterThanOrEqualTo(3).allMatch(c -> c.bytes() <= 60_000)
        .allMatch(c -> c.contentType().startsWith("text/plain"));
    assertThat(events(session)).filteredOn(e -> e.path("kind").asText().equals("manual"))
        .allMatch(e -> e.path("stack").asText().length() == 8192);
  }

  /** The page reads a streamed answer as a chat UI would, and says when it rendered the first token. */
  private static JsonNode runStream(String id, boolean mark) {
    Object r = async("runStream(arguments[0], arguments[1]).then(done);", id, mark);
    JsonNode page = JSON.valueToTree(r);
    assertThat(page.path("text").asText()).isEqualTo(ANSWER); // the app's body is untouched
    assertThat(page.path("rendered").asText()).isEqualTo(String.join("", CONTENT));
    assertThat(page.path("status").asInt()).isEqualTo(200);
    assertThat(page.path("url").asText()).isEqualTo(base + "/api/stream?id=" + id);
    assertThat(page.path("type").asText()).isEqualTo("basic");
    assertThat(page.path("contentType").asText()).startsWith("text/event-stream");
    return page;
  }

  /** Opens a page in a fresh tab session; returns the agent's session id (from sessionStorage). */
  private static String open(String path) {
    browser.driver.get(base + "/page/blank");
    browser.js("sessionStorage.clear()");
    browser.driver.get(base + path);
    Object id = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
        .until(d -> browser.js("const s = sessionStorage.getItem('sightline-rum'); return s && JSON.parse(s).id"));
    return (String) id;
  }

  private static Object async(String script, Object... args) {
    return browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];\n" + script, args);
  }

  private static List<JsonNode> events(String session) {
    List<JsonNode> out = new ArrayList<>();
    for (Capture c : captured) {
      if (c.body().path("session").asText().equals(session)) {
        c.body().path("events").forEach(out::add);
      }
    }
    return out;
  }

  /** Polls the captured bodies (asking the page to flush each time) until an event of the session matches. */
  private static JsonNode awaitEvent(String session, Predicate<JsonNode> match) {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "events of session " + session + ": " + events(session)).until(d -> {
      browser.js("if (window.SightlineRum) SightlineRum.flush();");
      return events(session).stream().filter(match).findFirst().orElse(null);
    });
  }

  private static HttpResponse record(ServiceRequestContext ctx, HttpRequest req, HttpResponse answer) {
    if (req.method() == HttpMethod.OPTIONS) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT).add("access-control-allow-origin", "*")
          .add("access-control-allow-headers", "traceparent, content-type").build());
    }
    String id = ctx.queryParam("id");
    if (id != null) {
      String tp = req.headers().get("traceparent");
      traceparents.put(id, tp == null ? "" : tp);
    }
    return answer.mapHeaders(h -> h.toBuilder().add("access-control-allow-origin", "*").build());
  }

  /** An OpenAI-style answer: the role-only chunk at once, content after a pause, then one chunk every 20 ms. */
  private static HttpResponse stream(ServiceRequestContext ctx) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM).build());
    w.write(HttpData.ofUtf8(ROLE_CHUNK));
    long at = PAUSE_MS;
    for (String c : CONTENT) {
      ctx.eventLoop().schedule(() -> w.write(HttpData.ofUtf8(chunk("{\"content\":\"" + c + "\"}"))), at, TimeUnit.MILLISECONDS);
      at += 20;
    }
    ctx.eventLoop().schedule(() -> {
      w.write(HttpData.ofUtf8("data: [DONE]\n\n"));
      w.close();
    }, at, TimeUnit.MILLISECONDS);
    return w;
  }

  private static String chunk(String delta) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":null}]}\n\n";
  }

  private static Server backend() {
    Server s = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0))
        .service("/api/json", (ctx, req) -> record(ctx, req, HttpResponse.of(HttpStatus.OK, MediaType.JSON, PLAIN)))
        .build();
    s.start().join();
    return s;
  }

  private static HttpResponse page(String agentTag) {
    String html = """
        <!doctype html><html><head><meta charset="utf-8"><title>RUM test</title>%s
        <script>
          function boom() { throw new TypeError('thrown by the page'); }
          function failTwiceAndReject() {
            setTimeout(boom, 0); setTimeout(boom, 0);
            setTimeout(() => { Promise.reject(new RangeError('rejected on purpose')); }, 0);
          }
          // reads a streamed answer like a chat UI: renders content deltas, notes when the first one showed
          async function runStream(id, mark) {
            const res = await fetch('/api/stream?id=' + id, {method: 'POST', body: '{}',
                headers: {'content-type': 'application/json'}});
            const reader = res.body.getReader(), dec = new TextDecoder(), out = document.getElementById('out');
            let text = '', buf = '', first = null;
            for (;;) {
              const {done, value} = await reader.read();
              if (done) break;
              const part = dec.decode(value, {stream: true});
              text += part; buf += part;
              const lines = buf.split('\\n'); buf = lines.pop();
              for (const l of lines) {
                if (!l.startsWith('data: ') || l === 'data: [DONE]') continue;
                const c = JSON.parse(l.slice(6)).choices[0].delta.content;
                if (!c) continue;
                out.textContent += c;
                if (first === null) {
                  first = performance.timeOrigin + performance.now();
                  if (mark) SightlineRum.markFirstToken(res);
                }
              }
            }
            return {text, first, rendered: out.textContent, status: res.status, url: res.url, type: res.type,
                contentType: res.headers.get('content-type')};
          }
        </script></head>
        <body><h1>Real-user monitoring test page</h1>
        <p>A paragraph of text large enough to be the largest contentful paint of this small page.</p>
        <button id="slow" onclick="const t = performance.now(); while (performance.now() - t < 120) {}">slow</button>
        <pre id="out"></pre></body></html>""".formatted(agentTag);
    return HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, html);
  }

  private static String resource(String path) {
    try (InputStream in = RumAgentBrowserTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
