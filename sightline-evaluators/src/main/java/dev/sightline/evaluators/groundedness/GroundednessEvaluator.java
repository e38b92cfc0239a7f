package dev.sightline.evaluators.groundedness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.embeddings.SentenceEmbedder;
import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.evaluators.OneScoreEvaluator;
import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Sentence;
import dev.sightline.evaluators.text.SentenceSplitter;
import dev.sightline.model.Score;
import dev.sightline.evaluators.text.Terms;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Hallucination check without a paid judge: each answer sentence is checked against the call's
 * context (retrieved passages, tool results, the user's own statements) for its facts, its polarity,
 * its commitments and its overlap, and the score is the share of checkable sentences supported.
 */
public final class GroundednessEvaluator extends OneScoreEvaluator {

  public static final String NAME = "groundedness";
  public static final String VERSION = "1.2";
  /** Answer sentences beyond this count are not checked (the details stay bounded). */
  static final int MAX_ANSWER_SENTENCES = 100;
  static final int MAX_PASSAGE_EXCERPT = 500;
  private static final int MAX_ANSWER_CHARS = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SentenceEmbedder embedder;

  /** Lexical similarity only. */
  public GroundednessEvaluator() {
    this(null);
  }

  /** @param embedder sentence embeddings to blend into similarity; null for lexical only */
  public GroundednessEvaluator(SentenceEmbedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION + (embedder == null ? "-lexical" : "-embedded");
  }

  @Override
  protected Score judge(EvaluationInput input, String traceId, String spanId) {
    if (input == null) {
      return notEvaluated(null, null, "no input");
    }
    String answer = ContextIndex.clean(input.answer());
    if (answer.length() > MAX_ANSWER_CHARS) {
      answer = answer.substring(0, MAX_ANSWER_CHARS);
    }
    if (answer.isBlank()) {
      return notEvaluated(traceId, spanId, "empty answer");
    }
    List<ContextPassage> passages = new ArrayList<>();
    for (ContextPassage p : input.context()) {
      if (p != null && !p.text().isBlank()) {
        passages.add(p);
      }
    }
    if (!input.prompt().isBlank()) {
      passages.add(new ContextPassage("prompt", spanId, "prompt", input.prompt()));
    }
    ContextIndex context = new ContextIndex(passages);
    if (context.entries.isEmpty()) {
      return notEvaluated(traceId, spanId, "no context to check against");
    }
    List<Sentence> sentences = SentenceSplitter.split(answer, MAX_ANSWER_SENTENCES + 1);
    boolean answerTruncated = sentences.size() > MAX_ANSWER_SENTENCES;
    if (answerTruncated) {
      sentences = sentences.subList(0, MAX_ANSWER_SENTENCES);
    }
    SimilarityModel similarity = new SimilarityModel(context, sentences.stream().map(Sentence::plain).toList(),
        embedder);
    List<Fact> answerFacts = new ArrayList<>();
    for (Sentence s : sentences) {
      answerFacts.addAll(FactExtractor.extract(s.plain()));
    }
    ClaimChecker checker = new ClaimChecker(context, similarity, new HashSet<>(Terms.of(input.prompt())),
        answerFacts);
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      verdicts.add(checker.check(sentences.get(i), i));
    }
    int checkable = 0;
    int supported = 0;
    Verdict firstBad = null;
    int bad = 0;
    for (Verdict v : verdicts) {
      if (v.supported() == null) {
        continue;
      }
      checkable++;
      if (v.supported()) {
        supported++;
      } else {
        bad++;
        if (firstBad == null) {
          firstBad = v;
        }
      }
    }
    if (checkable == 0) {
      return notEvaluated(traceId, spanId, "the answer states nothing checkable");
    }
    String note = (context.truncated ? " Context truncated to its first " + context.entries.size()
        + " sentences." : "") + (answerTruncated ? " Only the first " + MAX_ANSWER_SENTENCES
        + " answer sentences were checked." : "");
    String explanation;
    if (firstBad == null) {
      explanation = "all " + checkable + " checkable sentence" + (checkable == 1 ? " is" : "s are")
          + " supported by the context." + note;
    } else {
      explanation = "“" + shorten(firstBad.sentence().plain(), 160) + "” — " + firstBad.reasons().get(0)
          + (bad > 1 ? " (" + (bad - 1) + " more unsupported sentence" + (bad > 2 ? "s" : "") + ")" : "") + "."
          + note;
    }
    double value = supported / (double) checkable;
    return new Score(traceId, spanId, NAME, value, firstBad == null ? "supported" : "unsupported", firstBad != null,
        explanation, Score.SOURCE_EVALUATOR, NAME, version(),
        details(verdicts, context, similarity, checkable, supported, answerTruncated), System.currentTimeMillis()
            * 1_000_000L);
  }

  private static String details(List<Verdict> verdicts, ContextIndex context, SimilarityModel similarity,
      int checkable, int supported, boolean answerTruncated) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("sentences");
    for (Verdict v : verdicts) {
      ObjectNode s = list.addObject();
      s.put("text", shorten(v.sentence().text(), 1000));
      s.put("start", v.sentence().start());
      s.put("end", v.sentence().end());
      if (v.supported() == null) {
        s.putNull("supported");
      } else {
        s.put("supported", v.supported());
      }
      ArrayNode reasons = s.putArray("reasons");
      v.reasons().forEach(reasons::add);
      if (v.best() >= 0 && v.supported() != null) {
        ContextIndex.Entry e = context.entries.get(v.best());
        ObjectNode p = s.putObject("passage");
        p.put("index", e.passage());
        p.put("source", e.source().source());
        p.put("spanId", e.source().spanId());
        p.put("title", e.source().title());
        p.put("text", shorten(e.plain(), MAX_PASSAGE_EXCERPT));
        s.put("similarity", Math.round(v.similarity() * 100) / 100.0);
      } else {
        s.putNull("passage");
        s.putNull("similarity");
      }
    }
    root.put("checkable", checkable);
    root.put("supported", supported);
    root.put("contextSentences", context.entries.size());
    root.put("contextTruncated", context.truncated);
    root.put("answerTruncated", answerTruncated);
    root.put("similarity", similarity.embedded() ? "lexical+embedding" : "lexical");
    return root.toString();
  }

  private static String shorten(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "…";
  }

}
