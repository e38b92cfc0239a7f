package dev.sightline.alerts.rules;

import java.math.BigDecimal;
import java.time.Instant;

/** A (rule, group) that is not inactive: pending, firing or just resolved, since when, at its last value. */
public record ActiveAlert(String ruleId, String group, AlertState state, Instant since, BigDecimal value) {}
