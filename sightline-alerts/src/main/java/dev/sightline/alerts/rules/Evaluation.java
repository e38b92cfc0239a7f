package dev.sightline.alerts.rules;

import java.time.Instant;
import java.util.List;

/**
 * One rule evaluated at {@code at}: an observation per group that had the figure in the window, or,
 * when the store could not answer (such as an aggregation the metric's kind lacks), no observations
 * and the {@code problem} in words.
 */
public record Evaluation(String ruleId, Instant at, List<Observation> observations, String problem) {
  public Evaluation {
    observations = List.copyOf(observations);
  }

  public boolean failed() {
    return problem != null;
  }
}
