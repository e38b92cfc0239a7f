package dev.sightline.bench;

import dev.sightline.evaluators.EvaluationPolicy;
import dev.sightline.evaluators.Evaluations;
import dev.sightline.evaluators.Evaluator;
import dev.sightline.evaluators.EvaluatorCatalog;
import dev.sightline.evaluators.EvaluatorSettings;
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
import dev.sightline.model.Usage;
import dev.sightline.store.DuckDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluator throughput on 2 cores: RAG calls (three retrieved passages, a four-sentence answer,
 * one in four with a wrong number or an invented promise) stored in a real DuckDB store, then
 * judged by the evaluator runtime as the server runs it (trace read from the store, context
 * collected, every evaluator, scores handed on), with 1 and 2 evaluator threads, with and without
 * sentence embeddings. Calls/s is the whole pipeline; per-evaluator ms comes from its counters.
 */
public final class EvaluatorBench {
  private static final String[][] PASSAGES = {
      {"Refund policy", "Unused items can be returned within %d days of delivery for a full refund. Refunds go back"
          + " to the original payment method within 5 business days. Gift cards are non-refundable."},
      {"Shipping", "Standard shipping takes 3 to 5 business days. Express shipping costs $%d and arrives in 1 to 2"
          + " business days. Orders over $50 ship free within the country."},
      {"Warranty", "Electronics carry a %d-month limited warranty covering manufacturing defects. Accidental damage"
          + " and water damage are not covered. Claims need the original receipt."}};
  private static final String[] FAITHFUL = {
      "You can return unused items within %d days of delivery and get a full refund.",
      "The refund goes back to the card you paid with within five business days.",
      "Express shipping costs $%d and takes one to two business days.",
      "Electronics have a %d-month warranty for manufacturing defects, but water damage is not covered."};
  private static final String[] WRONG = {
      "You can return unused items within %d days of delivery and get a full refund.",
      "Gift cards can also be refunded if you ask support within a week.",
      "Express shipping costs $%d and takes one to two business days.",
      "Electronics have a %d-month warranty for manufacturing defects, but water damage is not covered."};

  public static void main(String[] args) throws Exception {
    int calls = IngestBench.intArg(args, "--calls", 2000);
    String threadList = IngestBench.stringArg(args, "--threads") == null ? "1,2" : IngestBench.stringArg(args, "--threads");
    Report report = new Report("evaluators");
    report.line("workload: " + calls + " stored RAG calls (3 passages, 4-sentence answer, 1 in 4 with an error);"
        + " evaluators groundedness, commitment, injection; the runtime reads each trace back from DuckDB");
    Path dir = Files.createTempDirectory("sightline-bench-evaluators");
    try (DuckDbStore store = DuckDbStore.open(dir)) {
      List<TelemetryBatch> batches = traces(calls);
      for (TelemetryBatch b : batches) {
        store.write(List.of(b));
      }
      for (boolean embeddings : new boolean[] {false, true}) {
        List<Evaluator> evaluators = EvaluatorCatalog.create(EvaluatorCatalog.NAMES, embeddings);
        for (String t : threadList.split(",")) {
          int threads = Integer.parseInt(t.trim());
          // warm-up: a tenth of the calls, so the JIT and the model's first runs are not measured
          run(store, batches.subList(0, Math.max(1, batches.size() / 10)), evaluators, threads);
          Result r = run(store, batches, evaluators, threads);
          report.line(String.format("%-9s %d thread%s: %,.0f calls/s (%,d calls in %.1f s; %,d scores, %,d flagged)",
              embeddings ? "embedded" : "lexical", threads, threads == 1 ? " " : "s", r.calls / r.seconds, r.calls,
              r.seconds, r.scores, r.flagged));
          StringBuilder per = new StringBuilder("            mean per call:");
          r.msPerCall.forEach((k, v) -> per.append(String.format(" %s %.2f ms;", k, v)));
          report.line(per.toString());
        }
      }
    }
    report.save();
  }

  private record Result(long calls, double seconds, long scores, long flagged, Map<String, Double> msPerCall) {}

  private static Result run(DuckDbStore store, List<TelemetryBatch> batches, List<Evaluator> evaluators, int threads)
      throws InterruptedException {
    AtomicLong scores = new AtomicLong();
    AtomicLong flagged = new AtomicLong();
    EvaluatorSettings settings = new EvaluatorSettings(EvaluationPolicy.ALL, batches.size() + 1, threads, Duration.ZERO);
    try (Evaluations ev = new Evaluations(store, s -> {
      scores.addAndGet(s.size());
      s.forEach(x -> {
        if (Boolean.TRUE.equals(x.flagged())) {
          flagged.incrementAndGet();
        }
      });
    }, evaluators, settings)) {
      long t0 = System.nanoTime();
      ev.stored(batches);
      if (!ev.awaitIdle(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("evaluators did not finish");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> ms = new LinkedHashMap<>();
      Map<String, Long> runs = ev.counters().runs();
      ev.counters().nanos().forEach((k, v) -> ms.put(k, v / 1e6 / Math.max(1, runs.getOrDefault(k, 1L))));
      return new Result(ev.counters().evaluatedCalls(), seconds, scores.get(), flagged.get(), ms);
    }
  }

  /** One trace per call: root, retrieval span with three documents, the LLM call with its answer. */
  private static List<TelemetryBatch> traces(int calls) {
    Random random = new Random(42);
    long t0 = System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L;
    List<TelemetryBatch> out = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String trace = String.format("%016x%016x", 0xe7a1L, i);
      int days = 7 + random.nextInt(60);
      int express = 5 + random.nextInt(30);
      int months = 6 + random.nextInt(30);
      long start = t0 + i * 1_000_000L;
      Map<String, Object> docs = new LinkedHashMap<>();
      docs.put("openinference.span.kind", "RETRIEVER");
      int[] values = {days, express, months};
      for (int d = 0; d < PASSAGES.length; d++) {
        docs.put("retrieval.documents." + d + ".document.id", PASSAGES[d][0]);
        docs.put("retrieval.documents." + d + ".document.content", String.format(PASSAGES[d][1], values[d]));
      }
      boolean wrong = i % 4 == 3;
      String answer = String.join(" ", List.of(
          String.format((wrong ? WRONG : FAITHFUL)[0], wrong && i % 8 == 3 ? days + 16 : days),
          (wrong ? WRONG : FAITHFUL)[1], String.format((wrong ? WRONG : FAITHFUL)[2], express),
          String.format((wrong ? WRONG : FAITHFUL)[3], months)));
      Span root = Span.received(trace, "00000000000000a1", null, "POST /chat", SpanKind.SERVER, start,
          start + 3_000_000_000L, SpanStatus.OK, null, "bench", "bench", Map.of(), Map.of(), List.of())
          .withNormalized(SpanCategory.WORKFLOW, null, List.of());
      Span retrieval = Span.received(trace, "00000000000000b1", "00000000000000a1", "vector-search", SpanKind.INTERNAL,
          start + 10_000_000L, start + 200_000_000L, SpanStatus.OK, null, "bench", "bench", docs, Map.of(), List.of())
          .withNormalized(SpanCategory.RETRIEVAL, null, List.of());
      String in = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What are your return, shipping and"
          + " warranty terms?\"}]}]";
      String outMsg = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + answer
          + "\"}],\"finish_reason\":\"stop\"}]";
      LlmCall call = new LlmCall("openai", "chat", "gpt-4o-mini", "gpt-4o-mini", false,
          Usage.reported(900, 0, 0, 0, 80, 0), new Timing(start + 300_000_000L, start + 2_000_000_000L, null, null,
              null, null), null, new Outcome(CallStatus.OK, 200, null, List.of("stop")),
          new CallContext(trace, "00000000000000c1", "bench", "POST /chat", null, null, null, null, List.of()),
          new Content(in, outMsg, null, null));
      Span llm = Span.received(trace, "00000000000000c1", "00000000000000a1", "chat gpt-4o-mini", SpanKind.CLIENT,
          start + 300_000_000L, start + 2_000_000_000L, SpanStatus.OK, null, "bench", "bench", Map.of(), Map.of(),
          List.of()).withNormalized(SpanCategory.LLM, call, List.of());
      out.add(TelemetryBatch.ofSpans("bench", List.of(root, retrieval, llm)));
    }
    return out;
  }
}
