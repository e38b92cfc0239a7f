package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.server.config.IngestLimits;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory short of free space refuses ingest with a clear, retryable error instead of
 * filling the disk: the real server, with --min-free-disk above what the disk has.
 */
class DiskFullTest {
  @TempDir Path dir;

  @Test
  void ingestIsRefusedWith503RetryAfterAndTheFixWhileReadsGoOn() throws Exception {
    long huge = Long.MAX_VALUE / 4; // more than any disk has free
    try (SightlineServer server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withIngest(new IngestLimits(0, huge, IngestLimits.DEFAULT_STORE_MEMORY)))) {
      String span = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"chat\",\"startTimeUnixNano\":\"1700000000000000000\","
          + "\"endTimeUnixNano\":\"1700000001000000000\"}]}]}]}";
      HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(span)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).isPresent();
      assertThat(r.body()).contains("--min-free-disk").contains(dir.resolve("data").getFileName().toString());
      assertThat(server.store().spanCount()).isZero();
      // reading is not refused: the API still answers
      assertThat(TestServers.get(server, "/api/v1/traces").path("_status").asInt()).isEqualTo(200);
    }
  }
}
