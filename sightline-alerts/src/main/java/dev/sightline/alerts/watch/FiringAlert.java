package dev.sightline.alerts.watch;

import dev.sightline.alerts.rules.AlertState;
import java.math.BigDecimal;
import java.time.Instant;

/** A (rule, group) that is pending or firing after the last round, with its last message. */
public record FiringAlert(String ruleId, String ruleName, String group, AlertState state, Instant since,
    BigDecimal value, String severity, String summary) {}
