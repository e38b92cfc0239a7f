package dev.sightline.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.server.config.SightlineConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Starting Sightline on free ports in a temp dir, and reading its API, for tests. */
final class TestServers {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestServers() {}

  static SightlineServer start(Path dataDir) {
    return SightlineServer.start(SightlineConfig.local(dataDir, 0, 0, 0));
  }

  static JsonNode get(SightlineServer s, String pathAndQuery) {
    return get(s.httpPort(), pathAndQuery);
  }

  static JsonNode get(int port, String pathAndQuery) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", r.statusCode());
      return body;
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** Polls the API until the condition holds (spans are exported asynchronously by SDKs). */
  static JsonNode await(SightlineServer s, String pathAndQuery, Predicate<JsonNode> until) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(s, pathAndQuery);
      if (until.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("condition not met for " + pathAndQuery + "; last answer: " + last);
  }
}
