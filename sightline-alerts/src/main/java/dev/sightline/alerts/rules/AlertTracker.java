package dev.sightline.alerts.rules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state machine of every (rule, group): inactive → pending when breached → firing once breached
 * for the rule's for-duration (at once when it is zero) → resolved when no longer breached →
 * inactive at the next evaluation; a pending group that recovers goes back to inactive. A group the
 * evaluation no longer reports counts as not breached. Every transition comes back as an
 * {@link AlertEvent}. Not thread-safe: one evaluation loop drives it.
 */
public final class AlertTracker {
  private record Key(String ruleId, String group) {}

  private static final class Entry {
    AlertState state = AlertState.INACTIVE;
    Instant since;
    Instant breachedSince;
    BigDecimal value;
  }

  private final Clock clock;
  private final Map<Key, Entry> entries = new LinkedHashMap<>();

  public AlertTracker(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Applies one evaluation of {@code rule} at the clock's instant; returns the transitions, in order. */
  public List<AlertEvent> apply(AlertRule rule, Evaluation evaluation) {
    if (evaluation.failed()) {
      return List.of(); // a store that cannot answer says nothing about the groups: keep their state
    }
    return apply(rule, evaluation.observations());
  }

  /** Applies observations of {@code rule} at the clock's instant; returns the transitions, in order. */
  public List<AlertEvent> apply(AlertRule rule, List<Observation> observations) {
    Instant now = clock.instant();
    List<AlertEvent> events = new ArrayList<>();
    Set<Key> seen = new HashSet<>();
    for (Observation o : observations) {
      Key key = new Key(rule.id(), o.groupKey());
      seen.add(key);
      step(rule, key, entries.computeIfAbsent(key, k -> new Entry()), o.breached(), o.value(), o.baselineValue(), now,
          events);
    }
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (e.getKey().ruleId().equals(rule.id()) && !seen.contains(e.getKey())) {
        step(rule, e.getKey(), e.getValue(), false, null, null, now, events);
      }
    }
    entries.values().removeIf(e -> e.state == AlertState.INACTIVE);
    return events;
  }

  /** A removed rule: its firing groups resolve, the rest are forgotten. */
  public List<AlertEvent> remove(AlertRule rule) {
    List<AlertEvent> events = apply(rule, List.of());
    for (Iterator<Key> it = entries.keySet().iterator(); it.hasNext(); ) {
      if (it.next().ruleId().equals(rule.id())) {
        it.remove();
      }
    }
    return events;
  }

  /** Every (rule, group) that is pending, firing or resolved now. */
  public List<ActiveAlert> active() {
    List<ActiveAlert> out = new ArrayList<>();
    entries.forEach((k, e) -> out.add(new ActiveAlert(k.ruleId(), k.group(), e.state, e.since, e.value)));
    return out;
  }

  private void step(AlertRule rule, Key key, Entry e, boolean breached, BigDecimal value, BigDecimal baseline,
      Instant now, List<AlertEvent> events) {
    Duration forDuration = rule.forDuration() == null ? Duration.ZERO : rule.forDuration();
    if (value != null) {
      e.value = value;
    }
    AlertState to = e.state;
    if (breached) {
      if (e.state == AlertState.INACTIVE || e.state == AlertState.RESOLVED) {
        e.breachedSince = now;
      }
      if (e.state != AlertState.FIRING) {
        boolean longEnough = !Duration.between(e.breachedSince, now).minus(forDuration).isNegative();
        to = longEnough ? AlertState.FIRING : AlertState.PENDING;
      }
    } else {
      to = switch (e.state) {
        case FIRING -> AlertState.RESOLVED;
        case PENDING, RESOLVED -> AlertState.INACTIVE;
        case INACTIVE -> AlertState.INACTIVE;
      };
    }
    if (to != e.state) {
      events.add(new AlertEvent(key.ruleId(), key.group(), e.state, to, now, value,
          message(rule, key.group(), to, value, baseline)));
      e.state = to;
      e.since = now;
    }
  }

  private static String message(AlertRule rule, String group, AlertState to, BigDecimal value, BigDecimal baseline) {
    StringBuilder m = new StringBuilder(rule.name() == null ? rule.id() : rule.name()).append(": ")
        .append(rule.figure() == null ? "figure" : rule.figure().wire());
    if (rule.measure() != null) {
      m.append(' ').append(rule.measure());
    }
    if (rule.groupBy() != null) {
      m.append(" [").append(RuleParser.wire(rule.groupBy())).append('=')
          .append(group).append(']');
    }
    if (value == null) {
      return m.append(" is no longer reported; ").append(to.wire()).toString();
    }
    m.append(" = ").append(value.stripTrailingZeros().toPlainString());
    if (baseline != null) {
      BigDecimal pct = RuleEvaluator.increasePct(value, baseline);
      m.append(" (was ").append(baseline.stripTrailingZeros().toPlainString());
      if (pct != null) {
        m.append(", ").append(pct.setScale(1, java.math.RoundingMode.HALF_EVEN).toPlainString()).append(" %");
      }
      m.append(')');
    }
    m.append(switch (to) {
      case PENDING -> ", breaching " + rule.condition() + "; pending for " + rule.forDuration();
      case FIRING -> ", breaching " + rule.condition() + "; firing";
      case RESOLVED -> ", no longer " + rule.condition() + "; resolved";
      case INACTIVE -> "; inactive";
    });
    return m.toString();
  }
}
