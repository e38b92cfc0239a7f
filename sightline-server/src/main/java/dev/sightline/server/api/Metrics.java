package dev.sightline.server.api;

import dev.sightline.evaluators.EvaluationCounters;
import dev.sightline.evaluators.Evaluations;
import dev.sightline.pipeline.CommitStats;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.PiiCounters;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.scrape.TargetHealth;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Sightline's own metrics in the Prometheus text format: what came in, what was kept, how fast. */
final class Metrics {
  private final IngestCounters counters;
  private final Pipeline pipeline;
  private final Evaluations evaluations;
  private final PiiCounters pii;
  private final java.util.function.Supplier<java.util.List<TargetHealth>> scrapeHealth;

  private final java.util.List<java.util.function.Supplier<String>> sections =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A section appended to every render, from a part of the server this class does not know. */
  void add(java.util.function.Supplier<String> section) {
    sections.add(section);
  }

  Metrics(IngestCounters counters, Pipeline pipeline, Evaluations evaluations, PiiCounters pii,
      java.util.function.Supplier<java.util.List<TargetHealth>> scrapeHealth) {
    this.scrapeHealth = scrapeHealth;
    this.counters = counters;
    this.pipeline = pipeline;
    this.evaluations = evaluations;
    this.pii = pii;
  }

  String render() {
    StringBuilder b = new StringBuilder(4096);
    for (IngestCounters.Outcome outcome : IngestCounters.Outcome.values()) {
      for (String signal : new String[] {"spans", "logs", "metrics", "scores"}) {
        String unit = signal.equals("metrics") ? "metric_points" : signal;
        String name = "sightline_" + unit + "_" + outcome.name().toLowerCase(Locale.ROOT) + "_total";
        b.append("# HELP ").append(name).append(' ').append(help(unit, outcome)).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        Map<String, Long> byReceiver = new TreeMap<>();
        for (Map.Entry<IngestCounters.Key, LongAdder> e : counters.counts().entrySet()) {
          if (e.getKey().outcome() == outcome && e.getKey().signal().equals(signal)) {
            byReceiver.merge(e.getKey().receiver(), e.getValue().sum(), Long::sum);
          }
        }
        for (Map.Entry<String, Long> e : byReceiver.entrySet()) {
          b.append(name).append("{receiver=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
      }
    }
    counter(b, "sightline_requests_total", "Requests received, by receiver.", counters.requests());
    counter(b, "sightline_request_bytes_total", "Request body bytes received (as sent, before decompression), by receiver.",
        counters.bytes());
    gauge(b, "sightline_queue_records", "Records accepted and waiting to be committed.", pipeline.queuedRecords());
    gauge(b, "sightline_queue_capacity_records", "Records the queue holds before senders are told to retry.",
        pipeline.config().queueCapacityRecords());
    CommitStats c = pipeline.commitStats();
    b.append("# HELP sightline_commit_duration_seconds Time to write and commit one group of batches.\n");
    b.append("# TYPE sightline_commit_duration_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < CommitStats.BOUNDS.length; i++) {
      cumulative += c.bucket(i);
      b.append("sightline_commit_duration_seconds_bucket{le=\"").append(CommitStats.BOUNDS[i]).append("\"} ")
          .append(cumulative).append('\n');
    }
    cumulative += c.bucket(CommitStats.BOUNDS.length);
    b.append("sightline_commit_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    b.append("sightline_commit_duration_seconds_sum ").append(c.sumSeconds()).append('\n');
    b.append("sightline_commit_duration_seconds_count ").append(c.count()).append('\n');
    b.append("# HELP sightline_commit_failures_total Group commits that failed (their senders were told to retry).\n");
    b.append("# TYPE sightline_commit_failures_total counter\n");
    b.append("sightline_commit_failures_total ").append(c.failures()).append('\n');
    if (evaluations != null) {
      evaluations(b, evaluations);
    }
    if (pii != null) {
      b.append("# HELP sightline_pii_masked_total Personal data masked in content before storage, by kind.\n");
      b.append("# TYPE sightline_pii_masked_total counter\n");
      for (Map.Entry<String, Long> e : pii.snapshot().entrySet()) {
        b.append("sightline_pii_masked_total{kind=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
      }
      single(b, "sightline_pii_dropped_fields_total", "counter",
          "Content fields not stored because --pii is drop.", pii.droppedFields());
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    gauge(b, "sightline_jvm_heap_used_bytes", "JVM heap in use.", heap.getUsed());
    gauge(b, "sightline_jvm_heap_max_bytes", "JVM heap limit.", heap.getMax());
    long rss = residentBytes();
    if (rss >= 0) {
      gauge(b, "sightline_process_resident_memory_bytes", "Resident set size of the Sightline process.", rss);
    }
    scrapes(b, scrapeHealth.get());
    sections.forEach(s -> b.append(s.get()));
    return b.toString();
  }

  /** Each scrape target's health, labelled by target: up, how long the last scrape took, what it read. */
  private static void scrapes(StringBuilder b, java.util.List<TargetHealth> targets) {
    if (targets.isEmpty()) {
      return;
    }
    scrapeFamily(b, "sightline_scrape_up", "gauge", "1 when the target's last scrape succeeded, else 0.", targets,
        t -> t.up() ? "1" : "0");
    scrapeFamily(b, "sightline_scrape_duration_seconds", "gauge", "How long the target's last scrape took.", targets,
        t -> t.lastDurationMs() == null ? null : String.valueOf(t.lastDurationMs() / 1000.0));
    scrapeFamily(b, "sightline_scrape_samples", "gauge", "Samples the target's last scrape read.", targets,
        t -> String.valueOf(t.samples()));
    scrapeFamily(b, "sightline_scrape_scrapes_total", "counter", "Scrapes of the target finished.", targets,
        t -> String.valueOf(t.scrapes()));
    scrapeFamily(b, "sightline_scrape_failures_total", "counter", "Scrapes of the target that failed.", targets,
        t -> String.valueOf(t.failures()));
    scrapeFamily(b, "sightline_scrape_skipped_ticks_total", "counter",
        "Scrapes of the target skipped because the previous one was still running.", targets,
        t -> String.valueOf(t.skippedTicks()));
    scrapeFamily(b, "sightline_scrape_sink_failures_total", "counter",
        "Scraped batches the pipeline refused (queue full) or failed to store.", targets,
        t -> String.valueOf(t.sinkFailures()));
  }

  private static void scrapeFamily(StringBuilder b, String name, String type, String help,
      java.util.List<TargetHealth> targets, java.util.function.Function<TargetHealth, String> value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    for (TargetHealth t : targets) {
      String v = value.apply(t);
      if (v != null) {
        // target names are [A-Za-z0-9_.-]: nothing to escape in the label value
        b.append(name).append("{target=\"").append(t.name()).append("\",kind=\"").append(t.kind()).append("\"} ")
            .append(v).append('\n');
      }
    }
  }

  private static void evaluations(StringBuilder b, Evaluations e) {
    EvaluationCounters c = e.counters();
    single(b, "sightline_evaluation_calls_offered_total", "counter", "LLM calls offered to the evaluators after their commit.",
        c.offered());
    single(b, "sightline_evaluation_calls_skipped_total", "counter",
        "LLM calls not evaluated because they have no answer to judge (failed calls, embeddings).", c.skipped());
    single(b, "sightline_evaluation_calls_sampled_out_total", "counter",
        "LLM calls left out by the evaluation sampling rate of their route or service.", c.sampledOut());
    single(b, "sightline_evaluation_calls_dropped_total", "counter",
        "LLM calls not evaluated because the evaluation queue was full.", c.queueFull());
    single(b, "sightline_evaluation_calls_evaluated_total", "counter", "LLM calls the evaluators judged.",
        c.evaluatedCalls());
    single(b, "sightline_evaluation_queue_calls", "gauge", "LLM calls waiting to be evaluated.", e.queued());
    single(b, "sightline_evaluation_queue_capacity_calls", "gauge", "LLM calls the evaluation queue holds.",
        e.settings().queueCapacity());
    single(b, "sightline_evaluation_scores_written_total", "counter", "Scores the evaluators handed to the store.",
        c.scoresWritten());
    single(b, "sightline_evaluation_scores_dropped_total", "counter",
        "Scores lost because the ingest queue refused them.", c.scoresDropped());
    labelled(b, "sightline_evaluator_runs_total", "counter", "Evaluator runs, by evaluator.", c.runs(), 1);
    labelled(b, "sightline_evaluator_seconds_total", "counter", "Time spent in each evaluator.", c.nanos(), 1e-9);
    b.append("# HELP sightline_evaluator_paused_seconds_total Time the evaluator threads paused to stay within their"
        + " CPU share (--eval-cpu).\n# TYPE sightline_evaluator_paused_seconds_total counter\n"
        + "sightline_evaluator_paused_seconds_total ").append(c.pausedNanos() * 1e-9).append('\n');
    labelled(b, "sightline_evaluator_not_evaluated_total", "counter",
        "Calls an evaluator could not judge (the reason is on the score), by evaluator.", c.notEvaluatedByEvaluator(), 1);
    labelled(b, "sightline_evaluator_failures_total", "counter", "Evaluator runs that threw, by evaluator.",
        c.failuresByEvaluator(), 1);
  }

  private static void single(StringBuilder b, String name, String type, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    b.append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(StringBuilder b, String name, String type, String help, Map<String, Long> values,
      double scale) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    for (Map.Entry<String, Long> v : values.entrySet()) {
      b.append(name).append("{evaluator=\"").append(v.getKey()).append("\"} ")
          .append(scale == 1 ? String.valueOf(v.getValue()) : String.valueOf(v.getValue() * scale)).append('\n');
    }
  }

  private static String help(String unit, IngestCounters.Outcome outcome) {
    String what = unit.replace('_', ' ');
    return switch (outcome) {
      case RECEIVED -> what + " received, by receiver.";
      case REJECTED -> what + " rejected as unusable (reported back as partial success), by receiver.";
      case DROPPED -> what + " refused because the ingest queue was full (the sender was told to retry), by receiver.";
      case STORED -> what + " committed to the store, by receiver.";
    };
  }

  private static void counter(StringBuilder b, String name, String help, Map<String, LongAdder> byReceiver) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(byReceiver).entrySet()) {
      b.append(name).append("{receiver=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n');
    }
  }

  private static void gauge(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  /** VmRSS from /proc (Linux); -1 elsewhere. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
