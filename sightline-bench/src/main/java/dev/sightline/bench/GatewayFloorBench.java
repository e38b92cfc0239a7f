package dev.sightline.bench;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.Gateway;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.pipeline.IngestCounters;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The floor under the gateway's added latency at one stream: in one JVM, the same scripted
 * upstream ({@link NettyLoad}) reached directly, through the gateway's routes (recording off, and
 * metadata recorded into a pipeline that discards it), and through the smallest possible Armeria
 * proxy (a service that hands the request to a {@code WebClient} and returns its response). If
 * the minimal proxy adds as much as the gateway, the cost is Armeria's request path on this
 * machine, not the gateway's own work.
 */
public final class GatewayFloorBench {
  private GatewayFloorBench() {}

  public static void main(String[] args) throws Exception {
    int calls = IngestBench.intArg(args, "--calls", 60);
    int rounds = IngestBench.intArg(args, "--rounds", 5);
    Report report = new Report("gateway-floor");
    report.line("one stream, closed loop, " + calls + " calls per target per round; upstream: first token after 50 ms,"
        + " 5 tokens 5 ms apart; everything in this JVM, the servers on 2 event loops");
    try (NettyLoad load = new NettyLoad(1)) {
      int up = load.upstream(50, 5, 5).port();
      // one worker group for both servers, shut down after them (the gateways' upstream
      // connections live on these event loops and close as the servers stop)
      io.netty.channel.EventLoopGroup workers = EventLoopGroups.newEventLoopGroup(2);
      ServerBuilder sb = Server.builder().http(0).workerGroup(workers, false);
      // a pipeline that accepts and discards: only the gateway's own work is measured
      new Gateway(b -> CompletableFuture.completedFuture(null), new IngestCounters(), config(up, CaptureMode.OFF))
          .bind(sb);
      ServerBuilder sb2 = Server.builder().http(0).workerGroup(workers, false);
      new Gateway(b -> CompletableFuture.completedFuture(null), new IngestCounters(), config(up, CaptureMode.METADATA))
          .bind(sb2);
      WebClient upstream = WebClient.builder("h1c://127.0.0.1:" + up).maxResponseLength(0)
          .responseTimeout(Duration.ofSeconds(60)).build();
      sb.service("/plain/v1/chat/completions", (ctx, req) -> upstream.execute(req.withHeaders(
          req.headers().toBuilder().path(NettyLoad.PATH).removeAndThen(HttpHeaderNames.HOST).build())));
      Server s = sb.build();
      Server s2 = sb2.build();
      s.start().join();
      s2.start().join();
      try {
        byte[] body = GatewayBench.BODY.getBytes(StandardCharsets.UTF_8);
        NettyLoad.Client direct = load.client(up);
        NettyLoad.Client viaServer = load.client(s.activeLocalPort());
        NettyLoad.Client viaRecording = load.client(s2.activeLocalPort());
        report.line(String.format(Locale.ROOT, "%-6s | %-11s | %-24s | %-24s | %-24s", "round", "direct p50",
            "gateway, recording off", "gateway, metadata", "minimal Armeria proxy"));
        for (int r = 0; r < rounds; r++) {
          double d = median(direct, NettyLoad.PATH, body, calls);
          double off = median(viaServer, "/gateway/openai" + NettyLoad.PATH, body, calls);
          double meta = median(viaRecording, "/gateway/openai" + NettyLoad.PATH, body, calls);
          double plain = median(viaServer, "/plain" + NettyLoad.PATH, body, calls);
          report.line(String.format(Locale.ROOT, "%-6d | %8.2f ms | added p50 %+9.2f ms | added p50 %+9.2f ms | added p50 %+9.2f ms",
              r, d, off - d, meta - d, plain - d));
        }
        report.line("TTFT = request written to first body byte, client side; added = median minus the direct median");
        report.save();
      } finally {
        s.stop().join();
        s2.stop().join();
        Thread.sleep(500);
        workers.shutdownGracefully().await(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  private static GatewayConfig config(int upstreamPort, CaptureMode mode) {
    return new GatewayConfig(URI.create("http://127.0.0.1:" + upstreamPort), Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(60), mode);
  }

  private static double median(NettyLoad.Client c, String path, byte[] body, int calls) throws Exception {
    double[] ttft = new double[calls];
    for (int i = 0; i < calls; i++) {
      NettyLoad.Sample s = c.call(path, body).get();
      if (s.error() != null || s.status() != 200 || s.firstByteNanos() < 0) {
        throw new IllegalStateException("call through " + path + " failed: status " + s.status(), s.error());
      }
      ttft[i] = (s.firstByteNanos() - s.t0()) / 1e6;
    }
    Arrays.sort(ttft);
    return Report.percentile(ttft, 50);
  }
}
