package dev.sightline.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The gateway's added latency, side by side with a direct connection and with nginx
 * {@code proxy_pass} on the same streaming workload: a local upstream streams an OpenAI-style SSE
 * chat completion on a script (first token after {@code --first-ms}, then one every
 * {@code --gap-ms}), and closed-loop clients run 1, 64 and 512 concurrent streams against each
 * target in turn, each on connections it has already opened. Client-side TTFT (request sent to first body byte) and E2E (to the end of the
 * stream) are compared with the direct connection's; the gateway is the real Sightline server in
 * its own JVM, recording every call into its store, and its RSS is read from /proc.
 */
public final class GatewayBench {
  static final String BODY = "{\"model\":\"bench-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Write one sentence about latency.\"}]}";

  record Target(String name, WebClient client, String path) {}

  record Result(double[] ttftMs, double[] e2eMs, double[] overheadMs, long errors) {}

  public static void main(String[] args) throws Exception {
    int firstMs = IngestBench.intArg(args, "--first-ms", 200);
    int gapMs = IngestBench.intArg(args, "--gap-ms", 20);
    int tokens = IngestBench.intArg(args, "--tokens", 20);
    int rounds = IngestBench.intArg(args, "--rounds", 4);
    int singleCalls = IngestBench.intArg(args, "--single-calls", 40);
    int[] levels = levels(args);
    Report report = new Report("gateway");
    report.line("workload: streamed chat completion, first token after " + firstMs + " ms, then " + (tokens - 1)
        + " more every " + gapMs + " ms, plus a usage chunk and [DONE]; closed loop, " + singleCalls
        + " calls at 1 stream, " + rounds + " calls per stream at 64 and 512, the streams' first calls spread over"
        + " one call's length; targets in turn per level");
    Path tmp = Files.createTempDirectory("sightline-bench-gateway");
    long callMs = firstMs + (long) gapMs * (tokens - 1);

    Server upstream = upstream(firstMs, gapMs, tokens);
    int up = upstream.activeLocalPort();
    ClientFactory factory = ClientFactory.builder().idleTimeout(Duration.ofSeconds(60))
        .connectTimeout(Duration.ofSeconds(10)).build();
    Process nginx = null;
    try (ServerProcess gateway = new ServerProcess(tmp.resolve("server-data"), tmp.resolve("server.log"),
        List.of("--gateway-openai-upstream", "http://127.0.0.1:" + up), IngestBench.serverJvmArgs("-Xmx2g"))) {
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("direct", client(factory, up), "/v1/chat/completions"));
      Path nginxBin = Path.of("/usr/sbin/nginx");
      if (Files.isExecutable(nginxBin)) {
        int port = ServerProcess.freePort();
        nginx = startNginx(nginxBin, tmp.resolve("nginx"), port, up);
        targets.add(new Target("nginx", client(factory, port), "/v1/chat/completions"));
      } else {
        report.line("nginx: not installed (apt-get install -y nginx); its column is left out");
      }
      targets.add(new Target("gateway", client(factory, gateway.httpPort), "/gateway/openai/v1/chat/completions"));

      // warm-up: JIT, connection pools, the server's store
      for (Target t : targets) {
        run(t, 64, 64 * 3, callMs);
      }
      report.line("");
      report.line(String.format(Locale.ROOT, "%-8s %7s | %9s %9s | %9s %9s | %11s %11s | %11s %11s | %s",
          "target", "streams", "TTFT p50", "p99", "E2E p50", "p99", "+TTFT p50", "+TTFT p99", "+E2E p50", "+E2E p99",
          "errors"));
      List<String> summary = new ArrayList<>();
      for (int level : levels) {
        int calls = level == 1 ? singleCalls : level * rounds;
        Result direct = null;
        for (Target t : targets) {
          // one unmeasured call per stream first, so that connections are open and pooled
          run(t, level, level, callMs);
          Result r = run(t, level, calls, callMs);
          double[] tt = Report.sorted(r.ttftMs());
          double[] ee = Report.sorted(r.e2eMs());
          if (direct == null) {
            direct = r;
          }
          double[] dt = Report.sorted(direct.ttftMs());
          double[] de = Report.sorted(direct.e2eMs());
          report.line(String.format(Locale.ROOT,
              "%-8s %7d | %7.2f ms %6.2f ms | %6.1f ms %6.1f ms | %+8.3f ms %+8.3f ms | %+8.3f ms %+8.3f ms | %d",
              t.name(), level, p(tt, 50), p(tt, 99), p(ee, 50), p(ee, 99), p(tt, 50) - p(dt, 50),
              p(tt, 99) - p(dt, 99), p(ee, 50) - p(de, 50), p(ee, 99) - p(de, 99), r.errors()));
          if (t.name().equals("gateway") && r.overheadMs().length > 0) {
            double[] o = Report.sorted(r.overheadMs());
            summary.add(String.format(Locale.ROOT, "gateway at %d streams: x-sightline-overhead-ms p50 %.3f, p99 %.3f",
                level, p(o, 50), p(o, 99)));
          }
        }
      }
      report.line("");
      summary.forEach(report::line);
      report.line("gateway server RSS now " + Report.mib(gateway.rssBytes()) + ", peak " + Report.mib(gateway.peakRssBytes())
          + " (-Xmx2g, with its DuckDB store recording every call)");
      report.line("added = target's percentile minus the direct connection's at the same level (differences of"
          + " percentiles, not percentiles of differences); all on one machine, clients and upstream in this JVM");
      report.save();
    } finally {
      if (nginx != null) {
        nginx.destroy();
        nginx.waitFor(10, TimeUnit.SECONDS);
      }
      factory.close();
      upstream.stop().join();
    }
  }

  private static int[] levels(String[] args) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--levels")) {
        return java.util.Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
      }
    }
    return new int[] {1, 64, 512};
  }

  private static double p(double[] sorted, double q) {
    return Report.percentile(sorted, q);
  }

  private static WebClient client(ClientFactory factory, int port) {
    return WebClient.builder("h1c://127.0.0.1:" + port).factory(factory).responseTimeout(Duration.ofSeconds(60))
        .maxResponseLength(0).build();
  }

  /** {@code concurrency} closed-loop streams that make {@code calls} calls in all. */
  static Result run(Target t, int concurrency, int calls) {
    return run(t, concurrency, calls, 0);
  }

  /** As above, the streams' first calls spread over {@code callMs}. */
  static Result run(Target t, int concurrency, int calls, long callMs) {
    ConcurrentLinkedQueue<double[]> samples = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Double> overheads = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong left = new AtomicLong(calls);
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    // Streams start spread over one call's length, as in steady traffic, not all in the same
    // millisecond (a synchronized herd measures queueing of the burst, on every target alike).
    long spreadNanos = TimeUnit.MILLISECONDS.toNanos(callMs);
    for (int i = 0; i < concurrency; i++) {
      long delay = concurrency == 1 ? 0 : spreadNanos * i / concurrency;
      workers.add(CompletableFuture.runAsync(() -> { },
          CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS))
          .thenCompose(v -> worker(t, left, samples, overheads, errors)));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    double[] ttft = new double[samples.size()];
    double[] e2e = new double[samples.size()];
    int i = 0;
    for (double[] s : samples) {
      ttft[i] = s[0];
      e2e[i++] = s[1];
    }
    return new Result(ttft, e2e, overheads.stream().mapToDouble(Double::doubleValue).toArray(), errors.get());
  }

  private static CompletableFuture<Void> worker(Target t, AtomicLong left, ConcurrentLinkedQueue<double[]> samples,
      ConcurrentLinkedQueue<Double> overheads, AtomicLong errors) {
    if (left.getAndDecrement() <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return call(t, samples, overheads, errors).thenCompose(v -> worker(t, left, samples, overheads, errors));
  }

  private static CompletableFuture<Void> call(Target t, ConcurrentLinkedQueue<double[]> samples,
      ConcurrentLinkedQueue<Double> overheads, AtomicLong errors) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long t0 = System.nanoTime();
    HttpResponse res = t.client().execute(RequestHeaders.builder(HttpMethod.POST, t.path())
        .contentType(MediaType.JSON).build(), HttpData.ofUtf8(BODY));
    res.subscribe(new Subscriber<>() {
      long first = -1;
      int status;

      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(HttpObject o) {
        if (o instanceof ResponseHeaders h) {
          status = h.status().code();
          String oh = h.get("x-sightline-overhead-ms");
          if (oh != null) {
            overheads.add(Double.parseDouble(oh));
          }
        } else if (o instanceof HttpData d && !d.isEmpty() && first < 0) {
          first = System.nanoTime();
        }
      }

      @Override
      public void onError(Throwable e) {
        errors.incrementAndGet();
        done.complete(null);
      }

      @Override
      public void onComplete() {
        long end = System.nanoTime();
        if (status == 200 && first > 0) {
          samples.add(new double[] {(first - t0) / 1e6, (end - t0) / 1e6});
        } else {
          errors.incrementAndGet();
        }
        done.complete(null);
      }
    });
    return done;
  }

  /** A streaming LLM on a script: headers at once, the first token after {@code firstMs}, then one every {@code gapMs}. */
  static Server upstream(int firstMs, int gapMs, int tokens) {
    Server s = Server.builder().http(0).requestTimeout(Duration.ZERO).idleTimeout(Duration.ZERO)
        .maxNumConnections(Integer.MAX_VALUE)
        .service("/v1/chat/completions", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a ->
            script(ctx, firstMs, gapMs, tokens))))
        .build();
    s.start().join();
    return s;
  }

  private static HttpResponse script(ServiceRequestContext ctx, int firstMs, int gapMs, int tokens) {
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.EVENT_STREAM).build());
    for (int i = 0; i <= tokens; i++) {
      int n = i;
      String chunk = n < tokens
          ? "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench-model-1\","
              + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + n + " \"},\"finish_reason\":null}],"
              + "\"usage\":null}\n\n"
          : "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench-model-1\","
              + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + tokens
              + ",\"total_tokens\":" + (12 + tokens) + "}}\n\ndata: [DONE]\n\n";
      ctx.eventLoop().schedule(() -> {
        w.tryWrite(HttpData.ofUtf8(chunk));
        if (n == tokens) {
          w.close();
        }
      }, firstMs + (long) gapMs * Math.max(0, n == tokens ? tokens - 1 : n), TimeUnit.MILLISECONDS);
    }
    return w;
  }

  /** nginx as a plain streaming reverse proxy (no buffering, keep-alive to the upstream) on loopback. */
  static Process startNginx(Path bin, Path prefix, int port, int upstreamPort) throws Exception {
    Files.createDirectories(prefix.resolve("logs"));
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "worker_processes auto;",
        "worker_rlimit_nofile 16384;",
        "daemon off;",
        "pid " + prefix.resolve("nginx.pid") + ";",
        "error_log " + prefix.resolve("logs/error.log") + " warn;",
        "events { worker_connections 8192; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + prefix.resolve("client_body") + ";",
        "  proxy_temp_path " + prefix.resolve("proxy") + ";",
        "  upstream llm { server 127.0.0.1:" + upstreamPort + "; keepalive 1024; }",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    location / {",
        "      proxy_pass http://llm;",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Connection \"\";",
        "      proxy_buffering off;",
        "      proxy_request_buffering off;",
        "      proxy_read_timeout 600s;",
        "    }",
        "  }",
        "}", ""));
    Process p = new ProcessBuilder(bin.toString(), "-p", prefix.toString(), "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nginx did not start");
  }
}
