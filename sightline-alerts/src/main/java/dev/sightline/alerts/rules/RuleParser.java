package dev.sightline.alerts.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.store.GroupBy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads alert rules from JSON (what the API receives) or from a compact config line, and validates
 * them. Every problem is collected, each naming the field and how to fix it, and all come back at
 * once in a {@link RuleException}; nothing else is thrown.
 *
 * <p>JSON: {@code {"id":"5xx","figure":"error_rate_5xx","filter":{"service":"chat"},"groupBy":"provider",
 * "window":"5m","condition":"> 0.05","for":"2m","severity":"critical"}}; quality rules add
 * {@code "score"}, metric rules {@code "metric"} and optionally {@code "agg"}. A config line holds the
 * same fields as {@code key=value} pairs separated by {@code ;}, filters as {@code filter.route=/chat}.
 */
public final class RuleParser {
  static final Duration MAX_WINDOW = Duration.ofDays(31);
  static final Duration MAX_FOR = Duration.ofHours(24);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("id", "name", "figure", "score", "metric", "agg", "filter",
      "groupBy", "window", "condition", "for", "severity");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");
  private static final Pattern CONDITION = Pattern.compile(
      "(?:(increase_pct)\\s*)?(>=|<=|>|<)\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?:\\s+vs\\s+(\\S+))?");
  private static final Pattern AGG = Pattern.compile("avg|max|min|sum|last|rate|increase|mean|p\\d{1,2}(\\.\\d)?");

  private RuleParser() {}

  /** One rule from a JSON object. */
  public static AlertRule fromJson(String json) throws RuleException {
    JsonNode node;
    try {
      node = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RuleException(List.of("the rule is not valid JSON: " + e.getOriginalMessage()));
    }
    return fromJson(node);
  }

  /** One rule from a parsed JSON object. */
  public static AlertRule fromJson(JsonNode node) throws RuleException {
    if (node == null || !node.isObject()) {
      throw new RuleException(List.of("a rule must be a JSON object such as {\"id\":\"5xx\",\"figure\":"
          + "\"error_rate_5xx\",\"window\":\"5m\",\"condition\":\"> 0.05\"}"));
    }
    return read(node);
  }

  /** One rule from a config line: {@code id=5xx; figure=error_rate_5xx; window=5m; condition=> 0.05}. */
  public static AlertRule fromConfig(String line) throws RuleException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    List<String> problems = new ArrayList<>();
    for (String part : (line == null ? "" : line).split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        problems.add("'" + part.trim() + "' is not key=value; write e.g. window=5m");
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.startsWith("filter.")) {
        ObjectNode f = node.has("filter") ? (ObjectNode) node.get("filter") : node.putObject("filter");
        f.put(key.substring("filter.".length()), value);
      } else {
        node.put(key, value);
      }
    }
    if (!problems.isEmpty()) {
      try {
        read(node);
      } catch (RuleException e) {
        problems.addAll(e.problems());
      }
      throw new RuleException(problems);
    }
    return read(node);
  }

  /**
   * The rule as JSON in the form {@link #fromJson} reads (what the API returns and history stores);
   * reading it back gives an equal rule.
   */
  public static ObjectNode toJson(AlertRule rule) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", rule.id());
    n.put("name", rule.name());
    if (rule.figure() != null) {
      n.put("figure", rule.figure().wire());
      if (rule.measure() != null) {
        n.put(rule.figure() == AlertFigure.METRIC ? "metric" : "score", rule.measure());
      }
    }
    if (rule.agg() != null) {
      n.put("agg", rule.agg());
    }
    if (!rule.filter().isEmpty()) {
      ObjectNode f = n.putObject("filter");
      rule.filter().forEach((d, v) -> f.put(wire(d), v));
    }
    if (rule.groupBy() != null) {
      n.put("groupBy", wire(rule.groupBy()));
    }
    if (rule.window() != null) {
      n.put("window", wire(rule.window()));
    }
    if (rule.condition() != null) {
      n.put("condition", rule.condition().toString());
    }
    if (rule.forDuration() != null) {
      n.put("for", wire(rule.forDuration()));
    }
    if (rule.severity() != null) {
      n.put("severity", rule.severity().wire());
    }
    return n;
  }

  /** A duration in the largest whole unit the parser reads ({@code 90s}, {@code 5m}, {@code 1w}), else ISO-8601. */
  static String wire(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return d.toString();
    }
    long ms = d.toMillis();
    if (!d.equals(Duration.ofMillis(ms))) {
      return d.toString();
    }
    long[] sizes = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms != 0 && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }

  private static AlertRule read(JsonNode node) throws RuleException {
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        problems.add(f + ": unknown field; the fields are " + FIELDS.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
    String id = text(node, "id", problems);
    if (id == null) {
      problems.add("id: required; give the rule an id of letters, digits, '.', '_' or '-'");
    } else if (!ID.matcher(id).matches()) {
      problems.add("id: '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    String name = text(node, "name", problems);
    if (name != null && name.length() > 200) {
      problems.add("name: at most 200 characters, got " + name.length());
    }

    AlertFigure figure = null;
    String f = text(node, "figure", problems);
    if (f == null) {
      problems.add("figure: required; one of " + AlertFigure.valid());
    } else {
      figure = AlertFigure.parse(f).orElse(null);
      if (figure == null) {
        problems.add("figure: unknown '" + f + "'; use one of " + AlertFigure.valid());
      }
    }
    String score = text(node, "score", problems);
    String metric = text(node, "metric", problems);
    String agg = text(node, "agg", problems);

    Map<GroupBy, String> filter = new EnumMap<>(GroupBy.class);
    JsonNode fn = node.get("filter");
    if (fn != null && !fn.isNull()) {
      if (!fn.isObject()) {
        problems.add("filter: must be an object such as {\"provider\":\"openai\"}");
      } else {
        fn.fields().forEachRemaining(e -> {
          GroupBy d = dimension(e.getKey());
          if (d == null) {
            problems.add("filter." + e.getKey() + ": unknown dimension; filter by " + dimensions());
          } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
            problems.add("filter." + e.getKey() + ": must be a non-empty string");
          } else {
            filter.put(d, e.getValue().asText());
          }
        });
      }
    }
    GroupBy groupBy = null;
    String g = text(node, "groupBy", problems);
    if (g != null && !g.isBlank() && !g.equalsIgnoreCase("none")) {
      groupBy = dimension(g);
      if (groupBy == null) {
        problems.add("groupBy: unknown '" + g + "'; use one of " + dimensions() + " or none");
      }
    }

    Duration window = duration(node, "window", problems);
    if (window == null && !node.has("window")) {
      problems.add("window: required, e.g. \"5m\" or \"1h\"");
    }
    Condition condition = null;
    String c = text(node, "condition", problems);
    if (c == null) {
      problems.add("condition: required, e.g. \"> 0.05\" or \"increase_pct > 50 vs 1d\"");
    } else {
      condition = condition(c, problems);
    }
    Duration forDuration = node.has("for") ? duration(node, "for", problems) : Duration.ZERO;

    Severity severity = Severity.WARNING;
    String s = text(node, "severity", problems);
    if (s != null) {
      severity = Arrays.stream(Severity.values()).filter(v -> v.wire().equalsIgnoreCase(s.trim())).findFirst()
          .orElse(null);
      if (severity == null) {
        problems.add("severity: unknown '" + s + "'; use info, warning or critical");
      }
    }

    AlertRule rule = new AlertRule(id, name == null ? id : name, figure, figure == AlertFigure.METRIC ? metric : score,
        agg, filter, groupBy, window, condition, forDuration, severity);
    if (figure != null) {
      problems.addAll(measureProblems(figure, score, metric, agg));
    }
    problems.addAll(scopeProblems(rule));
    if (!problems.isEmpty()) {
      throw new RuleException(problems);
    }
    return rule;
  }

  private static List<String> measureProblems(AlertFigure figure, String score, String metric, String agg) {
    List<String> out = new ArrayList<>();
    if (figure == AlertFigure.QUALITY_FLAGGED_RATE && (score == null || score.isBlank())) {
      out.add("score: required for quality_flagged_rate; name the score, e.g. \"groundedness\"");
    } else if (figure != AlertFigure.QUALITY_FLAGGED_RATE && score != null) {
      out.add("score: only for figure quality_flagged_rate; remove it or change the figure");
    }
    if (figure == AlertFigure.METRIC && (metric == null || metric.isBlank())) {
      out.add("metric: required for figure metric; name the series, e.g. \"vllm:num_requests_waiting\"");
    } else if (figure != AlertFigure.METRIC && metric != null) {
      out.add("metric: only for figure metric; remove it or change the figure");
    }
    if (agg != null && figure != AlertFigure.METRIC) {
      out.add("agg: only for figure metric; remove it");
    } else if (agg != null && !AGG.matcher(agg).matches()) {
      out.add("agg: unknown '" + agg + "'; use avg, max, min, sum, last (gauges), rate, increase (counters),"
          + " mean or a quantile such as p95 (histograms)");
    }
    return out;
  }

  /**
   * What the store's queries cannot do for this rule. Call figures, cost and quality are read per
   * one dimension, so a filter must be on the grouping dimension (or, ungrouped, on one dimension);
   * metric series filter and group by service only. Windows and durations are checked here too, so
   * that rules built in code get the same checks.
   */
  public static List<String> scopeProblems(AlertRule rule) {
    List<String> out = new ArrayList<>();
    Duration w = rule.window();
    if (w != null && (w.isNegative() || w.isZero())) {
      out.add("window: must be positive, got " + w + "; write e.g. \"5m\"");
    } else if (w != null && w.compareTo(MAX_WINDOW) > 0) {
      out.add("window: at most 31d, got " + w);
    }
    Duration fd = rule.forDuration();
    if (fd != null && fd.isNegative()) {
      out.add("for: must be 0 or more, got " + fd + "; write e.g. \"2m\", or \"0s\" to fire at once");
    } else if (fd != null && fd.compareTo(MAX_FOR) > 0) {
      out.add("for: at most 24h, got " + fd + "; a longer wait is better written as a longer window");
    }
    if (rule.figure() == null) {
      return out;
    }
    if (rule.figure() == AlertFigure.METRIC) {
      for (GroupBy d : rule.filter().keySet()) {
        if (d != GroupBy.SERVICE) {
          out.add("filter." + wire(d) + ": metric series can be filtered by service only; remove it");
        }
      }
      if (rule.groupBy() != null && rule.groupBy() != GroupBy.SERVICE) {
        out.add("groupBy: metric series can be grouped by service only (or none), got " + wire(rule.groupBy()));
      }
      return out;
    }
    Set<GroupBy> dims = rule.filter().keySet();
    if (rule.groupBy() != null) {
      for (GroupBy d : dims) {
        if (d != rule.groupBy()) {
          out.add("filter." + wire(d) + ": " + rule.figure().wire() + " grouped by " + wire(rule.groupBy())
              + " can only be filtered by " + wire(rule.groupBy()) + "; group by " + wire(d) + " or drop the filter");
        }
      }
    } else if (dims.size() > 1) {
      out.add("filter: " + rule.figure().wire() + " can be filtered by one dimension at a time, got "
          + dims.stream().map(RuleParser::wire).collect(Collectors.joining(", ")) + "; keep one, or group by one and"
          + " filter by the same");
    }
    return out;
  }

  /** The dimension a rule's store query groups by: its groupBy, else its one filter dimension, else none. */
  static GroupBy queryDimension(AlertRule rule) {
    if (rule.groupBy() != null) {
      return rule.groupBy();
    }
    return rule.filter().isEmpty() ? null : rule.filter().keySet().iterator().next();
  }

  static String wire(GroupBy d) {
    return d.name().toLowerCase(Locale.ROOT);
  }

  private static String dimensions() {
    return Arrays.stream(GroupBy.values()).map(RuleParser::wire).collect(Collectors.joining(", "));
  }

  private static GroupBy dimension(String s) {
    return Arrays.stream(GroupBy.values()).filter(d -> wire(d).equalsIgnoreCase(s.trim())).findFirst().orElse(null);
  }

  private static String text(JsonNode node, String field, List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(field + ": must be a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
      return null;
    }
    return v.asText();
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 1w} or ISO-8601 ({@code PT5M}). */
  private static Duration duration(JsonNode node, String field, List<String> problems) {
    String s = text(node, field, problems);
    if (s == null) {
      return null;
    }
    String t = s.trim().toLowerCase(Locale.ROOT);
    boolean negative = t.startsWith("-");
    Matcher m = DURATION.matcher(negative ? t.substring(1) : t);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
      d = negative ? d.negated() : d;
    } else {
      try {
        d = Duration.parse(s.trim());
      } catch (DateTimeParseException e) {
        problems.add(field + ": '" + s + "' is not a duration; write e.g. \"30s\", \"5m\", \"1h\", \"1d\" or \"PT5M\"");
        return null;
      }
    }
    return d;
  }

  private static Condition condition(String s, List<String> problems) {
    Matcher m = CONDITION.matcher(s.trim());
    if (!m.matches()) {
      problems.add("condition: '" + s + "' is not understood; write \"> 0.05\", \">= 100\", \"< 10\", \"<= 1\" or"
          + " \"increase_pct > 50 vs 1d\" (or vs 1w)");
      return null;
    }
    Condition.Comparison op = Arrays.stream(Condition.Comparison.values()).filter(c -> c.symbol().equals(m.group(2)))
        .findFirst().orElseThrow();
    BigDecimal value = new BigDecimal(m.group(3));
    Condition.Baseline baseline = null;
    if (m.group(1) != null) {
      String vs = m.group(4) == null ? "1d" : m.group(4);
      baseline = Arrays.stream(Condition.Baseline.values()).filter(b -> b.wire().equalsIgnoreCase(vs)).findFirst()
          .orElse(null);
      if (baseline == null) {
        problems.add("condition: baseline 'vs " + vs + "' is unknown; compare with the same window 1d or 1w earlier");
        return null;
      }
    } else if (m.group(4) != null) {
      problems.add("condition: 'vs " + m.group(4) + "' needs increase_pct, e.g. \"increase_pct > 50 vs 1d\"");
      return null;
    }
    return new Condition(op, value, baseline);
  }
}
