package dev.sightline.alerts.rules;

import dev.sightline.store.GroupBy;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One alert rule, as {@link RuleParser} reads and validates it: the figure over [now − window, now),
 * restricted by {@code filter} (dimension → exact value) and split by {@code groupBy} (null: one
 * group), breached per {@code condition}, firing once breached for {@code forDuration}.
 *
 * @param measure the score name for {@link AlertFigure#QUALITY_FLAGGED_RATE}, the metric name for
 *     {@link AlertFigure#METRIC}, else null
 * @param agg the metric aggregation ({@code avg}, {@code max}, {@code rate}, {@code p95}…) for
 *     {@link AlertFigure#METRIC} (null: the metric kind's default), else null
 */
public record AlertRule(String id, String name, AlertFigure figure, String measure, String agg,
    Map<GroupBy, String> filter, GroupBy groupBy, Duration window, Condition condition, Duration forDuration,
    Severity severity) {

  public AlertRule {
    filter = filter == null || filter.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(filter));
  }
}
