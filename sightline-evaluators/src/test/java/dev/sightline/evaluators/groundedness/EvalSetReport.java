package dev.sightline.evaluators.groundedness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.embeddings.SentenceEmbedder;
import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the groundedness evaluator over the labelled set in {@code groundedness-eval/} and prints
 * balanced accuracy, precision and recall for "hallucinated", recall per error type and the false
 * positive rate, per split, with and without embeddings.
 */
public final class EvalSetReport {

  /** One labelled record. */
  record Example(String id, String domain, List<ContextPassage> context, String question, String answer,
      boolean hallucinated, String errorType, String split) {}

  /** The outcome of one configuration on one subset. */
  record Figures(int n, int tp, int fp, int tn, int fn, Map<String, int[]> byType) {
    double recall() {
      return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    }

    double precision() {
      return tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    }

    double falsePositiveRate() {
      return fp + tn == 0 ? 0 : fp / (double) (fp + tn);
    }

    double balancedAccuracy() {
      return (recall() + (1 - falsePositiveRate())) / 2;
    }
  }

  /** The first set (dev / test splits; both were used to tune). */
  static List<Example> load() {
    return load("/groundedness-eval/groundedness-eval.jsonl");
  }

  /**
   * The held-out set, written later by someone who had not seen the detector; its split is
   * {@code heldout-a} for even scenarios (read once for error analysis after the first measurement)
   * and {@code heldout-b} for odd ones (never looked at: the honest figure).
   */
  static List<Example> loadHeldOut() {
    List<Example> out = new ArrayList<>();
    for (Example e : load("/groundedness-heldout/groundedness-heldout.jsonl")) {
      int scenario = Integer.parseInt(e.id().split("-")[1]);
      out.add(new Example(e.id(), e.domain(), e.context(), e.question(), e.answer(), e.hallucinated(), e.errorType(),
          scenario % 2 == 0 ? "heldout-a" : "heldout-b"));
    }
    return out;
  }

  /**
   * The fresh set, written after version 1.1 by someone who had seen neither the detector nor the
   * other sets, and first measured only after version 1.2 was finished: the honest figure.
   */
  static List<Example> loadFresh() {
    return load("/groundedness-fresh/groundedness-fresh.jsonl");
  }

  private static List<Example> load(String resource) {
    ObjectMapper json = new ObjectMapper();
    List<Example> out = new ArrayList<>();
    try (var in = EvalSetReport.class.getResourceAsStream(resource);
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode r = json.readTree(line);
        List<ContextPassage> ctx = new ArrayList<>();
        for (JsonNode p : r.get("context")) {
          ctx.add(new ContextPassage("retrieval", "span-" + ctx.size(), p.get("title").asText(),
              p.get("text").asText()));
        }
        out.add(new Example(r.get("id").asText(), r.get("domain").asText(), ctx, r.get("question").asText(),
            r.get("answer").asText(), "hallucinated".equals(r.get("label").asText()),
            r.get("errorType").isNull() ? null : r.get("errorType").asText(), r.get("split").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Score judge(GroundednessEvaluator evaluator, Example e) {
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o", null, null, null, null, null, null,
        new CallContext("trace-" + e.id(), "span-" + e.id(), "eval", null, null, null, null, null, null), null);
    return evaluator.evaluate(new EvaluationInput(call, e.answer(), e.question(), e.context())).get(0);
  }

  static Figures measure(GroundednessEvaluator evaluator, List<Example> examples) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    Map<String, int[]> byType = new LinkedHashMap<>();
    for (Example e : examples) {
      Score s = judge(evaluator, e);
      boolean flagged = Boolean.TRUE.equals(s.flagged());
      if (e.hallucinated()) {
        int[] t = byType.computeIfAbsent(e.errorType(), k -> new int[2]);
        t[1]++;
        if (flagged) {
          tp++;
          t[0]++;
        } else {
          fn++;
        }
      } else if (flagged) {
        fp++;
      } else {
        tn++;
      }
    }
    return new Figures(examples.size(), tp, fp, tn, fn, byType);
  }

  static String row(String config, String split, Figures f) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%-10s %-9s %4d  bal.acc %.3f  prec %.3f  recall %.3f  FPR %.3f  |", config, split, f.n(),
        f.balancedAccuracy(), f.precision(), f.recall(), f.falsePositiveRate()));
    for (String type : List.of("number", "entity", "invented", "negation")) {
      int[] t = f.byType().getOrDefault(type, new int[2]);
      b.append(String.format(Locale.ROOT, " %s %d/%d", type, t[0], t[1]));
    }
    return b.toString();
  }

  /** The report as text: one row per configuration and split. */
  static String report(boolean withEmbeddings) {
    List<Example> all = load();
    StringBuilder out = new StringBuilder();
    out.append("groundedness eval set: ").append(all.size()).append(" records\n");
    List<String> configs = new ArrayList<>(List.of("lexical"));
    SentenceEmbedder embedder = null;
    if (withEmbeddings) {
      try {
        embedder = SentenceEmbedder.load();
        configs.add("embedded");
      } catch (RuntimeException | LinkageError e) {
        out.append("(embeddings unavailable: ").append(e.getMessage()).append(")\n");
      }
    }
    for (String config : configs) {
      GroundednessEvaluator evaluator = new GroundednessEvaluator(config.equals("lexical") ? null : embedder);
      for (String split : List.of("dev", "test", "all")) {
        List<Example> subset = all.stream().filter(e -> split.equals("all") || e.split().equals(split)).toList();
        out.append(row(config, split, measure(evaluator, subset))).append('\n');
      }
      List<Example> heldOut = loadHeldOut();
      for (String split : List.of("heldout-a", "heldout-b", "heldout")) {
        List<Example> subset = heldOut.stream().filter(e -> e.split().startsWith(split)).toList();
        out.append(row(config, split, measure(evaluator, subset))).append('\n');
      }
      out.append(row(config, "fresh", measure(evaluator, loadFresh()))).append('\n');
    }
    if (embedder != null) {
      embedder.close();
    }
    return out.toString();
  }

  public static void main(String[] args) {
    boolean verbose = args.length > 0 && args[0].equals("--errors");
    System.out.print(report(true));
    if (verbose) {
      GroundednessEvaluator evaluator = new GroundednessEvaluator();
      String split = args.length > 1 ? args[1] : "dev";
      for (Example e : load()) {
        if (!e.split().equals(split)) {
          continue;
        }
        Score s = judge(evaluator, e);
        if (Boolean.TRUE.equals(s.flagged()) != e.hallucinated()) {
          System.out.println((e.hallucinated() ? "MISS " + e.errorType() : "FALSE ALARM") + " " + e.id() + ": "
              + e.answer() + "\n    -> " + s.explanation());
        }
      }
    }
  }
}
