package dev.sightline.receivers.rum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.model.Span;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each event type of the agent's wire format becomes the span the contract describes. */
class RumDecoderTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String FETCH_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String LOAD = "b7ad6b7169203331";
  static final double T0 = 1_733_300_000_000.0;
  static final RumApp APP = new RumApp("web", "pk_web", List.of("http://127.0.0.1:8080"), 1.0);
  static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";

  /** The contract's example: a page load, a streamed fetch, vitals and an error. */
  static String body(double sentAt) {
    return """
        {"key":"pk_web","sentAt":%s,"session":"a1b2c3d4e5f60718","user":"u-42","release":"1.4.2",
         "page":{"view":"0123456789abcdef","url":"http://127.0.0.1:8080/chat?x=1","route":"/chat","referrer":"","title":"Chat"},
         "events":[
          {"type":"page_load","traceId":"%s","spanId":"%s","start":%s,"end":%s,
           "nav":{"type":"navigate","dnsMs":1.5,"ttfbMs":42.25,"domContentLoadedMs":120,"loadMs":300,"transferBytes":5120}},
          {"type":"fetch","traceId":"%s","spanId":"00f067aa0ba902b7","start":%s,"end":%s,"method":"post",
           "url":"/api/chat?stream=1","status":200,"api":"fetch","propagated":true,
           "stream":{"firstByte":%s,"firstToken":%s,"lastToken":%s,"tokens":51,"chunks":52,"source":"auto"}},
          {"type":"vitals","time":%s,"traceId":"%s","parentSpanId":"%s","spanId":"1111111111111111",
           "lcpMs":812.5,"inpMs":96,"cls":0.02,"fcpMs":400},
          {"type":"error","time":%s,"traceId":"%s","parentSpanId":"%s","spanId":"2222222222222222","kind":"error",
           "message":"TypeError: x is undefined","errorType":"TypeError","stack":"at f (app.js:3:7)",
           "source":"http://127.0.0.1:8080/app.js","line":3,"col":7}
         ]}
        """.formatted(sentAt, TRACE, LOAD, T0, T0 + 300, FETCH_TRACE, T0 + 1000, T0 + 3000, T0 + 1100, T0 + 1420.5,
        T0 + 2420.5, T0 + 5000, TRACE, LOAD, T0 + 4000, TRACE, LOAD);
  }

  static RumDecoder.Result decode(String body, String ua, double receivedAt) throws Exception {
    JsonNode root = RumDecoder.parse(body.getBytes(StandardCharsets.UTF_8));
    return RumDecoder.decode(root, APP, ua, receivedAt);
  }

  static Span named(RumDecoder.Result r, String prefix) {
    return r.spans().stream().filter(s -> s.name().startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void pageLoadIsTheRootOfThePageViewTraceWithNavigationTimings() throws Exception {
    RumDecoder.Result r = decode(body(T0 + 6000), DESKTOP, T0 + 6000.2);
    assertThat(r.rejected()).isEmpty();
    assertThat(r.spans()).hasSize(4);
    Span load = named(r, "page load");
    assertThat(load.name()).isEqualTo("page load /chat");
    assertThat(load.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(load.isRoot()).isTrue();
    assertThat(load.traceId()).isEqualTo(TRACE);
    assertThat(load.service()).isEqualTo("web");
    assertThat(load.category()).isNull(); // the normalizer derives it from rum.type
    assertThat(load.durationMs()).isEqualTo(300.0);
    assertThat(load.startEpochNanos()).isEqualTo(1_733_300_000_000_000_000L);
    assertThat(load.attributes()).containsEntry("rum.type", "page_load").containsEntry("rum.app", "web")
        .containsEntry("session.id", "a1b2c3d4e5f60718").containsEntry("user.id", "u-42")
        .containsEntry("rum.page_view_id", "0123456789abcdef").containsEntry("rum.route", "/chat")
        .containsEntry("url.full", "http://127.0.0.1:8080/chat?x=1")
        .containsEntry("rum.nav.ttfb_ms", 42.25).containsEntry("rum.nav.dns_ms", 1.5)
        .containsEntry("rum.nav.dom_content_loaded_ms", 120.0).containsEntry("rum.nav.load_ms", 300.0)
        .containsEntry("rum.nav.type", "navigate").containsEntry("rum.nav.transfer_bytes", 5120L)
        .doesNotContainKey("rum.clock_offset_ms");
    assertThat(load.resourceAttributes()).containsEntry("service.name", "web").containsEntry("service.version", "1.4.2")
        .containsEntry("telemetry.sdk.name", "sightline-rum").containsEntry("user_agent.original", DESKTOP)
        .doesNotContainKey("browser.mobile");
  }

  @Test
  void streamedFetchIsAClientRootWithTheUserPerceivedTtft() throws Exception {
    Span fetch = named(decode(body(T0 + 6000), DESKTOP, T0 + 6000), "POST");
    assertThat(fetch.name()).isEqualTo("POST /api/chat");
    assertThat(fetch.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(fetch.isRoot()).isTrue();
    assertThat(fetch.traceId()).isEqualTo(FETCH_TRACE);
    assertThat(fetch.status()).isEqualTo(SpanStatus.UNSET);
    assertThat(fetch.attributes()).containsEntry("http.request.method", "POST")
        .containsEntry("url.full", "http://127.0.0.1:8080/api/chat?stream=1")
        .containsEntry("rum.page.url", "http://127.0.0.1:8080/chat?x=1")
        .containsEntry("server.address", "127.0.0.1").containsEntry("http.response.status_code", 200L)
        .containsEntry("rum.api", "fetch").containsEntry("rum.propagated", true)
        .containsEntry("rum.first_byte_ms", 100.0).containsEntry("rum.first_token_ms", 420.5)
        .containsEntry("rum.ttft_source", "auto").containsEntry("rum.stream.tokens", 51L)
        .containsEntry("rum.stream.chunks", 52L).containsEntry("rum.tokens_per_s", 50.0)
        .containsEntry("rum.stream_ms", 1420.5).containsEntry("rum.type", "fetch");
  }

  @Test
  void vitalsAndErrorsAreZeroDurationChildrenOfThePageLoad() throws Exception {
    RumDecoder.Result r = decode(body(T0 + 6000), DESKTOP, T0 + 6000);
    Span vitals = named(r, "web vitals");
    assertThat(vitals.name()).isEqualTo("web vitals /chat");
    assertThat(vitals.parentSpanId()).isEqualTo(LOAD);
    assertThat(vitals.durationMs()).isZero();
    assertThat(vitals.attributes()).containsEntry("rum.lcp_ms", 812.5).containsEntry("rum.inp_ms", 96.0)
        .containsEntry("rum.cls", 0.02).containsEntry("rum.fcp_ms", 400.0);
    Span error = named(r, "error:");
    assertThat(error.name()).isEqualTo("error: TypeError: x is undefined");
    assertThat(error.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(error.parentSpanId()).isEqualTo(LOAD);
    assertThat(error.durationMs()).isZero();
    assertThat(error.attributes()).containsEntry("exception.type", "TypeError")
        .containsEntry("exception.message", "TypeError: x is undefined")
        .containsEntry("exception.stacktrace", "at f (app.js:3:7)").containsEntry("rum.error.kind", "error")
        .containsEntry("code.filepath", "http://127.0.0.1:8080/app.js").containsEntry("code.lineno", 3L)
        .containsEntry("code.column", 7L);
  }

  @Test
  void failedFetchesAreErrors() throws Exception {
    for (String extra : List.of("\"status\":0", "\"status\":503", "\"status\":200,\"error\":\"aborted\"")) {
      String b = """
          {"page":{"url":"https://chat.example.com/"},"events":[{"type":"fetch","traceId":"%s","spanId":"00f067aa0ba902b7",
          "start":%s,"end":%s,"method":"GET","url":"https://api.example.com/v1/items?id=3",%s}]}"""
          .formatted(FETCH_TRACE, T0, T0 + 10, extra);
      Span s = decode(b, DESKTOP, T0).spans().get(0);
      assertThat(s.status()).as(extra).isEqualTo(SpanStatus.ERROR);
      assertThat(s.statusMessage()).as(extra).isNotBlank();
      assertThat(s.name()).isEqualTo("GET /v1/items");
      assertThat(s.attributes()).containsEntry("server.address", "api.example.com");
    }
  }

  @Test
  void mobileBrowsersAreMarked() throws Exception {
    String ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1";
    assertThat(decode(body(T0 + 6000), ua, T0 + 6000).spans().get(0).resourceAttributes())
        .containsEntry("browser.mobile", true);
  }

  @Test
  void clockSkewAboveOneSecondShiftsEveryTimeOfTheRequest() throws Exception {
    // the agent's clock is 60 s behind the server's
    RumDecoder.Result skewed = decode(body(T0 + 6000), DESKTOP, T0 + 66_000);
    assertThat(skewed.clockOffsetMs()).isEqualTo(60_000.0);
    for (Span s : skewed.spans()) {
      assertThat(s.attributes()).containsEntry("rum.clock_offset_ms", 60_000.0);
    }
    Span load = named(skewed, "page load");
    assertThat(load.startEpochNanos()).isEqualTo(1_733_300_060_000_000_000L);
    assertThat(load.durationMs()).isEqualTo(300.0);
    assertThat(named(skewed, "POST").attributes()).containsEntry("rum.first_token_ms", 420.5);
    // within a second: left alone
    RumDecoder.Result close = decode(body(T0 + 6000), DESKTOP, T0 + 6900);
    assertThat(close.clockOffsetMs()).isZero();
    assertThat(named(close, "page load").startEpochNanos()).isEqualTo(1_733_300_000_000_000_000L);
  }

  @Test
  void longValuesAreCutWithAMarker() throws Exception {
    String longPath = "/" + "a".repeat(3000);
    String stack = "s".repeat(10_000);
    String b = """
        {"page":{"url":"http://x.test%s?q=1","route":"/r"},"events":[
         {"type":"error","time":%s,"traceId":"%s","spanId":"2222222222222222","message":"%s","stack":"%s"}]}"""
        .formatted(longPath, T0, TRACE, "m".repeat(100), stack);
    Span s = decode(b, DESKTOP, T0).spans().get(0);
    assertThat((String) s.attributes().get("url.full")).hasSize(2048 + "…[truncated 970 chars]".length())
        .endsWith("…[truncated 970 chars]");
    assertThat((String) s.attributes().get("exception.stacktrace")).startsWith("s".repeat(8192))
        .endsWith("…[truncated 1808 chars]");
    assertThat(s.name()).isEqualTo("error: " + "m".repeat(80));
  }

  @Test
  void badEventsAreRejectedAloneWithTheirReason() throws Exception {
    String b = """
        {"page":{"route":"/"},"events":[
         {"type":"page_load","traceId":"%s","spanId":"%s","start":%s,"end":%s},
         {"type":"scroll","time":1},
         {"type":"page_load","spanId":"%s","start":%s,"end":%s},
         {"type":"fetch","traceId":"XYZ","spanId":"%s","start":%s,"end":%s,"url":"/a"},
         {"type":"page_load","traceId":"%s","spanId":"%s","start":%s,"end":%s},
         "text",
         {"type":"vitals","traceId":"%s","spanId":"%s","time":"soon"}
        ]}""".formatted(TRACE, LOAD, T0, T0 + 1, LOAD, T0, T0 + 1, LOAD, T0, T0 + 1, TRACE, LOAD, T0 + 5, T0,
        TRACE, LOAD);
    RumDecoder.Result r = decode(b, DESKTOP, T0);
    assertThat(r.spans()).hasSize(1);
    assertThat(r.rejected()).extracting(RumDecoder.Rejection::index).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(r.rejected().get(0).reason()).contains("unknown type 'scroll'");
    assertThat(r.rejected().get(1).reason()).contains("traceId is missing");
    assertThat(r.rejected().get(2).reason()).contains("traceId must be 32 hex digits");
    assertThat(r.rejected().get(3).reason()).contains("before start");
    assertThat(r.rejected().get(4).reason()).contains("not a JSON object");
    assertThat(r.rejected().get(5).reason()).contains("time must be Unix epoch milliseconds");
  }

  @Test
  void wholeRequestsRefused() {
    assertThatThrownBy(() -> RumDecoder.parse("{\"events\":[".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(RumRequestException.class, e -> assertThat(e.status).isEqualTo(400));
    assertThatThrownBy(() -> RumDecoder.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(RumRequestException.class, e -> assertThat(e.code).isEqualTo("malformed"));
    assertThatThrownBy(() -> decode("{\"page\":{}}", DESKTOP, T0))
        .isInstanceOfSatisfying(RumRequestException.class, e -> assertThat(e.getMessage()).contains("events"));
    String many = "{\"events\":[" + String.join(",", IntStream.range(0, 201).mapToObj(i -> "{}").toList()) + "]}";
    assertThatThrownBy(() -> decode(many, DESKTOP, T0))
        .isInstanceOfSatisfying(RumRequestException.class, e -> {
          assertThat(e.status).isEqualTo(413);
          assertThat(e.getMessage()).contains("201 events").contains("200");
        });
  }

  @Test
  void samplingKeepsOrDropsASessionWholeAndNearTheRate() {
    List<String> sessions = IntStream.range(0, 4000).mapToObj(i -> String.format("%016x", i * 7919L + 13)).toList();
    long kept = sessions.stream().filter(s -> RumTraffic.sampled(s, 0.25)).count();
    assertThat(kept).isBetween(800L, 1200L);
    for (String s : sessions.subList(0, 200)) {
      boolean first = RumTraffic.sampled(s, 0.25);
      assertThat(RumTraffic.sampled(s, 0.25)).isEqualTo(first);
      if (first) {
        assertThat(RumTraffic.sampled(s, 0.5)).as("a session kept at 25 %% stays at 50 %%").isTrue();
      }
    }
    assertThat(sessions.stream().noneMatch(s -> RumTraffic.sampled(s, 0))).isTrue();
    assertThat(sessions.stream().allMatch(s -> RumTraffic.sampled(s, 1))).isTrue();
  }

  @Test
  void botsAreRecognisedByTheirUserAgent() {
    assertThat(RumTraffic.isBot("Mozilla/5.0 (compatible; Googlebot/2.1)")).isTrue();
    assertThat(RumTraffic.isBot("Mozilla/5.0 HeadlessChrome/120.0")).isTrue();
    assertThat(RumTraffic.isBot("Mozilla/5.0 (compatible; Chrome-Lighthouse)")).isTrue();
    assertThat(RumTraffic.isBot("")).isTrue();
    assertThat(RumTraffic.isBot(null)).isTrue();
    assertThat(RumTraffic.isBot(DESKTOP)).isFalse();
  }

  @Test
  void appSpecsParseAndMistakesSayWhatIsWrong() {
    RumApp a = RumApp.parse("web=pk_web,origin=https://Chat.Example.com:443/,origin=http://127.0.0.1:8080,sample=0.5");
    assertThat(a.name()).isEqualTo("web");
    assertThat(a.key()).isEqualTo("pk_web");
    assertThat(a.origins()).containsExactly("https://chat.example.com", "http://127.0.0.1:8080");
    assertThat(a.sampleRate()).isEqualTo(0.5);
    assertThat(a.allowsOrigin("https://chat.example.com")).isTrue();
    assertThat(a.allowsOrigin("http://127.0.0.1:8080")).isTrue();
    assertThat(a.allowsOrigin("http://127.0.0.1:9090")).isFalse();
    assertThat(a.allowsOrigin("null")).isFalse();
    assertThat(RumApp.parse("any=k,origin=*").allowsOrigin("http://whatever.test")).isTrue();
    assertThatThrownBy(() -> RumApp.parse("web")).hasMessageContaining("NAME=KEY");
    assertThatThrownBy(() -> RumApp.parse("web=k,origin=chat.example.com")).hasMessageContaining("origin=chat.example.com");
    assertThatThrownBy(() -> RumApp.parse("web=k,origin=https://x.test/app")).hasMessageContaining("without a path");
    assertThatThrownBy(() -> RumApp.parse("web=k,sample=1.5")).hasMessageContaining("from 0");
    assertThatThrownBy(() -> RumApp.parse("web=k,sample=lots")).hasMessageContaining("number");
    assertThatThrownBy(() -> RumApp.parse("web=k,colour=red")).hasMessageContaining("colour=red");
    assertThatThrownBy(() -> new RumConfig(List.of(RumApp.parse("a=k1"), RumApp.parse("a=k2")), 65536))
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> new RumConfig(List.of(RumApp.parse("a=k1"), RumApp.parse("b=k1")), 65536))
        .hasMessageContaining("'k1'");
  }
}
