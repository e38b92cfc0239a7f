package dev.sightline.semconv;

import dev.sightline.model.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OpenInference's span feedback (Arize-ai/openinference, spec/annotations.md): flattened objects
 * {@code annotations.<i>.annotation.<field>} and {@code evaluations.<i>.evaluation.<field>} with the
 * fields name, score, label, explanation, annotator_kind, identifier and metadata. Both forms mean
 * the same: a judgement of the span that carries them.
 */
final class OpenInferenceFeedback {
  static final String ANNOTATION_EVALUATOR = "openinference.annotation";
  static final String EVALUATION_EVALUATOR = "openinference.evaluation";
  static final String ANNOTATIONS = "annotations.";
  static final String EVALUATIONS = "evaluations.";
  private static final String ANNOTATION_INFIX = ".annotation.";
  private static final String EVALUATION_INFIX = ".evaluation.";
  private static final Set<String> FIELDS = Set.of("name", "score", "label", "explanation", "annotator_kind",
      "identifier", "metadata");
  /** Longest index read: six digits is far beyond any real list and keeps parsing cheap. */
  private static final int MAX_INDEX_DIGITS = 6;

  private OpenInferenceFeedback() {}

  /**
   * Whether the span is a post-hoc feedback carrier (kind EVALUATOR): the spec says its feedback
   * describes the span it links to, not itself, and Sightline does not decode span links.
   */
  static boolean isCarrier(Map<String, Object> attrs) {
    String kind = Values.string(attrs.get(Keys.OPENINFERENCE_KIND));
    return kind != null && kind.equalsIgnoreCase("EVALUATOR");
  }

  /** Whether the key is a field of a span-scoped feedback object (so it is not unmapped). */
  static boolean isFeedbackKey(String key) {
    return field(key, ANNOTATIONS, ANNOTATION_INFIX) != null || field(key, EVALUATIONS, EVALUATION_INFIX) != null;
  }

  /** Adds the span's feedback objects to {@code out}, annotations first, each in index order. */
  static void read(String traceId, String spanId, Map<String, Object> attrs, long time, List<Score> out, int max) {
    Map<Integer, Map<String, Object>> annotations = null;
    Map<Integer, Map<String, Object>> evaluations = null;
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      String key = e.getKey();
      if (key == null || e.getValue() == null) {
        continue;
      }
      if (key.startsWith(ANNOTATIONS)) {
        annotations = collect(annotations, key, ANNOTATIONS, ANNOTATION_INFIX, e.getValue());
      } else if (key.startsWith(EVALUATIONS)) {
        evaluations = collect(evaluations, key, EVALUATIONS, EVALUATION_INFIX, e.getValue());
      }
    }
    add(traceId, spanId, annotations, ANNOTATION_EVALUATOR, time, out, max);
    add(traceId, spanId, evaluations, EVALUATION_EVALUATOR, time, out, max);
  }

  private static Map<Integer, Map<String, Object>> collect(Map<Integer, Map<String, Object>> objects, String key,
      String prefix, String infix, Object value) {
    String[] f = field(key, prefix, infix);
    if (f == null) {
      return objects;
    }
    Map<Integer, Map<String, Object>> m = objects == null ? new TreeMap<>() : objects;
    m.computeIfAbsent(Integer.parseInt(f[0]), i -> new LinkedHashMap<>()).put(f[1], value);
    return m;
  }

  private static void add(String traceId, String spanId, Map<Integer, Map<String, Object>> objects,
      String evaluator, long time, List<Score> out, int max) {
    if (objects == null) {
      return;
    }
    for (Map<String, Object> o : objects.values()) {
      if (out.size() >= max) {
        return;
      }
      ClientScores.addIfAny(out, score(traceId, spanId, o, evaluator, time));
    }
  }

  /** One object; null without a name or without score, label or explanation (the spec's minimum). */
  private static Score score(String traceId, String spanId, Map<String, Object> o, String evaluator, long time) {
    String name = Values.string(o.get("name"));
    if (name == null) {
      return null;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    ClientScores.putIfPresent(details, "annotatorKind", Values.string(o.get("annotator_kind")));
    ClientScores.putIfPresent(details, "identifier", Values.string(o.get("identifier")));
    Object metadata = o.get("metadata");
    if (metadata instanceof String s && Json.parseOrNull(s) instanceof Map<?, ?> parsed) {
      ClientScores.putIfPresent(details, "metadata", parsed);
    } else {
      // Not the JSON object the spec asks for: kept as sent, so nothing the client said is lost.
      ClientScores.putIfPresent(details, "metadata", Values.string(metadata));
    }
    return ClientScores.score(traceId, spanId, name, Values.decimal(o.get("score")),
        Values.string(o.get("label")), Values.string(o.get("explanation")), evaluator, details, time);
  }

  /**
   * {@code {index, field}} of {@code <prefix><index><infix><field>}, or null when the key has another
   * shape: the index is a plain decimal (no sign, no leading zero) and the field one the spec names.
   */
  static String[] field(String key, String prefix, String infix) {
    if (!key.startsWith(prefix)) {
      return null;
    }
    int start = prefix.length();
    int end = start;
    while (end < key.length() && end - start <= MAX_INDEX_DIGITS && key.charAt(end) >= '0'
        && key.charAt(end) <= '9') {
      end++;
    }
    int digits = end - start;
    if (digits == 0 || digits > MAX_INDEX_DIGITS || (digits > 1 && key.charAt(start) == '0')
        || !key.startsWith(infix, end)) {
      return null;
    }
    String field = key.substring(end + infix.length());
    return FIELDS.contains(field) ? new String[] {key.substring(start, end), field} : null;
  }
}
