/**
 * Alert rules: {@link dev.sightline.alerts.rules.RuleParser} reads and validates them,
 * {@link dev.sightline.alerts.rules.RuleEvaluator} computes their figures from the store, and
 * {@link dev.sightline.alerts.rules.AlertTracker} turns observations into pending, firing and resolved
 * transitions for history and notifications.
 */
package dev.sightline.alerts.rules;
