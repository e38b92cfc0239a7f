package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP metrics from the real OpenTelemetry SDK (the OTel GenAI client and server metrics, as an
 * instrumented app or engine sends them) land in the metric store and come back through
 * /api/v1/metrics the same way scraped metrics do: percentiles from the histogram buckets, rates
 * for counters, cumulative and delta temporality alike.
 */
class OtlpMetricsTest {
  @TempDir static Path dir;
  static SightlineServer server;
  static Instant started;

  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  /** The bucket bounds the GenAI semantic conventions advise for gen_ai.client.operation.duration (s). */
  private static final List<Double> DURATION_BOUNDS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  /** ... and for gen_ai.client.token.usage ({token}). */
  private static final List<Long> TOKEN_BOUNDS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  /** ... and for gen_ai.server.time_to_first_token (s). */
  private static final List<Double> TTFT_BOUNDS = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
      0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  @BeforeAll
  static void start() {
    started = Instant.now();
    server = TestServers.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String seriesUrl(String name, String rest) {
    return "/api/v1/metrics/series?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        + "&since=" + started.minusSeconds(60) + "&until=" + Instant.now().plusSeconds(60) + "&step=1d" + rest;
  }

  /** The values of every point of every series of the answer, in order. */
  private static List<Double> values(JsonNode answer) {
    List<Double> out = new ArrayList<>();
    for (JsonNode s : answer.path("series")) {
      for (JsonNode p : s.path("points")) {
        out.add(p.path("value").asDouble());
      }
    }
    return out;
  }

  /**
   * An app's client metrics over OTLP/HTTP, cumulative (the SDK's default), flushed twice: gpt-4o
   * calls took 0.05 s four times and 0.3 s six times. In the advised buckets 4 fall in (0.04, 0.08]
   * and 6 in (0.16, 0.32]; the median's rank 5 is the first of the 6, so p50 = 0.16 + 0.16 × 1/6
   * = 0.186667 s (linear within the bucket); the mean is (4 × 0.05 + 6 × 0.3) / 10 = 0.2 s.
   */
  @Test
  void genAiClientHistogramsGivePercentilesAndMeans() {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "chat-app")))
        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/metrics").build())
            .setInterval(Duration.ofHours(1)).build())
        .build();
    try {
      Meter meter = provider.get("test");
      DoubleHistogram duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
          .setExplicitBucketBoundariesAdvice(DURATION_BOUNDS).build();
      LongHistogram tokens = meter.histogramBuilder("gen_ai.client.token.usage").setUnit("{token}").ofLongs()
          .setExplicitBucketBoundariesAdvice(TOKEN_BOUNDS).build();
      Attributes gpt4o = Attributes.of(MODEL, "gpt-4o", OPERATION, "chat");
      for (int i = 0; i < 4; i++) {
        duration.record(0.05, gpt4o);
      }
      tokens.record(100, Attributes.of(MODEL, "gpt-4o", TOKEN_TYPE, "input"));
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      for (int i = 0; i < 6; i++) {
        duration.record(0.3, gpt4o);
      }
      duration.record(2.0, Attributes.of(MODEL, "gpt-4o-mini", OPERATION, "chat"));
      tokens.record(300, Attributes.of(MODEL, "gpt-4o", TOKEN_TYPE, "output"));
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    JsonNode p50 = TestServers.get(server, seriesUrl("gen_ai.client.operation.duration",
        "&agg=p50&groupBy=gen_ai.request.model&where=gen_ai.operation.name:chat"));
    assertThat(p50.path("_status").asInt()).as(p50.toString()).isEqualTo(200);
    JsonNode byModel = null;
    for (JsonNode s : p50.path("series")) {
      if (s.path("group").path("gen_ai.request.model").asText().equals("gpt-4o")) {
        byModel = s;
      }
    }
    assertThat(byModel).as(p50.toString()).isNotNull();
    assertThat(byModel.path("kind").asText()).isEqualTo("histogram");
    assertThat(byModel.path("unit").asText()).isEqualTo("s");
    assertThat(byModel.path("points")).hasSize(1);
    assertThat(byModel.path("points").get(0).path("value").asDouble()).isCloseTo(0.16 + 0.16 / 6, within(1e-9));
    assertThat(p50.path("series")).hasSize(2);

    JsonNode mean = TestServers.get(server, seriesUrl("gen_ai.client.operation.duration",
        "&agg=mean&where=gen_ai.request.model:gpt-4o"));
    assertThat(values(mean)).as(mean.toString()).singleElement().satisfies(v -> assertThat(v).isCloseTo(0.2, within(1e-9)));

    JsonNode tokensByType = TestServers.get(server, seriesUrl("gen_ai.client.token.usage",
        "&agg=mean&groupBy=gen_ai.token.type"));
    assertThat(tokensByType.path("series")).as(tokensByType.toString()).hasSize(2);
    for (JsonNode s : tokensByType.path("series")) {
      double expected = s.path("group").path("gen_ai.token.type").asText().equals("input") ? 100 : 300;
      assertThat(s.path("points").get(0).path("value").asDouble()).isEqualTo(expected);
    }

    JsonNode names = TestServers.get(server, "/api/v1/metrics/names?prefix=gen_ai.");
    assertThat(names.path("names").findValuesAsText("name"))
        .containsExactly("gen_ai.client.operation.duration", "gen_ai.client.token.usage");
    JsonNode first = names.path("names").get(0);
    assertThat(first.path("kind").asText()).isEqualTo("histogram");
    assertThat(first.path("services").get(0).asText()).isEqualTo("chat-app");
    assertThat(first.path("labelKeys").toString()).contains("gen_ai.request.model", "gen_ai.operation.name");
  }

  /**
   * An engine's server metrics over OTLP/gRPC with delta temporality (what many collectors and
   * non-Java SDKs send): each export holds only its own observations, and the store adds them up.
   * TTFT 0.03 s three times (bucket (0.02, 0.04]) then 0.3 s once ((0.25, 0.5]): p50 rank 2 of 4
   * is in the first bucket, 0.02 + 0.02 × 2/3; the counter's two deltas 5 and 7 increase by 12.
   */
  @Test
  void deltaTemporalityPointsAddUp() {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "vllm-otel")))
        .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build())
            .setInterval(Duration.ofHours(1)).build())
        .build();
    try {
      Meter meter = provider.get("test");
      DoubleHistogram ttft = meter.histogramBuilder("gen_ai.server.time_to_first_token").setUnit("s")
          .setExplicitBucketBoundariesAdvice(TTFT_BOUNDS).build();
      LongCounter requests = meter.counterBuilder("engine.requests").build();
      Attributes llama = Attributes.of(MODEL, "llama-3.1-8b");
      for (int i = 0; i < 3; i++) {
        ttft.record(0.03, llama);
      }
      requests.add(5, llama);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      ttft.record(0.3, llama);
      requests.add(7, llama);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    JsonNode p50 = TestServers.get(server, seriesUrl("gen_ai.server.time_to_first_token", "&agg=p50"));
    assertThat(values(p50)).as(p50.toString()).singleElement()
        .satisfies(v -> assertThat(v).isCloseTo(0.02 + 0.02 * 2 / 3, within(1e-9)));
    JsonNode increase = TestServers.get(server, seriesUrl("engine.requests", "&agg=increase&service=vllm-otel"));
    assertThat(values(increase)).as(increase.toString()).containsExactly(12.0);
    assertThat(increase.path("series").get(0).path("kind").asText()).isEqualTo("counter");
  }

  @Test
  void badMetricQueriesAreClear400s() {
    JsonNode noName = TestServers.get(server, "/api/v1/metrics/series");
    assertThat(noName.path("_status").asInt()).isEqualTo(400);
    assertThat(noName.path("error").path("message").asText()).contains("'name' is required");
    JsonNode badStep = TestServers.get(server, "/api/v1/metrics/series?name=x&step=7q");
    assertThat(badStep.path("_status").asInt()).isEqualTo(400);
    assertThat(badStep.path("error").path("message").asText()).contains("'step'");
    JsonNode badWhere = TestServers.get(server, "/api/v1/metrics/series?name=x&where=nolabel");
    assertThat(badWhere.path("_status").asInt()).isEqualTo(400);
    JsonNode badLimit = TestServers.get(server, "/api/v1/metrics/names?limit=0");
    assertThat(badLimit.path("_status").asInt()).isEqualTo(400);
    JsonNode unknown = TestServers.get(server, "/api/v1/metrics/series?name=x&bogus=1");
    assertThat(unknown.path("_status").asInt()).isEqualTo(400);
    assertThat(unknown.path("error").path("code").asText()).isEqualTo("unknown_parameter");
  }
}
