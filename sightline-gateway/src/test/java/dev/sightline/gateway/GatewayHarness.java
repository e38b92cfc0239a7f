package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.pipeline.IngestCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A Sightline-like server with only the gateway bound, in front of a {@link FakeOpenAi}. */
final class GatewayHarness implements AutoCloseable {
  final RecordingIngest ingest = new RecordingIngest();
  final IngestCounters counters = new IngestCounters();
  final Server server;
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  GatewayHarness(GatewayConfig config) {
    this(config, null);
  }

  /** A gateway that signs Bedrock requests with {@code aws} (null: the standard provider chain). */
  GatewayHarness(GatewayConfig config, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider aws) {
    this(config, aws, CallAdmission.ADMIT_ALL);
  }

  /** A gateway that asks {@code admission} before relaying each recorded call. */
  GatewayHarness(GatewayConfig config, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider aws,
      CallAdmission admission) {
    this(config, aws, admission, GatewayAccess.OPEN);
  }

  /** A gateway that asks {@code access} before relaying anything. */
  GatewayHarness(GatewayConfig config, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider aws,
      CallAdmission admission, GatewayAccess access) {
    ServerBuilder sb = Server.builder().http(0);
    gateway = new Gateway(ingest, counters, config, aws, admission, access);
    gateway.bind(sb);
    ingest.settle = () -> assertThat(gateway.awaitRecorded(Duration.ofSeconds(10)))
        .as("the gateway recorded every finished call within 10 s").isTrue();
    server = sb.build();
    server.start().join();
  }

  /** The OpenAI route and a {@code vllm} route, both to {@code upstream}. */

  static GatewayConfig configFor(FakeOpenAi upstream, CaptureMode capture) {
    return new GatewayConfig(URI.create(upstream.base()), Map.of("vllm", URI.create(upstream.base())),
        Duration.ofSeconds(2), Duration.ofSeconds(30), capture);
  }

  String base() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  /** Base URL an OpenAI SDK is given. */
  String openaiBase() {
    return base() + "/gateway/openai/v1";
  }

  HttpResponse<byte[]> post(String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
