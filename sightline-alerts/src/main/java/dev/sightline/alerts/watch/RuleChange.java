package dev.sightline.alerts.watch;

import java.util.List;

/**
 * The result of saving or deleting a rule through the API: what happened, the rule as it now is
 * (for saves), and for a refusal the message and the problems, each naming the field and the fix.
 */
public record RuleChange(Status status, RuleView rule, String message, List<String> problems) {

  public enum Status {
    CREATED, UPDATED, DELETED,
    /** The rule does not parse or validate: see problems. */
    INVALID,
    /** No stored rule has this id. */
    NOT_FOUND,
    /** The id belongs to a config rule (read-only), or a create names a rule that exists. */
    CONFLICT
  }

  public RuleChange {
    problems = List.copyOf(problems);
  }

  static RuleChange refused(Status status, String message, List<String> problems) {
    return new RuleChange(status, null, message, problems);
  }
}
