package dev.sightline.alerts.rules;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One transition of a (rule, group): what alert history stores and notifications send.
 * {@code value} is the figure that caused it, null when the group was no longer reported.
 */
public record AlertEvent(String ruleId, String group, AlertState from, AlertState to, Instant at, BigDecimal value,
    String message) {}
