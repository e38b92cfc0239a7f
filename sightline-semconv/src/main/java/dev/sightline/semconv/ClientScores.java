package dev.sightline.semconv;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the scores clients already send with their telemetry into {@link Score}s
 * ({@link Score#SOURCE_CLIENT}): OTel GenAI {@code gen_ai.evaluation.result} events, as span events
 * or as log records, and OpenInference feedback attributes on the judged span. Pure and thread-safe;
 * bad input gives fewer scores, never an exception.
 */
public final class ClientScores {
  /** The OTel GenAI event (semantic-conventions-genai, model/gen-ai/events.yaml). */
  public static final String EVALUATION_EVENT = "gen_ai.evaluation.result";
  /** The evaluator of scores read from {@link #EVALUATION_EVENT}. */
  public static final String OTEL_EVALUATOR = "otel.gen_ai.evaluation";

  // Attributes of gen_ai.evaluation.result; name is required, score and label "if applicable".
  static final String EVAL_NAME = "gen_ai.evaluation.name";
  static final String EVAL_SCORE = "gen_ai.evaluation.score.value";
  static final String EVAL_LABEL = "gen_ai.evaluation.score.label";
  static final String EVAL_EXPLANATION = "gen_ai.evaluation.explanation";
  static final String RESPONSE_ID = "gen_ai.response.id";

  /** A hostile span may carry thousands of events; beyond this many, scores are not read. */
  static final int MAX_SCORES_PER_RECORD = 100;

  private ClientScores() {}

  /**
   * The scores one span carries: its {@code gen_ai.evaluation.result} events (including log events
   * joined to it) and its own OpenInference {@code annotations.N.annotation.*} /
   * {@code evaluations.N.evaluation.*} attributes. Empty when the span has no usable ids, or when it
   * is an OpenInference EVALUATOR carrier, whose feedback describes a linked span.
   */
  public static List<Score> fromSpan(Span span) {
    if (span == null || !validId(span.traceId()) || !validId(span.spanId())) {
      return List.of();
    }
    try {
      if (OpenInferenceFeedback.isCarrier(span.attributes())) {
        return List.of();
      }
      long fallbackTime = span.endEpochNanos() != 0 ? span.endEpochNanos() : span.startEpochNanos();
      List<Score> out = new ArrayList<>();
      for (SpanEvent e : span.events()) {
        if (out.size() >= MAX_SCORES_PER_RECORD) {
          return out;
        }
        if (e != null && EVALUATION_EVENT.equals(e.name())) {
          long time = e.timeEpochNanos() != 0 ? e.timeEpochNanos() : fallbackTime;
          addIfAny(out, fromEvent(span.traceId(), span.spanId(), e.attributes(), time));
        }
      }
      OpenInferenceFeedback.read(span.traceId(), span.spanId(), span.attributes(), fallbackTime, out,
          MAX_SCORES_PER_RECORD);
      return out.isEmpty() ? List.of() : List.copyOf(out);
    } catch (RuntimeException e) {
      // A mapping bug must not fail the batch: the span is still stored, without its client scores.
      return List.of();
    }
  }

  /**
   * The score a {@code gen_ai.evaluation.result} log record carries, attached to the span and trace
   * it names; empty for other log records and for one without trace and span ids (the event's
   * {@code gen_ai.response.id} alone does not name a span).
   */
  public static List<Score> fromLog(LogRecord log) {
    if (log == null || !validId(log.traceId()) || !validId(log.spanId())) {
      return List.of();
    }
    try {
      if (!EVALUATION_EVENT.equals(log.effectiveEventName())) {
        return List.of();
      }
      Score s = fromEvent(log.traceId(), log.spanId(), log.attributes(), log.effectiveTimeNanos());
      return s == null ? List.of() : List.of(s);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** One {@code gen_ai.evaluation.result}; null without a name or without any result in it. */
  static Score fromEvent(String traceId, String spanId, Map<String, Object> a, long time) {
    String name = Values.string(a.get(EVAL_NAME));
    if (name == null) {
      return null;
    }
    Double value = Values.decimal(a.get(EVAL_SCORE));
    String label = Values.string(a.get(EVAL_LABEL));
    String explanation = Values.string(a.get(EVAL_EXPLANATION));
    String errorType = Values.string(a.get(Keys.ERROR_TYPE));
    Map<String, Object> details = new LinkedHashMap<>();
    putIfPresent(details, "responseId", Values.string(a.get(RESPONSE_ID)));
    putIfPresent(details, "errorType", errorType);
    if (errorType != null) {
      // The evaluation itself failed (semconv: error.type): whatever it sent is not a verdict.
      putIfPresent(details, "value", value);
      putIfPresent(details, "label", label);
      String why = "not evaluated: evaluation failed (" + errorType + ")"
          + (explanation == null ? "" : ": " + explanation);
      return new Score(traceId, spanId, name, null, Score.NOT_EVALUATED, null, why, Score.SOURCE_CLIENT,
          OTEL_EVALUATOR, null, Json.write(details), time);
    }
    return score(traceId, spanId, name, value, label, explanation, OTEL_EVALUATOR, details, time);
  }

  /** A client score from its fields; null when it has no value, label or explanation to show. */
  static Score score(String traceId, String spanId, String name, Double value, String label, String explanation,
      String evaluator, Map<String, Object> details, long time) {
    if (value == null && label == null && explanation == null) {
      return null;
    }
    return new Score(traceId, spanId, name, value, label, Verdicts.flagged(name, label), explanation,
        Score.SOURCE_CLIENT, evaluator, null, details.isEmpty() ? null : Json.write(details), time);
  }

  static void putIfPresent(Map<String, Object> details, String key, Object value) {
    if (value != null) {
      details.put(key, value);
    }
  }

  static void addIfAny(List<Score> out, Score s) {
    if (s != null) {
      out.add(s);
    }
  }

  /** OTLP's invalid ids are empty or all zeros. */
  static boolean validId(String id) {
    if (id == null || id.isBlank()) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }
}
