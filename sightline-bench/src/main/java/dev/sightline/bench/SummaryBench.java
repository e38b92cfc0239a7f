package dev.sightline.bench;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.store.DuckDbStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code GET /api/v1/llm/summary} over millions of stored LLM calls. The calls are written through
 * the store's real write path (once; a later run reuses the data dir), spread over the last 7 days
 * across 12 models, 5 providers, 6 services and 8 routes with 3 % errors; then a server in its own
 * JVM answers the summary for each groupBy, timed from the client.
 */
public final class SummaryBench {
  private static final String[][] MODELS = {
      {"openai", "gpt-4o-2024-08-06"}, {"openai", "gpt-4o-mini-2024-07-18"}, {"openai", "o3-mini-2025-01-31"},
      {"openai", "gpt-5-mini"}, {"anthropic", "claude-sonnet-4-20250514"}, {"anthropic", "claude-sonnet-4-5"},
      {"aws.bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"}, {"gcp.gemini", "gemini-2.5-flash"},
      {"gcp.gemini", "gemini-2.5-pro"}, {"openai", "text-embedding-3-small"}, {"vllm", "acme/support-llama-3.1-8b-ft"},
      {"vllm", "meta-llama/Llama-3.1-70B-Instruct"}};
  private static final String[] SERVICES = {"support-bot", "search-api", "doc-summarizer", "agent-runner", "billing-assistant", "ingest"};
  private static final String[] ROUTES = {"POST /chat", "GET /search", "POST /summarize", "POST /agent/run",
      "POST /ask", "GET /suggest", "POST /classify", "POST /embed"};

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(arg(args, "--calls", "10000000"));
    int queries = Integer.parseInt(arg(args, "--queries", "40"));
    Path dataDir = Path.of(arg(args, "--data-dir", "bench-data/summary-" + calls));
    Report report = new Report("summary");
    fill(report, dataDir, calls);
    try (ServerProcess server = new ServerProcess(dataDir, Files.createTempFile("sightline-summary", ".log"),
        IngestBench.serverJvmArgs("-Xmx2g"))) {
      HttpClient http = HttpClient.newHttpClient();
      report.line("server RSS after start: " + Report.mib(server.rssBytes()));
      List<Double> all = new ArrayList<>();
      for (String groupBy : new String[] {"model", "provider", "service", "route"}) {
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort + "/api/v1/llm/summary?groupBy=" + groupBy
            + "&since=-30d");
        String body = "";
        for (int i = 0; i < 3; i++) {
          body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        double[] t = new double[queries];
        for (int i = 0; i < queries; i++) {
          long t0 = System.nanoTime();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
          t[i] = (System.nanoTime() - t0) / 1e6;
          if (r.statusCode() != 200) {
            throw new IllegalStateException("summary failed: " + r.statusCode() + " " + r.body());
          }
          all.add(t[i]);
        }
        double[] s = Report.sorted(t);
        report.line(String.format("GET /api/v1/llm/summary?groupBy=%-8s over %,d calls: p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d queries)",
            groupBy, calls, Report.percentile(s, 50), Report.percentile(s, 95), s[s.length - 1], queries));
        if (groupBy.equals("model")) {
          report.line("  answer (first 300 chars): " + body.substring(0, Math.min(300, body.length())));
        }
      }
      double[] s = Report.sorted(all.stream().mapToDouble(Double::doubleValue).toArray());
      report.line(String.format("all groupBys: p95 %.0f ms (target ≤ 300 ms)", Report.percentile(s, 95)));
      report.line("server RSS after queries: " + Report.mib(server.rssBytes()) + ", VmHWM " + Report.mib(server.peakRssBytes())
          + " (JVM -Xmx2g)");
    }
    report.save();
  }

  static void fill(Report report, Path dataDir, long calls) throws Exception {
    try (DuckDbStore store = DuckDbStore.open(dataDir)) {
      long have = store.callCount();
      if (have >= calls) {
        report.line(String.format("reusing %s with %,d stored calls", dataDir, have));
        return;
      }
      CostCalculator pricer = new CostCalculator(PriceCatalog.bundled());
      SplittableRandom rnd = new SplittableRandom(42 + have);
      long now = System.currentTimeMillis() * 1_000_000L;
      long week = 7L * 24 * 3600 * 1_000_000_000L;
      long t0 = System.nanoTime();
      long written = have;
      int batchSize = 50_000;
      while (written < calls) {
        int n = (int) Math.min(batchSize, calls - written);
        List<Span> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long id = written + i;
          String[] m = MODELS[rnd.nextInt(MODELS.length)];
          long start = now - rnd.nextLong(week);
          long duration = 200_000_000L + rnd.nextLong(8_000_000_000L);
          boolean error = rnd.nextInt(100) < 3;
          long in = 100 + rnd.nextInt(6000);
          long cached = rnd.nextBoolean() ? in / 3 : 0;
          long out = error ? 0 : 20 + rnd.nextInt(900);
          long reasoning = m[1].startsWith("o3") ? out / 2 : 0;
          Usage usage = Usage.reported(in - cached, cached, 0, 0, out - reasoning, reasoning);
          Timing timing = new Timing(start, start + duration, error ? null : Math.min(duration / 3, 150_000_000L
              + rnd.nextLong(900_000_000L)), TtftSource.TIME_TO_FIRST_CHUNK, null, null);
          String traceId = String.format("%016x%016x", 0xbe9cL, id);
          String spanId = String.format("%016x", id * 2 + 1);
          String service = SERVICES[rnd.nextInt(SERVICES.length)];
          CallContext ctx = new CallContext(traceId, spanId, service, ROUTES[rnd.nextInt(ROUTES.length)],
              "sess-" + rnd.nextInt(50_000), "user-" + rnd.nextInt(5_000), null, null, List.of());
          Outcome outcome = error ? new Outcome(CallStatus.ERROR, rnd.nextBoolean() ? 429 : 500, "http_error", List.of())
              : new Outcome(CallStatus.OK, 200, null, List.of("stop"));
          LlmCall call = pricer.price(new LlmCall(m[0], "chat", m[1], m[1], true, usage, timing, null, outcome, ctx,
              Content.NONE));
          spans.add(new Span(traceId, spanId, null, "chat " + m[1], SpanKind.CLIENT, start, start + duration,
              error ? SpanStatus.ERROR : SpanStatus.OK, null, service, "bench", Map.of("gen_ai.request.model", m[1]),
              Map.of(), List.of(), SpanCategory.LLM, call, List.of()));
        }
        store.write(List.of(TelemetryBatch.ofSpans("bench", spans)));
        written += n;
        double s = (System.nanoTime() - t0) / 1e9;
        double rate = (written - have) / s;
        System.err.printf("\rfilling: %,d / %,d calls (%.0f%%), %,.0f calls/s, ~%.0f s left   ", written, calls,
            100.0 * written / calls, rate, (calls - written) / rate);
      }
      System.err.println();
      report.line(String.format("filled %s with %,d calls through the store's write path in %.0f s",
          dataDir, calls - have, (System.nanoTime() - t0) / 1e9));
    }
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
