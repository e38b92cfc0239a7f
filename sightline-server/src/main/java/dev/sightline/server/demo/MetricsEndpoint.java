package dev.sightline.server.demo;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Supplier;

/** A loopback HTTP server on a free port that answers {@code GET /metrics} with a freshly rendered page. */
final class MetricsEndpoint implements AutoCloseable {
  /** What Prometheus exporters send for the 0.0.4 text format. */
  static final MediaType TEXT_0_0_4 = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

  private final Server server;

  MetricsEndpoint(Supplier<String> page) {
    server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .service("/metrics", (ctx, req) -> req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD
            ? HttpResponse.of(HttpStatus.OK, TEXT_0_0_4, page.get())
            : HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED))
        .build();
    server.start().join();
  }

  URI metricsUri() {
    return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/metrics");
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
