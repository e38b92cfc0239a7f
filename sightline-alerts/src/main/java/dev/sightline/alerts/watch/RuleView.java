package dev.sightline.alerts.watch;

import dev.sightline.alerts.rules.AlertRule;
import java.time.Instant;
import java.util.List;

/**
 * A rule as the API lists it: where it comes from ({@code config} or {@code api}), when it was last
 * saved (null for config rules), how it stands now, and, for a stored rule that no longer parses,
 * {@code rule} null with its {@code json} as stored and the problems.
 *
 * @param state {@code ok}, {@code pending} or {@code firing}: the most urgent of its groups
 * @param firing how many of its groups are firing
 */
public record RuleView(String id, AlertRule rule, String json, String source, Instant updatedAt, String state,
    int firing, List<String> problems) {

  public RuleView {
    problems = List.copyOf(problems);
  }
}
