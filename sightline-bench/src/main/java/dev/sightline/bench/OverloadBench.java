package dev.sightline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ten times the sustainable OTLP/HTTP load against a server in its own JVM (-Xmx1g): the refusals
 * it answers, its RSS against the heap, how soon a polite sender is served normally again, and
 * whether every span acknowledged with 200 is in the store afterwards.
 */
public final class OverloadBench {
  private static final long MiB = 1L << 20;

  public static void main(String[] args) throws Exception {
    int seconds = IngestBench.intArg(args, "--seconds", 60);
    int normalSenders = IngestBench.intArg(args, "--senders-normal", 8);
    int factor = IngestBench.intArg(args, "--factor", 10);
    int sustainSeconds = IngestBench.intArg(args, "--sustain-seconds", 15);
    // a fresh server JVM on a busy machine needs a while before its JIT has compiled the ingest path
    int warmupSeconds = IngestBench.intArg(args, "--warmup-seconds", 10);
    int tracesPerRequest = IngestBench.intArg(args, "--spans-per-request", 510) / 3;
    // per hostile sender: requests it may have unanswered at once (its connections); the load is
    // open-loop, so this only bounds the load generator's own memory
    int window = IngestBench.intArg(args, "--window", 16);
    String heap = "1g";
    long heapBytes = 1L << 30;
    int spansPerRequest = tracesPerRequest * 3;

    Report report = new Report("overload");
    report.line("load average at start: " + loadAverage());
    Path dir = Files.createTempDirectory("sightline-bench-overload");
    SpanFactory.Template template = new SpanFactory().new Template(tracesPerRequest);
    int bodyBytes = template.next().length;
    report.line(String.format("workload: OTLP/HTTP protobuf, %d spans (%,d bytes) per request; server -Xmx%s, --auth open,"
        + " default --ingest-memory (a quarter of the heap) and --queue-capacity", spansPerRequest, bodyBytes, heap));

    AtomicLong acknowledgedSpans = new AtomicLong();
    Path data = dir.resolve("data");
    ServerProcess server = new ServerProcess(data, dir.resolve("server.log"), List.of("--auth", "open"),
        IngestBench.serverJvmArgs("-Xmx" + heap));
    Sender send;
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      send = new Sender(http, URI.create("http://127.0.0.1:" + server.otlpHttpPort + "/v1/traces"), template,
          spansPerRequest, acknowledgedSpans);

      // 1. sustainable: closed-loop senders that honour Retry-After
      Sustained s = sustainable(send, normalSenders, warmupSeconds, sustainSeconds);
      report.line("");
      report.line(String.format("sustainable (%d closed-loop senders, %d s after %d s warm-up): S = %,.0f spans/s;"
          + " latency p50 %.0f ms, p99 %.0f ms; refusals %d", normalSenders, sustainSeconds, warmupSeconds,
          s.spansPerSecond,
          s.p50Ms, s.p99Ms, s.refusals));

      // 2. overload: factor × S offered open-loop by factor × senders, Retry-After ignored
      int hostile = normalSenders * factor;
      double offeredRequestsPerSecond = factor * s.spansPerSecond / spansPerRequest;
      Overload o = overload(send, server, hostile, window, offeredRequestsPerSecond, seconds);
      report.line("");
      report.line(String.format("overload (%d senders, open-loop at %d × S = %,.0f spans/s offered, Retry-After"
          + " ignored, %d s): sent %,d requests = %,.0f spans/s actually offered (%,d sends skipped: a sender's %d"
          + " connections all busy)", hostile, factor, factor * s.spansPerSecond, seconds, o.sent,
          o.sent * (double) spansPerRequest / seconds, o.skipped, window));
      report.line(String.format("  answers: 200 %,d (%,.0f spans/s acknowledged), 429 %,d, 503 %,d, other status %,d,"
          + " I/O error or timeout %,d", o.ok, o.ok * (double) spansPerRequest / seconds, o.tooMany, o.unavailable,
          o.otherStatus, o.ioErrors));
      report.line(String.format("  Retry-After on 429/503: present on %,d of %,d (values seen: %s)",
          o.withRetryAfter, o.tooMany + o.unavailable, o.retryAfterValues));
      report.line(String.format("  server RSS (VmRSS every 250 ms, %d samples): max %s, median %s, vs -Xmx%s"
          + " (max − Xmx = %s)", o.rss.length, Report.mib(o.rssMax()), Report.mib(o.rssMedian()), heap,
          Report.mib(o.rssMax() - heapBytes)));
      report.line(String.format("  server CPU: %.2f cores on average (of %d; the load generator runs on the same"
          + " cores)", o.serverCpuCores, Runtime.getRuntime().availableProcessors()));
      report.line("  load average at the end of the overload: " + loadAverage());

      // 3. after: one polite sender every 100 ms
      After a = after(send, s.p50Ms, o);
      report.line("");
      report.line(String.format("after (1 sender, every 100 ms, from the moment the overload stopped): first 200"
          + " after %.1f s, normal (3 answers in a row 200 within %.0f ms = max(2 × sustainable p50, p50 + 20 ms))"
          + " after %s", a.firstOkSeconds, a.normalMs, a.normalSeconds < 0 ? "never in 60 s"
          : String.format("%.1f s", a.normalSeconds)));
      report.line(String.format("  the single sender's latency: median %.0f ms over its first 10 requests, %.0f ms"
          + " over its last 10", a.firstTenMedianMs, a.lastTenMedianMs));
      report.line(String.format("  hostile requests still unanswered when the overload stopped: %,d; all answered"
          + " after %.1f s", o.unansweredAtStop, a.drainedSeconds));
      report.line("  server /metrics, ingest lines:" + ingestMetrics(http, server.httpPort));
      report.line("  server VmHWM (peak RSS) over the whole run: " + Report.mib(server.peakRssBytes()));
    } finally {
      server.close(); // SIGTERM: the server commits what it acknowledged and stops
    }
    report.line("server stopped with SIGTERM, exit status " + server.process.exitValue());

    // 4. acknowledged vs stored
    long stored = storedSpans(data.resolve("sightline.duckdb"));
    report.line("");
    report.line(String.format("spans acknowledged with 200 over the whole run: %,d; spans in the store after a"
        + " graceful stop: %,d", acknowledgedSpans.get(), stored));
    if (stored < acknowledgedSpans.get()) {
      report.line("FAIL: " + (acknowledgedSpans.get() - stored) + " acknowledged spans are not in the store");
      report.save();
      System.exit(1);
    }
    report.line(stored == acknowledgedSpans.get() ? "OK: every acknowledged span is stored, and nothing else"
        : "OK: every acknowledged span is stored (the rest were committed for requests whose answer the sender"
            + " never read: timeouts or I/O errors)");
    report.save();
  }

  /** Sends requests and counts what comes back; a 200 adds its spans to the acknowledged total. */
  private record Sender(HttpClient http, URI uri, SpanFactory.Template template, int spansPerRequest,
      AtomicLong acknowledgedSpans) {
    HttpRequest next() {
      return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(template.next())).build();
    }

    /** The answer's status, counting its spans as acknowledged when it is 200. */
    int status(HttpResponse<?> r) {
      if (r.statusCode() == 200) {
        acknowledgedSpans.addAndGet(spansPerRequest);
      }
      return r.statusCode();
    }
  }

  private record Sustained(double spansPerSecond, double p50Ms, double p99Ms, long refusals) {}

  private static Sustained sustainable(Sender send, int senders, int warmupSeconds, int seconds) throws Exception {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong spans = new AtomicLong();
    AtomicLong refusals = new AtomicLong();
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      threads.add(Thread.ofPlatform().daemon().start(() -> {
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<Void> r = send.http().send(send.next(), HttpResponse.BodyHandlers.discarding());
            int status = send.status(r);
            if (status == 200 && measuring.get()) {
              spans.addAndGet(send.spansPerRequest());
              latencies.add((System.nanoTime() - t0) / 1e6);
            } else if (status != 200) {
              refusals.incrementAndGet();
              Thread.sleep(1000L * r.headers().firstValueAsLong("retry-after").orElse(1));
            }
          } catch (Exception e) {
            refusals.incrementAndGet();
          }
        }
      }));
    }
    Thread.sleep(warmupSeconds * 1000L);
    measuring.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join(120_000);
    }
    double[] lat = Report.sorted(latencies.stream().mapToDouble(Double::doubleValue).toArray());
    return new Sustained(spans.get() / elapsed, Report.percentile(lat, 50), Report.percentile(lat, 99),
        refusals.get());
  }

  /** What the overload phase saw; {@code unansweredAtStop}/{@code inFlight} let the after phase wait for the rest. */
  private static final class Overload {
    final AtomicLong okCount = new AtomicLong();
    final AtomicLong tooManyCount = new AtomicLong();
    final AtomicLong unavailableCount = new AtomicLong();
    final AtomicLong otherCount = new AtomicLong();
    final AtomicLong ioCount = new AtomicLong();
    final AtomicLong retryAfterCount = new AtomicLong();
    final Map<String, Long> retryAfterSeen = new TreeMap<>();
    final AtomicLong inFlight = new AtomicLong();
    long sent;
    long skipped;
    long ok;
    long tooMany;
    long unavailable;
    long otherStatus;
    long ioErrors;
    long withRetryAfter;
    String retryAfterValues;
    long unansweredAtStop;
    long[] rss;
    double serverCpuCores;

    long rssMax() {
      return rss.length == 0 ? -1 : rss[rss.length - 1];
    }

    long rssMedian() {
      return rss.length == 0 ? -1 : rss[rss.length / 2];
    }

    /** Freezes the counters as they stand (answers arriving later still count as acknowledged spans). */
    void freeze() {
      ok = okCount.get();
      tooMany = tooManyCount.get();
      unavailable = unavailableCount.get();
      otherStatus = otherCount.get();
      ioErrors = ioCount.get();
      withRetryAfter = retryAfterCount.get();
      synchronized (retryAfterSeen) {
        retryAfterValues = retryAfterSeen.toString();
      }
    }
  }

  private static Overload overload(Sender send, ServerProcess server, int senders, int window,
      double requestsPerSecond, int seconds) throws Exception {
    Overload o = new Overload();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    long intervalNanos = (long) (1e9 * senders / requestsPerSecond);
    List<Thread> threads = new ArrayList<>();
    long cpu0 = ServerProcess.cpuNanos(server.process.pid());
    long start = System.nanoTime();
    for (int i = 0; i < senders; i++) {
      long offset = intervalNanos * i / senders; // spread the senders' ticks over one interval
      threads.add(Thread.ofPlatform().daemon().start(() -> {
        Semaphore connections = new Semaphore(window);
        long next = start + offset;
        while (!stop.get()) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            try {
              TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
              return;
            }
          }
          next += intervalNanos;
          if (stop.get()) {
            return;
          }
          if (!connections.tryAcquire()) {
            skipped.incrementAndGet();
            continue;
          }
          sent.incrementAndGet();
          o.inFlight.incrementAndGet();
          send.http().sendAsync(send.next(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
            connections.release();
            if (err != null) {
              o.ioCount.incrementAndGet();
            } else {
              count(o, send.status(r), r);
            }
            o.inFlight.decrementAndGet();
          });
        }
      }));
    }
    List<Long> rss = new ArrayList<>();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      rss.add(server.rssBytes());
      Thread.sleep(250);
    }
    stop.set(true);
    o.serverCpuCores = (ServerProcess.cpuNanos(server.process.pid()) - cpu0) / (double) (System.nanoTime() - start);
    o.freeze();
    o.unansweredAtStop = o.inFlight.get();
    for (Thread t : threads) {
      t.join(10_000);
    }
    o.sent = sent.get();
    o.skipped = skipped.get();
    o.rss = rss.stream().mapToLong(Long::longValue).sorted().toArray();
    return o;
  }

  private static void count(Overload o, int status, HttpResponse<?> r) {
    switch (status) {
      case 200 -> o.okCount.incrementAndGet();
      case 429 -> o.tooManyCount.incrementAndGet();
      case 503 -> o.unavailableCount.incrementAndGet();
      default -> o.otherCount.incrementAndGet();
    }
    if (status == 429 || status == 503) {
      r.headers().firstValue("retry-after").ifPresent(v -> {
        o.retryAfterCount.incrementAndGet();
        synchronized (o.retryAfterSeen) {
          o.retryAfterSeen.merge(status + ": " + v + " s", 1L, Long::sum);
        }
      });
    }
  }

  private record After(double firstOkSeconds, double normalSeconds, double normalMs, double drainedSeconds,
      double firstTenMedianMs, double lastTenMedianMs) {}

  /** One request every 100 ms from the moment the overload stops, until 3 in a row are normal (60 s at most). */
  private static After after(Sender send, double sustainedP50Ms, Overload o) throws Exception {
    double normalMs = Math.max(2 * sustainedP50Ms, sustainedP50Ms + 20);
    long start = System.nanoTime();
    double firstOk = -1;
    double normalAt = -1;
    double drained = -1;
    double runStart = -1;
    int run = 0;
    List<Double> latencies = new ArrayList<>();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
      long t0 = System.nanoTime();
      int status;
      try {
        status = send.status(send.http().send(send.next(), HttpResponse.BodyHandlers.discarding()));
      } catch (java.io.IOException e) {
        status = -1;
      }
      double latencyMs = (System.nanoTime() - t0) / 1e6;
      latencies.add(latencyMs);
      double at = (t0 - start) / 1e9;
      if (drained < 0 && o.inFlight.get() == 0) {
        drained = (System.nanoTime() - start) / 1e9;
      }
      if (status == 200 && firstOk < 0) {
        firstOk = at;
      }
      if (status == 200 && latencyMs <= normalMs) {
        if (run++ == 0) {
          runStart = at;
        }
        if (run == 3 && normalAt < 0) {
          normalAt = runStart;
        }
      } else {
        run = 0;
      }
      if (normalAt >= 0 && drained >= 0 && at > normalAt + 2) {
        break;
      }
      long sleep = TimeUnit.MILLISECONDS.toNanos(100) - (System.nanoTime() - t0);
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
    }
    // the hostile requests' answers still count as acknowledgements: wait for every one
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (o.inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (drained < 0) {
      drained = (System.nanoTime() - start) / 1e9;
    }
    int n = latencies.size();
    return new After(firstOk, normalAt, normalMs, drained, median(latencies.subList(0, Math.min(10, n))),
        median(latencies.subList(Math.max(0, n - 10), n)));
  }

  private static double median(List<Double> values) {
    return Report.percentile(Report.sorted(values.stream().mapToDouble(Double::doubleValue).toArray()), 50);
  }

  private static String ingestMetrics(HttpClient http, int port) {
    try {
      String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      StringBuilder out = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.startsWith("#") && (line.contains("ingest_memory") || line.contains("refus")
            || line.contains("saturat") || line.contains("queue") || line.startsWith("sightline_spans_stored"))) {
          out.append("\n    ").append(line);
        }
      }
      return out.toString();
    } catch (Exception e) {
      return " (unreadable: " + e + ")";
    }
  }

  /** The spans table's row count, read-only, once the server has stopped. */
  private static long storedSpans(Path db) throws Exception {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db, p);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM spans")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
