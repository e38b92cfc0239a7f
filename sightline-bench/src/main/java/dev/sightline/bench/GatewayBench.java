package dev.sightline.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's added latency, side by side with a direct connection and with nginx
 * {@code proxy_pass} on the same streaming workload: a local upstream streams an OpenAI-style SSE
 * chat completion on a script (first token after {@code --first-ms}, then one every
 * {@code --gap-ms}), and closed-loop clients run 1, 64 and 512 concurrent streams against each
 * target in turn, each on connections it has already opened. Client-side TTFT (request sent to
 * first body byte) and E2E (to the end of the stream) are compared with the direct connection's;
 * the gateway is the real Sightline server in its own JVM, recording every call into its store,
 * and its RSS and the proxies' CPU time are read from /proc. The upstream and the clients are
 * {@link NettyLoad}: plain Netty, so that the harness leaves the cores to the targets. With
 * {@code --modes stream,nonstream} (the default) each level is also run with non-streamed calls: the
 * upstream answers one JSON chat completion after {@code --first-ms}.
 */
public final class GatewayBench {
  static final String BODY = "{\"model\":\"bench-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Write one sentence about latency.\"}]}";
  static final String BODY_WHOLE = "{\"model\":\"bench-model\",\"stream\":false,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Write one sentence about latency.\"}]}";

  /** Streamed or whole answers: the request body and one call's scripted length. */
  record Mode(String name, byte[] body, long callMs) {}

  /** @param pid the proxy's process (its CPU time is read around each run), or -1 for none */
  record Target(String name, NettyLoad.Client client, String path, long pid) {}

  /** @param startNanos each call's start ({@link System#nanoTime}: CLOCK_MONOTONIC on Linux, as in other processes' logs) */
  record Result(double[] ttftMs, double[] e2eMs, long[] startNanos, double[] overheadMs, long errors) {}

  public static void main(String[] args) throws Exception {
    int firstMs = IngestBench.intArg(args, "--first-ms", 200);
    int gapMs = IngestBench.intArg(args, "--gap-ms", 20);
    int tokens = IngestBench.intArg(args, "--tokens", 20);
    int rounds = IngestBench.intArg(args, "--rounds", 8);
    int singleCalls = IngestBench.intArg(args, "--single-calls", 40);
    int[] levels = levels(args);
    long callMs = firstMs + (long) gapMs * (tokens - 1);
    List<Mode> modes = new ArrayList<>();
    for (String m : String.valueOf(IngestBench.stringArg(args, "--modes") == null ? "stream,nonstream"
        : IngestBench.stringArg(args, "--modes")).split(",")) {
      switch (m.trim()) {
        case "stream" -> modes.add(new Mode("stream", NettyLoad.body(true), callMs));
        case "nonstream" -> modes.add(new Mode("nonstream", NettyLoad.body(false), firstMs));
        default -> throw new IllegalArgumentException("--modes takes stream and/or nonstream, not " + m);
      }
    }
    Report report = new Report("gateway");
    report.line("workload: streamed chat completion, first token after " + firstMs + " ms, then " + (tokens - 1)
        + " more every " + gapMs + " ms, plus a usage chunk and [DONE]; non-streamed: one JSON completion after "
        + firstMs + " ms; closed loop, " + singleCalls
        + " calls at 1 stream, " + rounds + " calls per stream at 64 and 512, the streams' first calls spread over"
        + " one call's length; targets in turn per level; modes " + modes.stream().map(Mode::name).toList());
    Path tmp = Files.createTempDirectory("sightline-bench-gateway");

    // the upstream and the clients are plain Netty on one event loop group: the harness should
    // leave the two cores to the targets (an Armeria upstream and clients took about one core at
    // 512 streams here)
    NettyLoad load = new NettyLoad(IngestBench.intArg(args, "--load-threads", 1));
    int up = load.upstream(firstMs, gapMs, tokens).port();
    Process nginx = null;
    List<String> serverArgs = new ArrayList<>(List.of("--gateway-openai-upstream", "http://127.0.0.1:" + up));
    String extra = IngestBench.stringArg(args, "--server-args");
    if (extra != null && !extra.isBlank()) {
      serverArgs.addAll(List.of(extra.trim().split("\\s+")));
      report.line("server arguments added: " + extra.trim());
    }
    try (ServerProcess gateway = new ServerProcess(tmp.resolve("server-data"), tmp.resolve("server.log"),
        serverArgs, IngestBench.serverJvmArgs())) {
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("direct", load.client(up), "/v1/chat/completions", -1));
      Path nginxBin = Path.of("/usr/sbin/nginx");
      if (Files.isExecutable(nginxBin)) {
        int port = ServerProcess.freePort();
        nginx = startNginx(nginxBin, tmp.resolve("nginx"), port, up);
        targets.add(new Target("nginx", load.client(port), "/v1/chat/completions", nginx.pid()));
      } else {
        report.line("nginx: not installed (apt-get install -y nginx); its column is left out");
      }
      targets.add(new Target("gateway", load.client(gateway.httpPort), "/gateway/openai/v1/chat/completions",
          gateway.process.pid()));

      // warm-up: JIT, connection pools, the server's store, at the highest level measured
      int warmLevel = java.util.Arrays.stream(levels).max().orElse(64);
      // the gateway's JVM compiles its hot path for a minute or more on 2 cores; the direct
      // connection and nginx need only the clients' and upstream's JIT (warmed by every phase)
      // (90 s when 512 streams are measured; at 64 streams a shorter warm-up reaches the same steady CPU per call)
      int warmSeconds = IngestBench.intArg(args, "--warmup-s", warmLevel >= 512 ? 90 : 40);
      for (Target t : targets) {
        int s = t.name().equals("gateway") ? warmSeconds : Math.min(warmSeconds, 10);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
        int round = 0;
        do {
          Mode m = modes.get(round++ % modes.size());
          run(t, m.body(), warmLevel, warmLevel * 2, m.callMs());
          // the measured runs read the server's /metrics; let its JIT see that request too
          commits(gateway.httpPort);
        } while (System.nanoTime() < until);
      }
      int settleSeconds = IngestBench.intArg(args, "--settle-s", 8);
      report.line("warm-up: " + warmLevel + " streams for " + warmSeconds + " s through the gateway, "
          + Math.min(warmSeconds, 10) + " s through the others; then before each measured run " + settleSeconds + " s unmeasured at its level");
      report.line("");
      report.line(String.format(Locale.ROOT, "%-9s %-8s %7s | %9s %9s | %9s %9s | %11s %11s | %11s %11s | %s",
          "mode", "target", "streams", "TTFT p50", "p99", "E2E p50", "p99", "+TTFT p50", "+TTFT p99", "+E2E p50", "+E2E p99",
          "errors"));
      List<String> summary = new ArrayList<>();
      List<String> cpuLines = new ArrayList<>();
      String samplesFile = IngestBench.stringArg(args, "--samples");
      StringBuilder samples = new StringBuilder("mode,target,streams,start_ns,ttft_ms,e2e_ms\n");
      for (Mode mode : modes) {
        for (int level : levels) {
          int calls = level == 1 ? singleCalls : level * rounds;
          Result direct = null;
          double nginxCpu = -1;
          for (Target t : targets) {
            // one unmeasured call per stream first, so that connections are open and pooled
            // unmeasured first: connections opened and pooled, and a few seconds at this level so
            // that the target is back in its steady state after the idle time of the other targets'
            // runs (a JVM re-optimizes code when traffic resumes)
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
            do {
              run(t, mode.body(), level, level, mode.callMs());
            } while (System.nanoTime() < settle);
            long cpu0 = t.pid() > 0 ? ServerProcess.cpuNanos(t.pid()) : -1;
            double[] commits0 = t.name().equals("gateway") ? commits(gateway.httpPort) : null;
            Result r = run(t, mode.body(), level, calls, mode.callMs());
            long cpu1 = t.pid() > 0 ? ServerProcess.cpuNanos(t.pid()) : -1;
            if (commits0 != null) {
              double[] commits1 = commits(gateway.httpPort);
              cpuLines.add(String.format(Locale.ROOT, "%s gateway at %d streams: %.0f store commits, %.1f ms each on average",
                  mode.name(), level, commits1[0] - commits0[0], (commits1[1] - commits0[1]) * 1e3 / Math.max(1, commits1[0] - commits0[0])));
            }
            if (cpu0 >= 0 && cpu1 >= 0) {
              double perCallUs = (cpu1 - cpu0) / 1e3 / calls;
              String ratio = "";
              if (t.name().equals("nginx")) {
                nginxCpu = perCallUs;
              } else if (nginxCpu > 0) {
                ratio = String.format(Locale.ROOT, ", %.1f× nginx's", perCallUs / nginxCpu);
              }
              cpuLines.add(String.format(Locale.ROOT, "%s %s at %d streams: %.0f µs CPU per call (%.2f s for %d calls%s)",
                  mode.name(), t.name(), level, perCallUs, (cpu1 - cpu0) / 1e9, calls, ratio));
            }
            for (int i = 0; i < r.ttftMs().length; i++) {
              samples.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.3f%n", mode.name(), t.name(), level,
                  r.startNanos()[i],
                  r.ttftMs()[i], r.e2eMs()[i]));
            }
            double[] tt = Report.sorted(r.ttftMs());
            double[] ee = Report.sorted(r.e2eMs());
            if (direct == null) {
              direct = r;
            }
            double[] dt = Report.sorted(direct.ttftMs());
            double[] de = Report.sorted(direct.e2eMs());
            report.line(String.format(Locale.ROOT,
                "%-9s %-8s %7d | %7.2f ms %6.2f ms | %6.1f ms %6.1f ms | %+8.3f ms %+8.3f ms | %+8.3f ms %+8.3f ms | %d",
                mode.name(), t.name(), level, p(tt, 50), p(tt, 99), p(ee, 50), p(ee, 99), p(tt, 50) - p(dt, 50),
                p(tt, 99) - p(dt, 99), p(ee, 50) - p(de, 50), p(ee, 99) - p(de, 99), r.errors()));
            if (t.name().equals("gateway") && r.overheadMs().length > 0) {
              double[] o = Report.sorted(r.overheadMs());
              summary.add(String.format(Locale.ROOT, "%s gateway at %d streams: x-sightline-overhead-ms p50 %.3f, p99 %.3f",
                  mode.name(), level, p(o, 50), p(o, 99)));
            }
          }
        }
        report.line(String.format(Locale.ROOT, "gateway server RSS after %s: %s", mode.name(),
            Report.mib(gateway.rssBytes())));
      }
      report.line("");
      summary.forEach(report::line);
      cpuLines.forEach(report::line);
      report.line("gateway server RSS now " + Report.mib(gateway.rssBytes()) + ", peak " + Report.mib(gateway.peakRssBytes())
          + " (JVM: " + String.join(" ", IngestBench.serverJvmArgs()) + ", as the launcher starts it; with its DuckDB store recording every call)");
      report.line("non-streamed rows: TTFT is the whole answer's first byte (one chunk), so TTFT and E2E agree");
      report.line("added = target's percentile minus the direct connection's at the same level (differences of"
          + " percentiles, not percentiles of differences); all on one machine, clients and upstream in this JVM");
      report.save();
      if (samplesFile != null) {
        Files.writeString(Path.of(samplesFile), samples);
        System.out.println("every measured call's timings: " + samplesFile);
      }
    } finally {
      if (nginx != null) {
        nginx.destroy();
        nginx.waitFor(10, TimeUnit.SECONDS);
      }
      load.close();
    }
  }

  private static int[] levels(String[] args) {
    String v = IngestBench.stringArg(args, "--levels");
    return v == null ? new int[] {1, 64, 512} : java.util.Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** The server's group commits so far: {count, seconds}, from /metrics ({0, 0} if unreadable). */
  private static double[] commits(int port) {
    try {
      return IngestBench.commitMetrics(java.net.http.HttpClient.newHttpClient(),
          java.net.URI.create("http://127.0.0.1:" + port + "/metrics"));
    } catch (Exception e) {
      return new double[3];
    }
  }

  private static double p(double[] sorted, double q) {
    return Report.percentile(sorted, q);
  }


  /** {@code concurrency} closed-loop streams that make {@code calls} streamed calls in all. */
  static Result run(Target t, int concurrency, int calls) {
    return run(t, BODY_BYTES, concurrency, calls, 0);
  }

  /** As above, each call sending {@code body}, the streams' first calls spread over {@code callMs}. */
  static Result run(Target t, byte[] body, int concurrency, int calls, long callMs) {
    ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
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
          .thenCompose(v -> worker(t, body, left, samples, overheads, errors)));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    double[] ttft = new double[samples.size()];
    double[] e2e = new double[samples.size()];
    long[] start = new long[samples.size()];
    int i = 0;
    for (long[] s : samples) {
      start[i] = s[0];
      ttft[i] = (s[1] - s[0]) / 1e6;
      e2e[i++] = (s[2] - s[0]) / 1e6;
    }
    return new Result(ttft, e2e, start, overheads.stream().mapToDouble(Double::doubleValue).toArray(), errors.get());
  }

  private static CompletableFuture<Void> worker(Target t, byte[] body, AtomicLong left,
      ConcurrentLinkedQueue<long[]> samples, ConcurrentLinkedQueue<Double> overheads, AtomicLong errors) {
    if (left.getAndDecrement() <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return call(t, body, samples, overheads, errors)
        .thenCompose(v -> worker(t, body, left, samples, overheads, errors));
  }

  private static final byte[] BODY_BYTES = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static CompletableFuture<Void> call(Target t, byte[] body, ConcurrentLinkedQueue<long[]> samples,
      ConcurrentLinkedQueue<Double> overheads, AtomicLong errors) {
    return t.client().call(t.path(), body).thenAccept(s -> {
      if (s.overheadHeader() != null) {
        overheads.add(Double.parseDouble(s.overheadHeader()));
      }
      if (s.error() == null && s.status() == 200 && s.firstByteNanos() > 0) {
        samples.add(new long[] {s.t0(), s.firstByteNanos(), s.endNanos()});
      } else {
        errors.incrementAndGet();
      }
    });
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
