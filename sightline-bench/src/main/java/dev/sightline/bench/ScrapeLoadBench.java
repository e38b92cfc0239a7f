package dev.sightline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sightline.scrape.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The cost of scraping: N loopback endpoints serve the real vLLM page (its counters and histogram
 * counts growing on every request), the real server in its own JVM scrapes them every interval, and
 * runs of that server alternate with runs of the same server with no targets; the difference is the cost.
 */
public final class ScrapeLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One measured window of one server. {@code durationsMs}: every scrape that started in the window;
   * {@code storedPoints}: all points in the store at the end; {@code closedBytes}: the data directory
   * once the server has stopped (its store checkpointed).
   */
  record Run(boolean scraping, int index, double seconds, long cpuNanos, long rssBytes, long scrapes, long failures,
      long skippedTicks, long sinkFailures, double[] durationsMs, long points, long diskGrowthBytes, long served,
      long storedPoints, long closedBytes) {
    double cpuPercent() {
      return cpuNanos / 1e9 / seconds * 100;
    }

    double pointsPerSecond() {
      return points / seconds;
    }

    double diskMbPerDay() {
      return diskGrowthBytes / seconds * 86_400 / 1e6;
    }

    double cpuMsPerScrape() {
      return scrapes == 0 ? Double.NaN : cpuNanos / 1e6 / scrapes;
    }
  }

  /** Sums over targets at one moment; {@code durations}: each target's last scrape, keyed by name and start. */
  record Health(long scrapes, long failures, long skippedTicks, long sinkFailures, Map<String, Double> durations,
      Map<String, Instant> starts) {}

  public static void main(String[] args) throws Exception {
    int targets = IngestBench.intArg(args, "--targets", 50);
    String intervalText = IngestBench.stringArg(args, "--interval") == null ? "5s" : IngestBench.stringArg(args, "--interval");
    Duration interval = duration(intervalText);
    int seconds = IngestBench.intArg(args, "--seconds", 60);
    int runs = IngestBench.intArg(args, "--runs", 3);
    Duration warmup = interval.multipliedBy(2);

    String page = ScrapeParseBenchmark.page("vllm");
    GrowingPage growing = new GrowingPage(page);
    PrometheusText.Parsed check = PrometheusText.parse(new String(growing.render(12_345), StandardCharsets.UTF_8), 1L, "bench");
    if (!check.errors().isEmpty()) {
      throw new IllegalStateException("the growing vLLM page does not parse cleanly: " + check.errors().get(0));
    }

    StringBuilder md = new StringBuilder();
    Out out = s -> {
      System.out.println(s);
      md.append(s).append('\n');
    };
    out.line("# Sightline benchmark: scrape — " + Instant.now());
    out.line("");
    out.line("machine: " + machine());
    out.line("");
    out.line(String.format(Locale.ROOT, "workload: %d loopback endpoints, each on its own port (the scraper's one HTTP"
        + " client keeps a connection per host:port, as with real engines), serving the real vLLM page (%,d bytes,"
        + " %d sample lines, %d points once parsed, histograms whole; %d counter and histogram numbers raised on every"
        + " request), scraped every %s by"
        + " `sightline server --scrape NAME=URL,%s` in its own JVM; %d run(s) each of (a) the server with no targets"
        + " and (b) the server with the %d targets, alternating, each %d s measured after %d s warm-up (two"
        + " intervals); a fresh data directory per run.", targets, page.getBytes(StandardCharsets.UTF_8).length,
        sampleLines(page), check.points().size(), growing.numbers(), intervalText, intervalText, runs,
        targets, seconds, warmup.toSeconds()));
    out.line("");

    Path tmp = Files.createTempDirectory("sightline-bench-scrape");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    List<Run> idle = new ArrayList<>();
    List<Run> scraping = new ArrayList<>();
    try (Endpoints endpoints = new Endpoints(targets, growing)) {
      List<String> scrapeArgs = new ArrayList<>();
      for (int i = 0; i < targets; i++) {
        scrapeArgs.add("--scrape");
        scrapeArgs.add(String.format(Locale.ROOT, "vllm-%02d=http://127.0.0.1:%d/metrics,%s", i, endpoints.port(i),
            intervalText));
      }
      for (int r = 1; r <= runs; r++) {
        idle.add(run(http, tmp.resolve("a-" + r), List.of(), false, r, warmup, interval, seconds, endpoints));
        System.out.println("  " + describe(idle.getLast()));
        scraping.add(run(http, tmp.resolve("b-" + r), scrapeArgs, true, r, warmup, interval, seconds, endpoints));
        System.out.println("  " + describe(scraping.getLast()));
      }
    }

    out.line("## Cost of scraping " + targets + " targets every " + intervalText);
    out.line("");
    out.line("median (min–max) over " + runs + " run(s); cost = (b − a) of each pair of runs.");
    out.line("");
    out.line("| figure | (a) no targets | (b) " + targets + " targets | cost (b − a) |");
    out.line("|---|---:|---:|---:|");
    out.line(row("server CPU, % of one core", idle, scraping, Run::cpuPercent, "%.2f"));
    out.line(String.format(Locale.ROOT, "| server CPU per scrape, ms | – | %s | %s |",
        stat(scraping.stream().mapToDouble(Run::cpuMsPerScrape).toArray(), "%.2f"),
        stat(pairs(idle, scraping, (a, b) -> (b.cpuNanos / b.seconds - a.cpuNanos / a.seconds) / 1e6
            / (b.scrapes / b.seconds)), "%.2f")));
    out.line(row("server RSS at the end, MiB", idle, scraping, x -> x.rssBytes / 1048576.0, "%.0f"));
    out.line(row("points stored per second", idle, scraping, Run::pointsPerSecond, "%,.0f"));
    out.line(row("data directory growth in the window (WAL included), MB/day", idle, scraping, Run::diskMbPerDay,
        "%,.0f"));
    // the store once checkpointed: what the points cost on disk for good, per point, times points per day
    out.line(String.format(Locale.ROOT, "| on disk after checkpoint, bytes per point | – | %s | |",
        stat(pairs(idle, scraping, ScrapeLoadBench::bytesPerPoint), "%.1f")));
    out.line(String.format(Locale.ROOT, "| on disk after checkpoint, MB/day | – | – | %s |",
        stat(pairs(idle, scraping, (a, b) -> bytesPerPoint(a, b) * (b.pointsPerSecond() - a.pointsPerSecond())
            * 86_400 / 1e6), "%,.0f")));
    out.line(String.format(Locale.ROOT, "| scrapes done / failed per run | – | %s / %s | |",
        stat(scraping.stream().mapToDouble(x -> x.scrapes).toArray(), "%.0f"),
        stat(scraping.stream().mapToDouble(x -> x.failures).toArray(), "%.0f")));
    out.line(String.format(Locale.ROOT, "| scrape duration p50 / p99, ms | – | %s / %s | |",
        stat(scraping.stream().mapToDouble(x -> Report.percentile(x.durationsMs, 50)).toArray(), "%.1f"),
        stat(scraping.stream().mapToDouble(x -> Report.percentile(x.durationsMs, 99)).toArray(), "%.1f")));
    out.line(String.format(Locale.ROOT, "| skipped ticks / sink failures per run | – | %s / %s | |",
        stat(scraping.stream().mapToDouble(x -> x.skippedTicks).toArray(), "%.0f"),
        stat(scraping.stream().mapToDouble(x -> x.sinkFailures).toArray(), "%.0f")));
    out.line("");
    out.line("## Each run");
    out.line("");
    out.line("| run | s | CPU s | CPU % | RSS MiB | scrapes | failed | skipped | sink fail | p50 ms | p99 ms"
        + " | points/s | disk MB/h | pages served | points stored | closed store MB |");
    out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int r = 0; r < runs; r++) {
      for (Run x : List.of(idle.get(r), scraping.get(r))) {
        out.line(String.format(Locale.ROOT,
            "| %s%d | %.1f | %.2f | %.2f | %.0f | %d | %d | %d | %d | %s | %s | %,.0f | %.1f | %d | %,d | %.2f |",
            x.scraping ? "b" : "a", x.index, x.seconds, x.cpuNanos / 1e9, x.cpuPercent(), x.rssBytes / 1048576.0,
            x.scrapes, x.failures, x.skippedTicks, x.sinkFailures, ms(Report.percentile(x.durationsMs, 50)),
            ms(Report.percentile(x.durationsMs, 99)), x.pointsPerSecond(), x.diskGrowthBytes / x.seconds * 3600 / 1e6,
            x.served, x.storedPoints, x.closedBytes / 1e6));
      }
    }
    out.line("");
    out.line("CPU: utime+stime of the server process and its descendants from /proc/<pid>/stat (10 ms ticks) over the"
        + " window. Scrape durations: every scrape that started in the window, each seen once (its lastDurationMs"
        + " read from /api/v1/scrape/targets twice per interval, deduplicated by lastScrape), so p99 is over single"
        + " scrapes rather than per-step aggregates of the stored gauge. Points: the sum of `points` from"
        + " /api/v1/metrics/names over the window. Disk: bytes of all files under the data directory at the window's"
        + " end minus its start, extrapolated (DuckDB grows its file in blocks and folds its WAL in at checkpoints,"
        + " so a short window reads in steps); after checkpoint: the data directory once the server has stopped,"
        + " (b) minus (a), per point stored in (b), times (b)'s points per day. The endpoints run in the benchmark's JVM on the same cores; the"
        + " same polling of the targets API runs in both (a) and (b).");
    Path dir = Path.of("bench-results");
    Files.createDirectories(dir);
    Path f = dir.resolve("scrape-" + Instant.now().toString().replace(':', '-') + ".md");
    Files.writeString(f, md);
    System.out.println("(written to " + f + ")");
  }

  interface Out {
    void line(String s);
  }

  /** One server, warmed up, then measured for {@code seconds}. */
  private static Run run(HttpClient http, Path dir, List<String> serverArgs, boolean scraping, int index,
      Duration warmup, Duration interval, int seconds, Endpoints endpoints) throws Exception {
    Files.createDirectories(dir);
    Path data = dir.resolve("data");
    System.out.println((scraping ? "b" : "a") + index + ": starting the server" + (scraping ? " with "
        + serverArgs.size() / 2 + " targets" : " with no targets"));
    try (ServerProcess server = new ServerProcess(data, dir.resolve("server.log"), serverArgs, serverJvmArgs())) {
      URI targetsUri = URI.create("http://127.0.0.1:" + server.httpPort + "/api/v1/scrape/targets");
      Thread.sleep(warmup.toMillis());
      long pid = server.process.pid();
      Health h0 = health(http, targetsUri);
      long disk0 = directoryBytes(data);
      long served0 = endpoints.served();
      Instant t0 = Instant.now();
      long n0 = System.nanoTime();
      long cpu0 = ServerProcess.cpuNanos(pid);
      Map<String, Double> durations = new HashMap<>();
      long pollNanos = interval.toNanos() / 2;
      long end = n0 + TimeUnit.SECONDS.toNanos(seconds);
      for (long next = n0 + pollNanos; ; next += pollNanos) {
        long wait = Math.min(next, end) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (System.nanoTime() >= end) {
          break;
        }
        collect(health(http, targetsUri), t0, durations);
      }
      long cpu1 = ServerProcess.cpuNanos(pid);
      long n1 = System.nanoTime();
      Instant t1 = Instant.now();
      long rss = server.rssBytes();
      long disk1 = directoryBytes(data);
      long served1 = endpoints.served();
      Health h1 = health(http, targetsUri);
      collect(h1, t0, durations);
      // scrapes that started before t1 may still be on their way to the store
      Thread.sleep(Math.min(3_000, interval.toMillis()));
      long points = points(http, server.httpPort, t0, t1);
      long stored = points(http, server.httpPort, null, null);
      server.close();
      return new Run(scraping, index, (n1 - n0) / 1e9, cpu1 - cpu0, rss, h1.scrapes - h0.scrapes,
          h1.failures - h0.failures, h1.skippedTicks - h0.skippedTicks, h1.sinkFailures - h0.sinkFailures,
          Report.sorted(durations.values().stream().mapToDouble(Double::doubleValue).toArray()), points,
          disk1 - disk0, served1 - served0, stored, directoryBytes(data));
    }
  }

  /** The server's JVM options as the {@code sightline} launcher sets them (no heap limit), plus SIGHTLINE_BENCH_SERVER_OPTS. */
  private static String[] serverJvmArgs() {
    List<String> base = new ArrayList<>();
    if (Runtime.version().feature() >= 23) {
      base.add("--sun-misc-unsafe-memory-access=allow");
    }
    return IngestBench.serverJvmArgs(base.toArray(String[]::new));
  }

  private static void collect(Health h, Instant t0, Map<String, Double> durations) {
    h.durations.forEach((name, ms) -> {
      Instant at = h.starts.get(name);
      if (at != null && !at.isBefore(t0)) {
        durations.putIfAbsent(name + "@" + at, ms);
      }
    });
  }

  private static Health health(HttpClient http, URI uri) throws Exception {
    JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    long scrapes = 0;
    long failures = 0;
    long skipped = 0;
    long sink = 0;
    Map<String, Double> durations = new HashMap<>();
    Map<String, Instant> starts = new HashMap<>();
    for (JsonNode t : body.path("targets")) {
      scrapes += t.path("scrapes").asLong();
      failures += t.path("failures").asLong();
      skipped += t.path("skippedTicks").asLong();
      sink += t.path("sinkFailures").asLong();
      if (t.hasNonNull("lastScrape") && t.hasNonNull("lastDurationMs")) {
        String name = t.path("name").asText();
        durations.put(name, t.path("lastDurationMs").asDouble());
        starts.put(name, Instant.parse(t.path("lastScrape").asText()));
      }
    }
    return new Health(scrapes, failures, skipped, sink, durations, starts);
  }

  /** Points stored with a time in [since, until) (all when null), all names. */
  private static long points(HttpClient http, int port, Instant since, Instant until) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/metrics/names?limit=10000" + (since == null ? ""
        : "&since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8) + "&until="
        + URLEncoder.encode(until.toString(), StandardCharsets.UTF_8)));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("metric names: HTTP " + r.statusCode() + ": " + r.body());
    }
    long n = 0;
    for (JsonNode name : JSON.readTree(r.body()).path("names")) {
      n += name.path("points").asLong();
    }
    return n;
  }

  private static long directoryBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a WAL removed while walking
        }
      }).sum();
    }
  }

  private static String row(String figure, List<Run> a, List<Run> b, ToDoubleFunction<Run> f, String fmt) {
    return "| " + figure + " | " + stat(a.stream().mapToDouble(f).toArray(), fmt) + " | "
        + stat(b.stream().mapToDouble(f).toArray(), fmt) + " | "
        + stat(pairs(a, b, (x, y) -> f.applyAsDouble(y) - f.applyAsDouble(x)), fmt) + " |";
  }

  /** The scraping store's checkpointed size beyond the idle one's, per point it holds. */
  private static double bytesPerPoint(Run a, Run b) {
    return b.storedPoints == a.storedPoints ? Double.NaN
        : (double) (b.closedBytes - a.closedBytes) / (b.storedPoints - a.storedPoints);
  }

  interface PairFigure {
    double of(Run a, Run b);
  }

  private static double[] pairs(List<Run> a, List<Run> b, PairFigure f) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.of(a.get(i), b.get(i));
    }
    return out;
  }

  /** Median, and min–max when there is more than one value. */
  static String stat(double[] values, String fmt) {
    double[] s = Report.sorted(values);
    if (s.length == 0) {
      return "–";
    }
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    String m = String.format(Locale.ROOT, fmt, median);
    return s.length == 1 ? m : m + " (" + String.format(Locale.ROOT, fmt, s[0]) + "–"
        + String.format(Locale.ROOT, fmt, s[s.length - 1]) + ")";
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String describe(Run x) {
    return String.format(Locale.ROOT, "%.1f s: CPU %.2f%% of a core, RSS %s, %d scrapes (%d failed, %d skipped,"
        + " %d sink failures), %,.0f points/s", x.seconds, x.cpuPercent(), Report.mib(x.rssBytes), x.scrapes,
        x.failures, x.skippedTicks, x.sinkFailures, x.pointsPerSecond());
  }

  private static int sampleLines(String page) {
    return (int) page.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  /** {@code 5s}, {@code 500ms}, {@code 1m}. */
  static Duration duration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--interval must look like 5s, 500ms or 1m; got '" + s + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  /** Cores, CPU model, memory, JDK, and the load average at the start (other work on the machine shows there). */
  private static String machine() {
    String cpu = "unknown CPU";
    long memKb = -1;
    String load = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
      memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      // leave the defaults: the figures stand without the machine's description
    }
    return String.format(Locale.ROOT, "%d cores, %s, %d GiB RAM, %s %s, %s %s; load average at start %s",
        Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024 / 1024, System.getProperty("java.vendor"),
        Runtime.version(), System.getProperty("os.name"), System.getProperty("os.arch"), load);
  }

  /**
   * The page cut once into its fixed text and the numbers that grow: counters by 7 per request (tokens,
   * say), histogram buckets and counts by 1 (a request in the lowest bucket, so buckets stay cumulative),
   * sums by 0.01; gauges and {@code _created} stay as they are. Rendering is appends only.
   */
  static final class GrowingPage {
    private final String[] text; // text[i] comes before number i; the last one ends the page
    private final double[] base;
    private final double[] step;

    GrowingPage(String page) {
      List<String> parts = new ArrayList<>();
      List<double[]> numbers = new ArrayList<>();
      Map<String, String> types = new HashMap<>();
      StringBuilder fixed = new StringBuilder();
      for (String line : page.split("\n", -1)) {
        String[] f = line.split(" ");
        if (line.startsWith("# TYPE ") && f.length >= 4) {
          types.put(f[2], f[3]);
        }
        int space = line.lastIndexOf(' ');
        double growth = line.startsWith("#") || space < 0 ? 0 : growth(line.substring(0, space), types);
        double value = growth == 0 ? 0 : parse(line.substring(space + 1));
        if (growth == 0 || Double.isNaN(value)) {
          fixed.append(line).append('\n');
          continue;
        }
        parts.add(fixed.append(line, 0, space + 1).toString());
        numbers.add(new double[] {value, growth});
        fixed = new StringBuilder("\n");
      }
      fixed.setLength(fixed.length() - 1); // the split's last piece got a newline the page did not have
      parts.add(fixed.toString());
      this.text = parts.toArray(String[]::new);
      this.base = numbers.stream().mapToDouble(n -> n[0]).toArray();
      this.step = numbers.stream().mapToDouble(n -> n[1]).toArray();
    }

    private static double growth(String series, Map<String, String> types) {
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      // prometheus_client names the counter family with or without its _total
      if (name.endsWith("_total") && ("counter".equals(types.get(name))
          || "counter".equals(types.get(name.substring(0, name.length() - 6))))) {
        return 7;
      }
      for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
        if (name.endsWith(suffix) && "histogram".equals(types.get(name.substring(0, name.length() - suffix.length())))) {
          return suffix.equals("_sum") ? 0.01 : 1;
        }
      }
      return 0;
    }

    private static double parse(String v) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return Double.NaN; // +Inf and the like stay in the fixed text
      }
    }

    int numbers() {
      return base.length;
    }

    byte[] render(long request) {
      StringBuilder sb = new StringBuilder(24_576);
      for (int i = 0; i < base.length; i++) {
        sb.append(text[i]);
        double v = base[i] + step[i] * request;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          sb.append((long) v).append(".0");
        } else {
          sb.append(v);
        }
      }
      sb.append(text[base.length]);
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** N JDK HTTP servers, one per loopback port, sharing two worker threads; each counts its own requests. */
  static final class Endpoints implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-exposition");
      t.setDaemon(true);
      return t;
    });
    private final AtomicLong served = new AtomicLong();

    Endpoints(int n, GrowingPage page) throws IOException {
      for (int i = 0; i < n; i++) {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicLong requests = new AtomicLong();
        s.createContext("/metrics", ex -> {
          try (ex) {
            byte[] body = page.render(requests.incrementAndGet());
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(body);
            }
            served.incrementAndGet();
          }
        });
        s.setExecutor(workers);
        s.start();
        servers.add(s);
      }
    }

    int port(int i) {
      return servers.get(i).getAddress().getPort();
    }

    long served() {
      return served.get();
    }

    @Override
    public void close() {
      servers.forEach(s -> s.stop(0));
      workers.shutdownNow();
    }
  }
}
