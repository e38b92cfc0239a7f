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
}
