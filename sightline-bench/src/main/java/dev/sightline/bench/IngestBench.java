package dev.sightline.bench;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchProcessor;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.receivers.OtlpReceiver;
import dev.sightline.receivers.ReceiverLimits;
import dev.sightline.semconv.SpanNormalizer;
import dev.sightline.store.DuckDbStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Sustained OTLP/HTTP ingest (protobuf or JSON) with durable acknowledgement: concurrent senders
 * post requests to a Sightline server in its own JVM and count the spans acknowledged with 200 (each
 * acknowledgement means committed). In the same run, the ceilings: the raw DuckDB Appender on a
 * plain table, and Sightline's own store write path without the network.
 */
public final class IngestBench {
  /** What the senders do: closed loop, {@code concurrency} requests in flight, for {@code seconds} after a warm-up. */
  record Load(int tracesPerRequest, int concurrency, int seconds, int warmupSeconds) {}

  /** One server measurement. */
  record RunResult(double spansPerSecond, double p50Ms, double p99Ms, double cpuMicrosPerSpan, double cpuPercent,
      long peakRssBytes) {}

  /** Spans acknowledged (200 after commit) in a stretch of wall time. */
  record Throughput(long spans, double seconds, long retries) {
    double perSecond() {
      return spans / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 30);
    int concurrency = intArg(args, "--concurrency", 8);
    int tracesPerRequest = intArg(args, "--spans-per-request", 510) / 3;
    int runs = Math.max(1, intArg(args, "--runs", 1));
    String format = Objects.requireNonNullElse(stringArg(args, "--format"), "protobuf");
    List<SpanFactory.Encoding> encodings = format.equalsIgnoreCase("both")
        ? List.of(SpanFactory.Encoding.PROTOBUF, SpanFactory.Encoding.JSON)
        : Stream.of(SpanFactory.Encoding.parse(format)).filter(Objects::nonNull).toList();
    if (encodings.isEmpty()) {
      System.err.println("ingest: --format must be protobuf, json or both (got " + format + ")");
      System.exit(2);
    }
    // the JIT still compiles the server's hot path for 20 s or more on 2 cores: --warmup-s 30 measures it warm
    int warmup = Math.max(0, intArg(args, "--warmup-s", 5));
    Load load = new Load(tracesPerRequest, concurrency, seconds, warmup);
    // with --evaluators-compare: RAG content in every trace, and the server run twice in this one run,
    // evaluators off then on, so their cost to ingest is read side by side
    boolean compare = Arrays.asList(args).contains("--evaluators-compare");
    Report report = new Report(compare ? "ingest-evaluators" : "ingest");
    report.line("workload: OTLP/HTTP " + String.join(" then ", encodings.stream().map(IngestBench::label).toList())
        + ", " + tracesPerRequest * 3 + " spans per request (1 in 3 an LLM call"
        + (compare ? ", with retrieved documents and an answer" : "") + "), " + concurrency + " concurrent senders, "
        + seconds + " s measured after " + warmup + " s warm-up" + (runs > 1 ? ", " + runs + " runs each against a fresh server" : ""));
    Path tmp = Files.createTempDirectory("sightline-bench-ingest");
    if (compare) {
      for (String evaluators : new String[] {"off", "groundedness,commitment,injection"}) {
        report.line("");
        report.line("server --evaluators " + evaluators + ":");
        serverRuns(report, tmp.resolve("server-" + evaluators.length()), List.of("--evaluators", evaluators),
            encodings.get(0), load, runs, true);
      }
      report.save();
      return;
    }

    report.line(String.format("ceiling, raw DuckDB Appender (9-column table, %,d rows, one commit): %,.0f rows/s",
        1_000_000, rawAppenderRowsPerSecond(tmp.resolve("raw.duckdb"), 1_000_000)));
    storeCeiling(report, tmp.resolve("store"), tracesPerRequest);
    for (SpanFactory.Encoding encoding : encodings) {
      report.line("");
      serverRuns(report, tmp.resolve("server-" + label(encoding)), extraServerArgs(args), encoding, load, runs, false);
    }
    report.save();
  }

  private static String label(SpanFactory.Encoding encoding) {
    return encoding.name().toLowerCase(Locale.ROOT);
  }

  /** {@code runs} measurements, each against a fresh server; with more than one, their median and spread. */
  private static void serverRuns(Report report, Path dir, List<String> serverArgs, SpanFactory.Encoding encoding,
      Load load, int runs, boolean ragContent) throws Exception {
    List<RunResult> results = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      if (runs > 1) {
        report.line(label(encoding) + " run " + r + "/" + runs + ":");
      }
      results.add(serverRun(report, dir.resolve("run-" + r), serverArgs, encoding, load, ragContent));
    }
    if (runs > 1) {
      report.line(String.format("%s, %d runs: median (min … max)", label(encoding), runs));
      report.line("  spans/s acknowledged " + spread(results, RunResult::spansPerSecond, "%,.0f"));
      report.line("  ack latency p50 ms " + spread(results, RunResult::p50Ms, "%.1f")
          + "; p99 ms " + spread(results, RunResult::p99Ms, "%.1f"));
      report.line("  server CPU µs per span " + spread(results, RunResult::cpuMicrosPerSpan, "%.1f")
          + "; % of the machine " + spread(results, RunResult::cpuPercent, "%.0f"));
      report.line("  server peak RSS MiB " + spread(results, x -> x.peakRssBytes() / (1024.0 * 1024), "%.0f"));
    }
  }

  /** "median (min … max, ±x % of the median)" of one figure over the runs. */
  static String spread(List<RunResult> results, ToDoubleFunction<RunResult> figure, String fmt) {
    double[] v = Report.sorted(results.stream().mapToDouble(figure).toArray());
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    double halfRange = (v[v.length - 1] - v[0]) / 2;
    return String.format(fmt + " (" + fmt + " … " + fmt + ", ±%.1f %%)", median, v[0], v[v.length - 1],
        median == 0 ? 0 : 100 * halfRange / median);
  }

  /** Closed-loop senders against one server in its own JVM; the figures go to the report. */
  private static RunResult serverRun(Report report, Path dir, List<String> serverArgs, SpanFactory.Encoding encoding,
      Load load, boolean ragContent) throws Exception {
    Files.createDirectories(dir);
    int seconds = load.seconds();
    try (ServerProcess server = new ServerProcess(dir.resolve("data"), dir.resolve("server.log"), serverArgs,
        serverJvmArgs())) {
      SpanFactory.Template template = new SpanFactory(ragContent).new Template(load.tracesPerRequest(), encoding);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      URI uri = URI.create("http://127.0.0.1:" + server.otlpHttpPort + "/v1/traces");
      AtomicBoolean measuring = new AtomicBoolean(false);
      AtomicBoolean stop = new AtomicBoolean(false);
      AtomicLong ackedSpans = new AtomicLong();
      AtomicLong retries = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < load.concurrency(); c++) {
        senders.add(Thread.ofPlatform().daemon().start(() -> {
          while (!stop.get()) {
            byte[] body = template.next();
            boolean done = false;
            while (!done && !stop.get()) {
              long t0 = System.nanoTime();
              try {
                int status = post(http, uri, encoding, body);
                if (status == 200) {
                  done = true;
                  if (measuring.get()) {
                    ackedSpans.addAndGet(template.spans());
                    latencies.add((System.nanoTime() - t0) / 1e6);
                  }
                } else if (status == 429 || status == 503) {
                  retries.incrementAndGet();
                  Thread.sleep(50);
                } else {
                  failures.incrementAndGet();
                  done = true;
                }
              } catch (Exception e) {
                failures.incrementAndGet();
                done = true;
              }
            }
          }
        }));
      }
      Thread.sleep(load.warmupSeconds() * 1000L);
      URI metricsUri = URI.create("http://127.0.0.1:" + server.httpPort + "/metrics");
      double[] m0 = commitMetrics(http, metricsUri);
      long pid = server.process.pid();
      long self = ProcessHandle.current().pid();
      long serverCpu0 = ServerProcess.cpuNanos(pid);
      long loadCpu0 = ServerProcess.cpuNanos(self);
      measuring.set(true);
      long t0 = System.nanoTime();
      long peakRss = 0;
      for (int s = 0; s < seconds; s++) {
        Thread.sleep(1_000);
        peakRss = Math.max(peakRss, server.rssBytes());
      }
      measuring.set(false);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long serverCpu = ServerProcess.cpuNanos(pid) - serverCpu0;
      // the server is this JVM's child, and cpuNanos counts children: take the server's share out
      long loadCpu = ServerProcess.cpuNanos(self) - loadCpu0 - serverCpu;
      double[] m1 = commitMetrics(http, metricsUri);
      stop.set(true);
      for (Thread t : senders) {
        t.join(30_000);
      }
      double[] lat = Report.sorted(latencies.stream().mapToDouble(Double::doubleValue).toArray());
      int cores = Runtime.getRuntime().availableProcessors();
      RunResult result = new RunResult(ackedSpans.get() / elapsed, Report.percentile(lat, 50), Report.percentile(lat, 99),
          ackedSpans.get() == 0 ? Double.NaN : serverCpu / 1e3 / ackedSpans.get(),
          100.0 * serverCpu / (elapsed * 1e9 * cores), peakRss);
      report.line(String.format("sightline OTLP/HTTP %s ingest, durable ack: %,.0f spans/s (%,d spans acknowledged in %.1f s)",
          label(encoding), result.spansPerSecond(), ackedSpans.get(), elapsed));
      report.line(String.format("  request latency (send → 200 after commit): p50 %.1f ms, p99 %.1f ms; "
          + "429/503 retries %d; failures (partial successes included) %d", result.p50Ms(), result.p99Ms(), retries.get(), failures.get()));
      double commits = m1[0] - m0[0];
      report.line(String.format("  group commits: %.0f/s, mean %.1f ms each, %.0f spans per commit on average",
          commits / elapsed, commits == 0 ? 0 : (m1[1] - m0[1]) * 1000 / commits,
          commits == 0 ? 0 : (m1[2] - m0[2]) / commits));
      report.line(String.format("  server CPU (utime+stime over the measured window): %.1f µs per span, %.0f %% of the "
          + "machine's %d cores; load generator %.0f %%", result.cpuMicrosPerSpan(), result.cpuPercent(), cores,
          100.0 * loadCpu / (elapsed * 1e9 * cores)));
      report.line("  server RSS: peak during load " + Report.mib(peakRss) + ", VmHWM " + Report.mib(server.peakRssBytes())
          + " (JVM: " + String.join(" ", serverJvmArgs()) + ")");
      String metrics = http.send(HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString()).body();
      StringBuilder ev = new StringBuilder();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("sightline_evaluation_") || line.startsWith("sightline_evaluator_seconds_total")
            || line.startsWith("sightline_evaluator_paused_seconds_total")) {
          ev.append("\n    ").append(line);
        }
      }
      if (!ev.isEmpty()) {
        report.line("  evaluators (whole run, warm-up included):" + ev);
      }
      return result;
    }
  }

  /**
   * Posts one request: its HTTP status, or 207 when the answer is 200 with a partial success
   * (some spans rejected), so that only requests stored in full count as acknowledged.
   */
  static int post(HttpClient http, URI uri, SpanFactory.Encoding encoding, byte[] body) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", encoding.contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    // a full success is an empty ExportTraceServiceResponse: no bytes in protobuf, {} in JSON
    boolean full = encoding == SpanFactory.Encoding.JSON ? new String(r.body(), StandardCharsets.UTF_8)
        .strip().equals("{}") : r.body().length == 0;
    return r.statusCode() == 200 && !full ? 207 : r.statusCode();
  }

  /**
   * A fixed amount of closed-loop work: {@code senders} threads each post {@code requestsPerSender}
   * requests one after another (429/503 retried after 50 ms); fails on any other answer.
   */
  static Throughput closedLoop(HttpClient http, URI uri, SpanFactory.Template template, int senders,
      int requestsPerSender) throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < senders; c++) {
      threads.add(Thread.ofPlatform().daemon().start(() -> {
        try {
          go.await();
          for (int i = 0; i < requestsPerSender; i++) {
            byte[] body = template.next();
            int status;
            while ((status = post(http, uri, template.encoding(), body)) == 429 || status == 503) {
              retries.incrementAndGet();
              Thread.sleep(50);
            }
            if (status != 200) {
              failures.add(status == 207 ? "200 with spans rejected" : "HTTP " + status);
              return;
            }
            acked.addAndGet(template.spans());
          }
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("ingest failed: " + failures);
    }
    return new Throughput(acked.get(), elapsed, retries.get());
  }

  /** {commits, seconds spent committing, spans stored} from the server's /metrics. */
  static double[] commitMetrics(HttpClient http, URI uri) throws Exception {
    String text = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    double[] out = new double[3];
    for (String line : text.split("\n")) {
      if (line.startsWith("sightline_commit_duration_seconds_count ")) {
        out[0] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("sightline_commit_duration_seconds_sum ")) {
        out[1] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("sightline_spans_stored_total{")) {
        out[2] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return out;
  }

  /**
   * DuckDB's own Appender on a plain 9-column span table, {@code rows} rows in one commit: what the
   * database can take at best, in rows per second.
   */
  static double rawAppenderRowsPerSecond(Path file, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      try (var st = c.createStatement()) {
        st.execute("CREATE TABLE raw_spans (trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, name VARCHAR, "
            + "service VARCHAR, start_ns BIGINT, end_ns BIGINT, status VARCHAR, attributes VARCHAR)");
      }
      long t0 = System.nanoTime();
      try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("main", "raw_spans")) {
        for (int i = 0; i < rows; i++) {
          a.beginRow();
          a.append(String.format("%032x", i));
          a.append(String.format("%016x", i));
          a.append(i % 3 == 0 ? null : String.format("%016x", i - 1));
          a.append("chat gpt-4o");
          a.append("bench-svc");
          a.append(1_700_000_000_000_000_000L + i);
          a.append(1_700_000_000_000_000_000L + i + 2_000_000_000L);
          a.append("OK");
          a.append("{\"gen_ai.operation.name\":\"chat\",\"gen_ai.usage.input_tokens\":1200}");
          a.endRow();
        }
      }
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** Sightline's store write path (spans + LLM call rows, group commits) without HTTP or decoding. */
  private static void storeCeiling(Report report, Path dir, int tracesPerRequest) throws Exception {
    SpanFactory factory = new SpanFactory();
    BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled()));
    OtlpReceiver decoder = new OtlpReceiver(b -> {
      throw new IllegalStateException("decode only");
    }, new IngestCounters(), ReceiverLimits.defaults());
    List<TelemetryBatch> batches = new ArrayList<>();
    int spans = 0;
    while (spans < 300_000) {
      TelemetryBatch b = processor.process(decoder.decodeTraces(factory.request(tracesPerRequest)));
      batches.add(b);
      spans += b.spans().size();
    }
    try (DuckDbStore store = DuckDbStore.open(dir)) {
      long t0 = System.nanoTime();
      int groupSpans = 0;
      List<TelemetryBatch> group = new ArrayList<>();
      for (TelemetryBatch b : batches) {
        group.add(b);
        groupSpans += b.spans().size();
        if (groupSpans >= 10_000) {
          store.write(group);
          group = new ArrayList<>();
          groupSpans = 0;
        }
      }
      if (!group.isEmpty()) {
        store.write(group);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      report.line(String.format("ceiling, Sightline store write (spans + LLM call rows, ~10k-span group commits): "
          + "%,.0f spans/s (%,d spans)", spans / s, spans));
    }
  }

  /**
   * The server's JVM options: the launcher's defaults (ServerProcess.launcherOptions), with
   * {@code base} and then SIGHTLINE_BENCH_SERVER_OPTS (e.g. a profiler, another heap) laid over them.
   */
  static String[] serverJvmArgs(String... base) {
    List<String> later = new ArrayList<>(List.of(base));
    String extra = System.getenv("SIGHTLINE_BENCH_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      later.addAll(List.of(extra.trim().split("\\s+")));
    }
    return ServerProcess.launcherOptions(later).toArray(String[]::new);
  }

  /** --server-args "..." passes options to the server (e.g. --evaluators off). */
  private static List<String> extraServerArgs(String[] args) {
    String extra = stringArg(args, "--server-args");
    return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
  }

  static String stringArg(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return null;
  }

  static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
