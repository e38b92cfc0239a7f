package dev.sightline.receivers.rum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.PipelineSaturatedException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /rum/v1/events} over real HTTP: CORS, keys, limits, bots, sampling and hand-over to the pipeline. */
class RumEndpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final String SITE = "http://127.0.0.1:8080";
  static final String UA = RumDecoderTest.DESKTOP;

  /** Records the batches it commits, or refuses them as a full queue. */
  static final class RecordingIngest implements Ingest {
    final List<TelemetryBatch> batches = new CopyOnWriteArrayList<>();
    volatile boolean saturated;

    @Override
    public CompletableFuture<Void> submit(TelemetryBatch batch) {
      if (saturated) {
        return CompletableFuture.failedFuture(new PipelineSaturatedException("queue full", 4));
      }
      batches.add(batch);
      return CompletableFuture.runAsync(() -> { });
    }

    List<Span> spans() {
      return batches.stream().flatMap(b -> b.spans().stream()).toList();
    }
  }

  static final RecordingIngest ingest = new RecordingIngest();
  static final IngestCounters counters = new IngestCounters();
  static final RumReceiver receiver = new RumReceiver(ingest, counters, new RumConfig(List.of(
      new RumApp("web", "pk_web", List.of(SITE), 1.0),
      new RumApp("none", "pk_none", List.of("*"), 0.0),
      new RumApp("shop-web", "pk_shop", List.of(SITE), 1.0, "shop")), 8 * 1024));

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      receiver.bind(sb);
    }
  };

  @RegisterExtension
  static final ServerExtension off = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      new RumReceiver(ingest, counters, RumConfig.off()).bind(sb);
    }
  };

  @BeforeEach
  void reset() {
    ingest.batches.clear();
    ingest.saturated = false;
  }

  static HttpResponse<String> send(ServerExtension s, String method, String query, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.httpUri() + RumReceiver.PATH + query))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String query, String body, String... headers) throws Exception {
    return send(server, "POST", query, body, headers);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static String body() {
    return RumDecoderTest.body(System.currentTimeMillis());
  }

  @Test
  void anAppsEventsAreDataOfItsProject() throws Exception {
    HttpResponse<String> r = post("?key=pk_shop", body(), "Origin", SITE, "User-Agent", UA);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(ingest.batches).singleElement().satisfies(b -> assertThat(b.project()).isEqualTo("shop"));
  }

  @Test
  void acceptedEventsAreCommittedAndTheAnswerCarriesCors() throws Exception {
    long bytesBefore = counters.bytes().getOrDefault("rum", new java.util.concurrent.atomic.LongAdder()).sum();
    String sent = body();
    HttpResponse<String> r = post("?key=pk_web", sent, "Origin", SITE, "User-Agent", UA,
        "Content-Type", "text/plain;charset=UTF-8");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(4);
    assertThat(json(r).get("rejected")).isEmpty();
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(SITE);
    assertThat(r.headers().firstValue("vary")).hasValue("Origin");
    assertThat(ingest.batches).hasSize(1);
    assertThat(ingest.batches.get(0).receiver()).isEqualTo("rum");
    assertThat(ingest.batches.get(0).project()).isEqualTo("default");
    assertThat(ingest.spans()).extracting(Span::name)
        .containsExactlyInAnyOrder("page load /chat", "POST /api/chat", "web vitals /chat", "error: TypeError: x is undefined");
    assertThat(ingest.spans().get(0).resourceAttributes()).containsEntry("user_agent.original", UA);
    assertThat(counters.bytes().get("rum").sum() - bytesBefore).isEqualTo(sent.length());
    assertThat(counters.get("rum", "spans", IngestCounters.Outcome.RECEIVED)).isGreaterThanOrEqualTo(4);
    assertThat(receiver.eventCounts()).anySatisfy(c -> {
      assertThat(c.app() + " " + c.outcome()).isEqualTo("web accepted");
      assertThat(c.events()).isGreaterThanOrEqualTo(4);
    });
  }

  @Test
  void keyInTheBodyAndNoOriginFromServerSideSenders() throws Exception {
    HttpResponse<String> r = post("", body(), "User-Agent", UA, "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(ingest.spans()).hasSize(4);
  }

  @Test
  void badEventsAreListedAndGoodOnesKept() throws Exception {
    String b = body().replace("\"type\":\"vitals\"", "\"type\":\"scroll\"");
    HttpResponse<String> r = post("?key=pk_web", b, "User-Agent", UA);
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode j = json(r);
    assertThat(j.get("accepted").asInt()).isEqualTo(3);
    assertThat(j.get("rejected").get(0).get("index").asInt()).isEqualTo(2);
    assertThat(j.get("rejected").get(0).get("reason").asText()).contains("scroll");
    assertThat(ingest.spans()).hasSize(3);
  }

  @Test
  void preflightForAnAllowedOriginAndRefusalForAnother() throws Exception {
    HttpResponse<String> ok = send(server, "OPTIONS", "?key=pk_web", null, "Origin", SITE,
        "Access-Control-Request-Method", "POST");
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue(SITE);
    assertThat(ok.headers().firstValue("access-control-allow-methods")).hasValue("POST, OPTIONS");
    assertThat(ok.headers().firstValue("access-control-allow-headers")).hasValue("content-type");
    assertThat(ok.headers().firstValue("access-control-max-age")).hasValue("600");
    HttpResponse<String> no = send(server, "OPTIONS", "?key=pk_web", null, "Origin", "https://evil.test");
    assertThat(no.statusCode()).isEqualTo(403);
    assertThat(json(no).at("/error/code").asText()).isEqualTo("origin_not_allowed");
    assertThat(json(no).at("/error/message").asText()).contains("https://evil.test").contains("web")
        .contains("--rum-app web=pk_web,origin=https://evil.test");
    assertThat(no.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void aPostFromAForeignOriginIsRefusedAndNothingStored() throws Exception {
    for (String query : List.of("?key=pk_web", "")) {
      HttpResponse<String> r = post(query, body(), "Origin", "https://evil.test", "User-Agent", UA);
      assertThat(r.statusCode()).as(query).isEqualTo(403);
      assertThat(json(r).at("/error/code").asText()).isEqualTo("origin_not_allowed");
    }
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void keysMissingOrUnknown() throws Exception {
    HttpResponse<String> unknown = post("?key=pk_nope", body(), "User-Agent", UA);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(unknown).at("/error/code").asText()).isEqualTo("unknown_key");
    assertThat(json(unknown).at("/error/message").asText()).contains("pk_nope").contains("--rum-app");
    HttpResponse<String> missing = post("", body().replace("\"key\":\"pk_web\",", ""), "User-Agent", UA);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(json(missing).at("/error/code").asText()).isEqualTo("missing_key");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void bodiesOverTheLimitAre413WithTheLimitInTheMessage() throws Exception {
    String big = "{\"events\":[],\"pad\":\"" + "x".repeat(9000) + "\"}";
    HttpResponse<String> declared = post("?key=pk_web", big, "Origin", SITE, "User-Agent", UA);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(json(declared).at("/error/code").asText()).isEqualTo("too_large");
    assertThat(json(declared).at("/error/message").asText()).contains("8192 bytes").contains("--rum-max-body");
    // no Content-Length (chunked): the aggregated body is capped too
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.httpUri() + RumReceiver.PATH + "?key=pk_web"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
        .header("User-Agent", UA).build();
    HttpResponse<String> streamed = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(streamed.statusCode()).isEqualTo(413);
    assertThat(json(streamed).at("/error/message").asText()).contains("8192 bytes");
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void malformedBodiesAre400() throws Exception {
    HttpResponse<String> r = post("?key=pk_web", "{\"events\": [", "User-Agent", UA);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("malformed");
    assertThat(json(r).at("/error/message").asText()).contains("JSON");
    HttpResponse<String> many = post("?key=pk_web", "{\"events\":[" + "{},".repeat(200) + "{}]}", "User-Agent", UA);
    assertThat(many.statusCode()).isEqualTo(413);
    assertThat(json(many).at("/error/message").asText()).contains("201 events");
  }

  @Test
  void botsAndSampledSessionsAreDroppedQuietly() throws Exception {
    HttpResponse<String> bot = post("?key=pk_web", body(), "User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1)");
    assertThat(bot.statusCode()).isEqualTo(202);
    assertThat(json(bot).get("dropped").asText()).isEqualTo("bot");
    HttpResponse<String> sampled = post("?key=pk_none", body(), "User-Agent", UA, "Origin", "https://any.test");
    assertThat(sampled.statusCode()).isEqualTo(202);
    assertThat(json(sampled).get("dropped").asText()).isEqualTo("sampled");
    assertThat(sampled.headers().firstValue("access-control-allow-origin")).hasValue("https://any.test");
    assertThat(ingest.batches).isEmpty();
    assertThat(receiver.eventCounts()).anySatisfy(c -> {
      assertThat(c.app()).isEqualTo("web");
      assertThat(c.outcome()).isEqualTo("bot");
      assertThat(c.events()).isGreaterThanOrEqualTo(4);
    });
    assertThat(receiver.eventCounts()).anySatisfy(c -> {
      assertThat(c.app()).isEqualTo("none");
      assertThat(c.outcome()).isEqualTo("sampled");
    });
  }

  @Test
  void aFullQueueIs503WithRetryAfter() throws Exception {
    ingest.saturated = true;
    HttpResponse<String> r = post("?key=pk_web", body(), "User-Agent", UA, "Origin", SITE);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("4");
    assertThat(json(r).at("/error/code").asText()).isEqualTo("saturated");
  }

  @Test
  void offWithoutApps() throws Exception {
    HttpResponse<String> r = send(off, "POST", "?key=pk_web", body(), "User-Agent", UA);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("rum_off");
    assertThat(json(r).at("/error/message").asText()).contains("--rum-app NAME=KEY");
    assertThat(send(off, "OPTIONS", "?key=pk_web", null, "Origin", SITE).statusCode()).isEqualTo(404);
  }
}
