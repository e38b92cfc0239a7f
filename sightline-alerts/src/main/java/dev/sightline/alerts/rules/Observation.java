package dev.sightline.alerts.rules;

import java.math.BigDecimal;

/**
 * A rule's figure for one group at one evaluation. {@code groupKey} is null for an ungrouped rule
 * (and for calls without the grouped attribute); {@code baselineValue} is the same figure one day or
 * one week earlier for increase rules (null when that window had none, which never breaches).
 */
public record Observation(String ruleId, String groupKey, BigDecimal value, BigDecimal baselineValue,
    boolean breached) {}
