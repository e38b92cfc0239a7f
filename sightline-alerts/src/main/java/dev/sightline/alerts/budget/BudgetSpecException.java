package dev.sightline.alerts.budget;

/** A budget spec that cannot be read; the message says what to change. */
public final class BudgetSpecException extends Exception {
  public BudgetSpecException(String message) {
    super(message);
  }
}
