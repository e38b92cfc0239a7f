package dev.sightline.store;

import java.time.Instant;
import java.util.Map;

/**
 * What one retention pass did: the hour-aligned cutoffs it applied (null: that kind was kept), rows
 * deleted per table, rows whose captured content was cleared per table (their numbers kept), and
 * whether the space was checkpointed for reuse.
 */
public record RetentionResult(Instant dataBefore, Instant contentBefore, Map<String, Long> deleted,
    Map<String, Long> contentCleared, boolean checkpointed) {
  public RetentionResult {
    deleted = Map.copyOf(deleted);
    contentCleared = Map.copyOf(contentCleared);
  }

  /** Nothing to do: both kinds kept. */
  public static RetentionResult none() {
    return new RetentionResult(null, null, Map.of(), Map.of(), false);
  }

  public long deletedTotal() {
    return deleted.values().stream().mapToLong(Long::longValue).sum();
  }

  public long deleted(String table) {
    return deleted.getOrDefault(table, 0L);
  }

  /** LLM calls whose prompts and completions were cleared. */
  public long callsContentCleared() {
    return contentCleared.getOrDefault("llm_calls", 0L);
  }

  public long contentClearedTotal() {
    return contentCleared.values().stream().mapToLong(Long::longValue).sum();
  }
}
