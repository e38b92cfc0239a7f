package dev.sightline.alerts.rules;

import java.util.List;

/** A rule that cannot be accepted, with every problem found, each naming its field and the fix. */
public final class RuleException extends Exception {
  private final List<String> problems;

  public RuleException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
