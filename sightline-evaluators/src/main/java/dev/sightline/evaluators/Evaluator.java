package dev.sightline.evaluators;

import dev.sightline.model.Score;
import java.util.List;

/**
 * One quality check over a stored LLM call. Runs off the ingest path, on the evaluators' own
 * threads; must be thread-safe and must never throw on bad input: a call it cannot judge gets a
 * {@link Score#notEvaluated} score with the reason instead.
 */
public interface Evaluator {
  /** The score name it writes, e.g. {@code groundedness}. */
  String name();

  /** Bumped whenever its verdicts can change for the same input. */
  String version();

  /** The scores for this call (usually one). */
  List<Score> evaluate(EvaluationInput input);
}
