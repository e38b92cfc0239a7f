package dev.sightline.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One state transition of an alert: a rule's group went from one state to another.
 *
 * @param ruleId the rule, required
 * @param group the group key (e.g. a model or route), null for an ungrouped rule
 * @param from the state before, null when the group had none yet
 * @param to the state after, required
 * @param at when the transition happened, required
 * @param value the figure that caused it, exact to 18 decimals; null when none
 * @param message for people; cut at 4,096 chars, ending with {@code …[truncated]}
 */
public record AlertRecord(String ruleId, String group, String from, String to, Instant at, BigDecimal value,
    String message) {}
