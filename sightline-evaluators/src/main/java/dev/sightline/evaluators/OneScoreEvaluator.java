package dev.sightline.evaluators;

import dev.sightline.model.Score;
import java.util.List;

/**
 * An evaluator that writes one score per call. It keeps the rule every evaluator follows in one
 * place: no input, bad input or a failure of the check itself becomes a not-evaluated score with
 * the reason, never an exception.
 */
public abstract class OneScoreEvaluator implements Evaluator {

  @Override
  public final List<Score> evaluate(EvaluationInput input) {
    String traceId = null;
    String spanId = null;
    try {
      if (input == null) {
        return List.of(notEvaluated(null, null, "no input"));
      }
      traceId = input.call() == null ? null : input.traceId();
      spanId = input.call() == null ? null : input.spanId();
      return List.of(judge(input, traceId, spanId));
    } catch (RuntimeException | StackOverflowError e) {
      return List.of(notEvaluated(traceId, spanId, "the check failed: " + e.getClass().getSimpleName()));
    }
  }

  /** The score for this call; may throw, which {@link #evaluate} turns into a not-evaluated score. */
  protected abstract Score judge(EvaluationInput input, String traceId, String spanId);

  protected final Score notEvaluated(String traceId, String spanId, String reason) {
    return Score.notEvaluated(traceId, spanId, name(), reason, name(), version(), now());
  }

  protected static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
