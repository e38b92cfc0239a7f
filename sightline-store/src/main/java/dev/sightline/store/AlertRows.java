package dev.sightline.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Checks and shapes alert rules and transitions before they are written. */
public final class AlertRows {
  private AlertRows() {}

  static final int MAX_ID = 128;
  /** Largest rule JSON kept, in chars: a rule is configuration, never bulk data. */
  static final int MAX_JSON = 1 << 20;
  static final int MAX_MESSAGE = 4096;
  static final int MAX_LIMIT = 10_000;
  /** Values as DECIMAL(38,18) holds them: 18 decimals, 20 integer digits. */
  static final int SCALE = 18;
  private static final BigDecimal LIMIT = BigDecimal.TEN.pow(20);

  public static void check(StoredRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("The alert rule is missing");
    }
    checkId(rule.id());
    if (rule.updatedAt() == null) {
      throw new IllegalArgumentException("Alert rule " + rule.id() + " needs updatedAt");
    }
    if (rule.json() == null || rule.json().length() > MAX_JSON) {
      throw new IllegalArgumentException("Alert rule " + rule.id() + " needs its JSON (at most " + MAX_JSON
          + " chars), got " + (rule.json() == null ? "none" : rule.json().length() + " chars"));
    }
    if (!ValueJson.isObject(rule.json())) {
      throw new IllegalArgumentException("Alert rule " + rule.id() + " must be stored as one JSON object, got: "
          + ScoreRows.cut(rule.json(), 80, "…"));
    }
  }

  public static void checkId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID) {
      throw new IllegalArgumentException("An alert rule id must be 1 to " + MAX_ID + " chars, got "
          + (id == null ? "none" : id.length() + " chars"));
    }
  }

  public static void check(List<AlertRecord> records) {
    if (records == null) {
      throw new IllegalArgumentException("The alert records are missing");
    }
    for (AlertRecord r : records) {
      if (r == null) {
        throw new IllegalArgumentException("An alert record is missing (null in the list)");
      }
      checkId(r.ruleId());
      if (r.to() == null || r.at() == null) {
        throw new IllegalArgumentException("Alert record of rule " + r.ruleId() + " needs its new state (to) and"
            + " its time (at)");
      }
      if (r.value() != null && r.value().abs().setScale(SCALE, RoundingMode.HALF_EVEN).compareTo(LIMIT) >= 0) {
        throw new IllegalArgumentException("Alert record of rule " + r.ruleId() + ": value " + r.value()
            + " is out of range (below 10^20 in magnitude)");
      }
    }
  }

  static BigDecimal value(BigDecimal v) {
    return v == null ? null : v.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  static String message(String m) {
    return ScoreRows.cut(m, MAX_MESSAGE, ScoreRows.TRUNCATED);
  }
}
