package dev.sightline.evaluators;

import dev.sightline.model.Score;
import java.util.List;

/**
 * Where the evaluators' scores go. The server hands them to the pipeline, so they are stored like
 * any other record (one writer, group commit). May refuse by throwing; the scores are then counted
 * as dropped.
 */
@FunctionalInterface
public interface ScoreSink {
  void write(List<Score> scores);

  /** Scores of calls stored in {@code project}; a sink that knows no projects stores them as the default's. */
  default void write(String project, List<Score> scores) {
    write(scores);
  }
}
