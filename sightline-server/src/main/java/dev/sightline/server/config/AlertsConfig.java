package dev.sightline.server.config;

import dev.sightline.alerts.budget.Budget;
import dev.sightline.alerts.budget.BudgetParser;
import dev.sightline.alerts.budget.BudgetSpecException;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.alerts.notify.WebhookTarget;
import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.alerts.rules.RuleException;
import dev.sightline.alerts.rules.RuleParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The alert rules from the config (read-only), the webhooks notified, how often rules are evaluated,
 * whether cost anomalies are watched, and the spending budgets.
 *
 * @param rules from {@code --alert-rule} lines (the RuleParser config syntax)
 * @param webhooks from {@code --webhook NAME=URL[,FORMAT]}
 * @param interval how often the rules are evaluated ({@code --alert-interval}, 1s to 1h)
 * @param costAnomalies whether the hourly cost anomaly check runs ({@code --cost-anomalies})
 * @param notifier grouping, repeat and retry timing of notifications (no option: the defaults; tests shorten them)
 * @param budgets from {@code --budget NAME=SCOPE[:VALUE],USD/PERIOD[,soft=PCT%][,hard]}
 */
public record AlertsConfig(List<AlertRule> rules, List<WebhookTarget> webhooks, Duration interval,
    boolean costAnomalies, Notifier.Settings notifier, List<Budget> budgets) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  public AlertsConfig {
    rules = List.copyOf(rules);
    notifier = notifier == null ? Notifier.Settings.defaults() : notifier;
    webhooks = List.copyOf(webhooks);
    budgets = budgets == null ? List.of() : List.copyOf(budgets);
    if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException("--alert-interval must be from 1s to 1h, got " + interval + "; e.g. --alert-interval 1m");
    }
    Set<String> ids = new HashSet<>();
    for (AlertRule r : rules) {
      if (!ids.add(r.id())) {
        throw new ConfigException("--alert-rule: two rules have the id '" + r.id() + "'; give each its own id");
      }
    }
    Set<String> names = new HashSet<>();
    for (WebhookTarget w : webhooks) {
      if (!names.add(w.name())) {
        throw new ConfigException("--webhook: two webhooks are named '" + w.name() + "'; give each its own name");
      }
    }
  }

  public AlertsConfig withNotifier(Notifier.Settings settings) {
    return new AlertsConfig(rules, webhooks, interval, costAnomalies, settings, budgets);
  }

  /** No rules, no webhooks, every minute, anomalies on. */
  public static AlertsConfig defaults() {
    return new AlertsConfig(List.of(), List.of(), DEFAULT_INTERVAL, true, null, List.of());
  }

  /**
   * Reads the options. A rule holds spaces and {@code ;}, so several rules in one value (the
   * environment variable, or repeated config-file lines) are separated by new lines; webhooks by
   * any whitespace.
   */
  public static AlertsConfig parse(List<String> ruleLines, List<String> webhookSpecs, Duration interval,
      boolean costAnomalies) {
    return parse(ruleLines, webhookSpecs, interval, costAnomalies, List.of());
  }

  /** As {@link #parse(List, List, Duration, boolean)}, with budget specs separated by any whitespace. */
  public static AlertsConfig parse(List<String> ruleLines, List<String> webhookSpecs, Duration interval,
      boolean costAnomalies, List<String> budgetSpecs) {
    List<AlertRule> rules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String value : ruleLines == null ? List.<String>of() : ruleLines) {
      for (String line : value.split("\\R")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          rules.add(RuleParser.fromConfig(line.trim()));
        } catch (RuleException e) {
          problems.add("--alert-rule '" + line.trim() + "': " + String.join("; ", e.problems()));
        }
      }
    }
    List<WebhookTarget> webhooks = new ArrayList<>();
    for (String value : webhookSpecs == null ? List.<String>of() : webhookSpecs) {
      for (String spec : value.trim().split("\\s+")) {
        if (spec.isEmpty()) {
          continue;
        }
        WebhookTarget.Parsed p = WebhookTarget.parse(spec);
        if (p.ok()) {
          webhooks.add(p.target());
        } else {
          problems.add("--webhook '" + spec + "': " + p.error());
        }
      }
    }
    List<Budget> budgets = List.of();
    try {
      budgets = BudgetParser.parseAll(budgetSpecs == null ? List.of() : budgetSpecs);
    } catch (BudgetSpecException e) {
      problems.add("--budget: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    return new AlertsConfig(rules, webhooks, interval, costAnomalies, null, budgets);
  }
}
