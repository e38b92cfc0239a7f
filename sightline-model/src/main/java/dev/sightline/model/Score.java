package dev.sightline.model;

/**
 * A judgement about one LLM call, attached to it by trace and span id: what an evaluator found (a
 * groundedness check, a commitment or prompt-injection flag) or what the client sent
 * (OTel {@code gen_ai.evaluation.result}, OpenInference / Langfuse score attributes).
 *
 * @param name what was judged: {@code groundedness}, {@code commitment}, {@code injection}, or the
 *     client's own name
 * @param value the numeric score, null when the judgement is only a label; Sightline's own
 *     evaluators score in [0, 1], higher is better
 * @param label the verdict in a word ({@code supported}, {@code unsupported}, {@code flagged},
 *     {@code ok}, {@code not_evaluated}, or the client's label)
 * @param flagged whether the verdict is a failure (what quality rates count); null when unknown
 *     (a client score whose label says neither) or when the call was not evaluated
 * @param explanation one line for people: why this verdict, or why the call was not evaluated
 * @param source {@link #SOURCE_EVALUATOR} or {@link #SOURCE_CLIENT}
 * @param evaluator which evaluator (or client convention) produced it, e.g. {@code groundedness} or
 *     {@code otel.gen_ai.evaluation}
 * @param evaluatorVersion the evaluator's version, so that scores from an older detector can be told
 *     apart; null for client scores that do not say
 * @param detailsJson evaluator-specific findings as a JSON object (groundedness: each answer
 *     sentence, supported or not, and the context passage it was checked against); null if none
 * @param timeEpochNanos when the score was produced
 */
public record Score(
    String traceId,
    String spanId,
    String name,
    Double value,
    String label,
    Boolean flagged,
    String explanation,
    String source,
    String evaluator,
    String evaluatorVersion,
    String detailsJson,
    long timeEpochNanos) {

  public static final String SOURCE_EVALUATOR = "evaluator";
  public static final String SOURCE_CLIENT = "client";
  /** The label of a score that says why a call could not be evaluated (empty answer, no context…). */
  public static final String NOT_EVALUATED = "not_evaluated";

  public Score {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a score needs a name");
    }
    if (value != null && (value.isNaN() || value.isInfinite())) {
      value = null;
    }
  }

  /** A score that records why the call was not evaluated: no value, not flagged. */
  public static Score notEvaluated(String traceId, String spanId, String name, String reason, String evaluator,
      String evaluatorVersion, long timeEpochNanos) {
    return new Score(traceId, spanId, name, null, NOT_EVALUATED, null, "not evaluated: " + reason, SOURCE_EVALUATOR,
        evaluator, evaluatorVersion, null, timeEpochNanos);
  }

  public boolean evaluated() {
    return !NOT_EVALUATED.equals(label);
  }
}
