package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.receivers.rum.RumApp;
import dev.sightline.receivers.rum.RumConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The acceptance, end to end: a page in headless Chromium loads Sightline's agent and asks a
 * backend (instrumented with the OpenTelemetry Java SDK) which streams through Sightline's gateway
 * from a scripted upstream. The whole chain is one trace in the API and in the dashboard, the
 * user-perceived TTFT stored is what the page measured itself, and CORS and size limits refuse.
 */
class ConnectedViewEndToEndTest {
  static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";
  /** The upstream's pause before its first content chunk. */
  static final long FIRST_TOKEN_MS = 250;

  @TempDir Path dir;

  @Test
  void oneTraceFromTheClickToTheProviderWithTheTtftThePageSaw() throws Exception {
    Server upstream = scriptedUpstream();
    try (ChatBackend backend = new ChatBackend()) {
      GatewayConfig gateway = new GatewayConfig(URI.create("http://127.0.0.1:" + upstream.activeLocalPort()), Map.of(),
          null, null, CaptureMode.METADATA);
      RumConfig rum = new RumConfig(List.of(RumApp.parse("shop=pk_shop,origin=" + backend.origin())),
          RumConfig.DEFAULT_MAX_BODY_BYTES);
      try (SightlineServer s = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
          .withGateway(gateway).withRum(rum))) {
        String sightline = "http://127.0.0.1:" + s.httpPort();
        backend.connect(page(sightline), s.httpPort(), s.otlpHttpPort());
        try (Browser browser = new Browser(s.httpPort(), "--user-agent=" + USER_AGENT)) {
          browser.driver.get(backend.origin() + "/");
          new WebDriverWait(browser.driver, Duration.ofSeconds(20))
              .until(d -> Boolean.TRUE.equals(browser.js("return !!(window.SightlineRum && SightlineRum.flush)")));
          browser.find("#ask").click();
          browser.awaitText("#done", "done");
          double pageTtft = Double.parseDouble(browser.find("#ttft").getText());
          assertThat(browser.find("#answer").getText()).isEqualTo("Five seats fit the Team plan.");
          browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
          browser.driver.executeAsyncScript("SightlineRum.flush().then(arguments[arguments.length - 1])");
          backend.flush();

          String traceparent = backend.traceparents.get(0);
          assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
          String traceId = traceparent.split("-")[1];
          String browserSpanId = traceparent.split("-")[2];
          JsonNode trace = TestServers.await(s, "/api/v1/traces/" + traceId, t -> t.path("spans").size() >= 5
              && spanOf(t, "browser") != null && spanOf(t, "llm") != null);
          Map<String, JsonNode> byName = new HashMap<>();
          trace.path("spans").forEach(sp -> byName.put(sp.path("name").asText(), sp));

          // the chain: browser fetch (root) -> backend server span -> db + client span -> gateway LLM span
          JsonNode fetch = spanOf(trace, "browser");
          assertThat(fetch.path("spanId").asText()).isEqualTo(browserSpanId);
          assertThat(fetch.path("parentSpanId").isNull() || fetch.path("parentSpanId").isMissingNode()).isTrue();
          assertThat(fetch.path("name").asText()).isEqualTo("POST /api/chat");
          assertThat(fetch.path("service").asText()).isEqualTo("shop");
          JsonNode server = serverSpan(trace);
          assertThat(server.path("parentSpanId").asText()).isEqualTo(browserSpanId);
          assertThat(server.path("service").asText()).isEqualTo("chat-backend");
          JsonNode db = byName.get("SELECT shop.conversations");
          assertThat(db.path("category").asText()).isEqualTo("db");
          assertThat(db.path("parentSpanId").asText()).isEqualTo(server.path("spanId").asText());
          JsonNode client = byName.get("POST");
          assertThat(client.path("parentSpanId").asText()).isEqualTo(server.path("spanId").asText());
          JsonNode llm = spanOf(trace, "llm");
          assertThat(llm.path("parentSpanId").asText()).isEqualTo(client.path("spanId").asText());

          // the TTFT the user saw is the one the page measured, and it includes the provider's
          JsonNode fetchDetail = TestServers.get(s, "/api/v1/traces/" + traceId + "/spans/" + browserSpanId);
          JsonNode attrs = fetchDetail.has("span") ? fetchDetail.path("span").path("attributes")
              : fetchDetail.path("attributes");
          double userTtft = attrs.path("rum.first_token_ms").asDouble();
          assertThat(userTtft).as("user-perceived TTFT vs the page's own %s ms", pageTtft)
              .isCloseTo(pageTtft, org.assertj.core.data.Offset.offset(5.0));
          JsonNode call = TestServers.await(s, "/api/v1/llm/calls?traceId=" + traceId, c -> c.path("calls").size() == 1)
              .path("calls").get(0);
          double serverTtft = call.path("ttftMs").asDouble();
          assertThat(serverTtft).isGreaterThanOrEqualTo(FIRST_TOKEN_MS - 5);
          assertThat(userTtft).isGreaterThan(serverTtft);
          assertThat(call.path("route").asText()).isEqualTo("POST /api/chat");

          JsonNode users = TestServers.await(s, "/api/v1/rum/summary", r -> r.path("requests").size() == 1);
          assertThat(users.path("requests").get(0).path("route").asText()).isEqualTo("POST /api/chat");
          assertThat(users.path("requests").get(0).path("userTtftP50Ms").asDouble()).isCloseTo(userTtft,
              org.assertj.core.data.Offset.offset(0.01));
          JsonNode map = TestServers.get(s, "/api/v1/servicemap");
          assertThat(map.path("edges").toString()).contains("\"source\":\"shop\",\"target\":\"chat-backend\"")
              .contains("\"source\":\"chat-backend\",\"target\":\"sightline-gateway\"");

          // the dashboard shows the same trace, starting at the browser span
          browser.open("/traces/" + traceId, "trace");
          browser.awaitText("main", "POST /api/chat");
          // the trace's first row is the browser span, with the TTFT the user saw (to the ms shown) beside the LLM's
          browser.awaitText("[data-kpi=user-ttft]", "as the user saw it");
          assertThat(browser.find("[data-kpi=user-ttft]").getText()).contains(userTtft >= 1000
              ? String.format(java.util.Locale.ROOT, "%.2f s", userTtft / 1000) : Math.round(userTtft) + " ms");
          assertThat(browser.findAll("#waterfall .wf-row [data-marker=user-ttft]")).hasSize(1);
          browser.screenshot("connected-e2e-trace");

          // a page from an origin not on the allow-list is refused (the agent's beacon and a direct post)
          browser.driver.get("http://localhost:" + backend.port() + "/");
          Object refused = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
              + "fetch(arguments[0], {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}'})"
              + ".then(r => done('status ' + r.status), e => done('refused: ' + e.name));",
              sightline + "/rum/v1/events?key=pk_shop");
          assertThat(String.valueOf(refused)).startsWith("refused");
        }
        var preflight = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(sightline + "/rum/v1/events?key=pk_shop"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:" + backend.port())
            .header("Access-Control-Request-Method", "POST").build(), BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.body()).contains("origin_not_allowed").contains("http://localhost:" + backend.port());
        var tooBig = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create(sightline + "/rum/v1/events?key=pk_shop"))
            .header("Origin", backend.origin()).header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[],\"pad\":\"" + "x".repeat(70_000) + "\"}"))
            .build(), BodyHandlers.ofString());
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("too_large");
        assertThat(tooBig.headers().firstValue("access-control-allow-origin")).contains(backend.origin());
      }
    } finally {
      upstream.stop().join();
    }
  }

  private static JsonNode serverSpan(JsonNode trace) {
    for (JsonNode sp : trace.path("spans")) {
      if ("chat-backend".equals(sp.path("service").asText()) && "POST /api/chat".equals(sp.path("name").asText())) {
        return sp;
      }
    }
    throw new AssertionError("no chat-backend server span in " + trace);
  }

  private static JsonNode spanOf(JsonNode trace, String category) {
    for (JsonNode sp : trace.path("spans")) {
      if (category.equals(sp.path("category").asText())) {
        return sp;
      }
    }
    return null;
  }

  /** The backend's page: the agent from Sightline, a question, the answer rendered as it streams. */
  private static String page(String sightline) {
    return """
        <!doctype html><html><head><title>Shop assistant</title>
        <script src="%s/rum/sightline-rum.js" data-key="pk_shop" data-endpoint="%s/rum/v1/events"></script>
        </head><body><button id="ask">Ask</button><p id="answer"></p><p id="ttft"></p><p id="done"></p>
        <script>
        document.getElementById('ask').addEventListener('click', async () => {
          const answer = document.getElementById('answer');
          const start = performance.now();
          const res = await fetch('/api/chat', {method: 'POST', headers: {'content-type': 'application/json'},
            body: JSON.stringify({q: 'Which plan fits a team of five?'})});
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '', first = true;
          for (;;) {
            const {done, value} = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, {stream: true});
            let i;
            while ((i = buffer.indexOf('\\n\\n')) >= 0) {
              const data = buffer.slice(0, i).replace(/^data: /, '');
              buffer = buffer.slice(i + 2);
              if (data === '[DONE]') continue;
              const text = JSON.parse(data).choices[0].delta.content || '';
              if (!text) continue;
              answer.append(text);
              if (first) {
                first = false;
                SightlineRum.markFirstToken(res);
                document.getElementById('ttft').textContent = String(performance.now() - start);
              } else {
                SightlineRum.markTokens(1, res);
              }
            }
          }
          document.getElementById('done').textContent = 'done';
        });
        </script></body></html>""".formatted(sightline, sightline);
  }

  /** An OpenAI-compatible stream: a role-only chunk at once, the first content after a pause, usage last. */
  private static Server scriptedUpstream() {
    String[] words = {"Five ", "seats ", "fit ", "the ", "Team ", "plan."};
    Server upstream = Server.builder().http(new java.net.InetSocketAddress("127.0.0.1", 0))
        .service("/v1/chat/completions", (ctx, req) -> {
          HttpResponseWriter w = HttpResponse.streaming();
          w.write(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM));
          w.write(HttpData.ofUtf8(chunk("{\"role\":\"assistant\",\"content\":\"\"}")));
          for (int i = 0; i <= words.length; i++) {
            int n = i;
            ctx.eventLoop().schedule(() -> {
              if (n < words.length) {
                w.tryWrite(HttpData.ofUtf8(chunk("{\"content\":\"" + words[n] + "\"}")));
              } else {
                w.tryWrite(HttpData.ofUtf8("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,"
                    + "\"completion_tokens\":6,\"total_tokens\":46}}\n\ndata: [DONE]\n\n"));
                w.close();
              }
            }, FIRST_TOKEN_MS + 15L * i, TimeUnit.MILLISECONDS);
          }
          return w;
        })
        .build();
    upstream.start().join();
    return upstream;
  }

  private static String chunk(String delta) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";
  }
}
