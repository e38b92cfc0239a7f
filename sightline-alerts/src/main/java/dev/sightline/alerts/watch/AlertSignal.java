package dev.sightline.alerts.watch;

import dev.sightline.alerts.rules.Severity;
import java.math.BigDecimal;

/**
 * One alert condition reported by an {@link AlertSource}: breached fires at once (there is no
 * for-duration), not breached (or no longer reported) resolves.
 *
 * @param group the instance of the rule this is about, null for a rule with one instance
 * @param summary one line for people, used as the alert's message
 */
public record AlertSignal(String ruleId, String ruleName, String group, Severity severity, boolean breached,
    BigDecimal value, String summary) {}
