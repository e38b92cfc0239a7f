package dev.sightline.evaluators.groundedness;

import dev.sightline.embeddings.SentenceEmbedder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Similarity of an answer sentence to a context sentence: the share of the answer's terms (weighted
 * by rarity in the context) that the context sentence and its neighbours contain, blended with the
 * embedding cosine when sentence vectors are available.
 */
final class SimilarityModel {

  /** Context sentences beyond this count are compared lexically only, to bound embedding work. */
  static final int MAX_EMBEDDED_CONTEXT = 400;

  private final ContextIndex context;
  private final Map<String, Double> idf = new HashMap<>();
  private final double unseenIdf;
  private final Map<String, Integer> df;
  private final Set<String>[] windows;
  private final float[][] answerVectors;
  private final float[][] contextVectors;

  @SuppressWarnings("unchecked")
  SimilarityModel(ContextIndex context, List<String> answerSentences, SentenceEmbedder embedder) {
    this.context = context;
    int n = context.entries.size();
    df = new HashMap<>();
    for (ContextIndex.Entry e : context.entries) {
      for (String t : e.terms()) {
        df.merge(t, 1, Integer::sum);
      }
    }
    df.forEach((t, d) -> idf.put(t, Math.log(1 + (n + 1.0) / d)));
    unseenIdf = Math.log(2 + n);
    windows = new Set[n];
    float[][] a = null;
    float[][] c = null;
    if (embedder != null && !answerSentences.isEmpty() && n > 0) {
      try {
        a = embedder.embed(answerSentences);
        List<String> ctx = context.entries.stream().limit(MAX_EMBEDDED_CONTEXT).map(ContextIndex.Entry::plain)
            .toList();
        c = embedder.embed(ctx);
      } catch (RuntimeException | LinkageError e) {
        a = null; // the embedder failed: lexical similarity alone
        c = null;
      }
    }
    answerVectors = a;
    contextVectors = c;
  }

  /** Weighted share of the terms found in the context sentence itself (no neighbours). */
  double lexicalOwn(Set<String> terms, int entry) {
    return weightedShare(terms, context.entries.get(entry).terms());
  }

  /** Weighted share of the context sentence's own terms that {@code terms} contains: how much of it a clause restates. */
  double containment(Set<String> terms, int entry) {
    return weightedShare(context.entries.get(entry).terms(), terms);
  }

  /** The idf-weighted share of {@code of} that {@code in} holds. */
  private double weightedShare(Set<String> of, Set<String> in) {
    double total = 0;
    double found = 0;
    for (String t : of) {
      double w = idf.getOrDefault(t, unseenIdf);
      total += w;
      if (in.contains(t)) {
        found += w;
      }
    }
    return total == 0 ? 0 : found / total;
  }

  /** In how many context sentences a term occurs. */
  int documentFrequency(String term) {
    return df.getOrDefault(term, 0);
  }

  boolean embedded() {
    return answerVectors != null;
  }

  double similarity(int answerIndex, Set<String> terms, int entry) {
    double lex = lexical(terms, entry);
    if (answerVectors != null && answerIndex < answerVectors.length && entry < contextVectors.length) {
      double cos = SentenceEmbedder.cosine(answerVectors[answerIndex], contextVectors[entry]);
      double scaled = Math.max(0, Math.min(1, (cos - 0.2) / 0.6));
      return (1 - Tuning.EMBEDDING_WEIGHT) * lex + Tuning.EMBEDDING_WEIGHT * scaled;
    }
    return lex;
  }

  private double lexical(Set<String> terms, int entry) {
    if (terms.isEmpty()) {
      return 0;
    }
    Set<String> own = context.entries.get(entry).terms();
    Set<String> window = windows[entry];
    if (window == null) {
      window = context.windowTerms(entry);
      windows[entry] = window;
    }
    double total = 0;
    double inOwn = 0;
    double inWindow = 0;
    for (String t : terms) {
      double w = idf.getOrDefault(t, unseenIdf);
      total += w;
      if (own.contains(t)) {
        inOwn += w;
      }
      if (window.contains(t)) {
        inWindow += w;
      }
    }
    double coverage = Math.max(inOwn, 0.85 * inWindow) / total;
    int shared = 0;
    for (String t : own) {
      if (terms.contains(t)) {
        shared++;
      }
    }
    double precision = own.isEmpty() ? 0 : shared / (double) own.size();
    return 0.8 * coverage + 0.2 * precision;
  }
}
