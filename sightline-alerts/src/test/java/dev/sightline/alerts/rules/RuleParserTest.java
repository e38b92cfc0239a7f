package dev.sightline.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sightline.store.GroupBy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleParserTest {

  @Test
  void readsAFullRuleFromJson() throws RuleException {
    AlertRule r = RuleParser.fromJson("""
        {"id":"openai-5xx","name":"OpenAI 5xx","figure":"error_rate_5xx","filter":{"provider":"openai"},
         "groupBy":"provider","window":"5m","condition":">= 0.05","for":"2m","severity":"critical"}""");
    assertThat(r.id()).isEqualTo("openai-5xx");
    assertThat(r.name()).isEqualTo("OpenAI 5xx");
    assertThat(r.figure()).isEqualTo(AlertFigure.ERROR_RATE_5XX);
    assertThat(r.filter()).isEqualTo(Map.of(GroupBy.PROVIDER, "openai"));
    assertThat(r.groupBy()).isEqualTo(GroupBy.PROVIDER);
    assertThat(r.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.condition()).isEqualTo(new Condition(Condition.Comparison.GE, new BigDecimal("0.05"), null));
    assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void defaultsNameForAndSeverityAndReadsBaselinesAndMetrics() throws RuleException {
    AlertRule r = RuleParser.fromJson("""
        {"id":"cost-up","figure":"cost_per_hour","window":"1h","condition":"increase_pct > 50 vs 1w"}""");
    assertThat(r.name()).isEqualTo("cost-up");
    assertThat(r.forDuration()).isZero();
    assertThat(r.severity()).isEqualTo(Severity.WARNING);
    assertThat(r.groupBy()).isNull();
    assertThat(r.condition().baseline()).isEqualTo(Condition.Baseline.WEEK);
    assertThat(r.condition().toString()).isEqualTo("increase_pct > 50 vs 1w");

    AlertRule m = RuleParser.fromJson("""
        {"id":"queue","figure":"metric","metric":"vllm:num_requests_waiting","agg":"max",
         "filter":{"service":"vllm"},"groupBy":"service","window":"PT10M","condition":"> 20"}""");
    assertThat(m.measure()).isEqualTo("vllm:num_requests_waiting");
    assertThat(m.agg()).isEqualTo("max");
    assertThat(m.window()).isEqualTo(Duration.ofMinutes(10));

    AlertRule q = RuleParser.fromJson("""
        {"id":"grounded","figure":"quality_flagged_rate","score":"groundedness","groupBy":"route","window":"1d",
         "condition":"> 0.2"}""");
    assertThat(q.measure()).isEqualTo("groundedness");
  }

  @Test
  void readsTheSameRuleFromAConfigLine() throws RuleException {
    AlertRule json = RuleParser.fromJson("""
        {"id":"chat-p95","figure":"latency_p95_ms","filter":{"route":"/chat"},"groupBy":"route","window":"10m",
         "condition":"> 2000","for":"5m","severity":"info"}""");
    AlertRule line = RuleParser.fromConfig("id=chat-p95; figure=latency_p95_ms; filter.route=/chat; groupBy=route;"
        + " window=10m; condition=> 2000; for=5m; severity=info");
    assertThat(line).isEqualTo(json);
  }

  @Test
  void reportsEveryMistakeAtOnceNamingFieldAndFix() {
    RuleException e = catchThrowableOfType(RuleException.class, () -> RuleParser.fromJson("""
        {"id":"bad rule!","figure":"cost_per_minute","filter":{"key":"sk-1"},"groupBy":"country",
         "window":"-5m","condition":"above 3","for":"25h","severity":"loud","windw":"5m"}"""));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(9);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("windw: unknown field").contains("window"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("id: 'bad rule!'"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("figure: unknown 'cost_per_minute'")
        .contains(AlertFigure.valid()));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("filter.key: unknown dimension")
        .contains("model, provider, service, route, user, session"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("groupBy: unknown 'country'"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("window: must be positive"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("condition: 'above 3' is not understood")
        .contains("increase_pct > 50 vs 1d"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("for: at most 24h"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("severity: unknown 'loud'")
        .contains("info, warning or critical"));
    assertThat(e.getMessage()).contains("windw").contains("severity");
  }

  @Test
  void refusesFiltersTheStoreCannotApply() {
    assertThatThrownBy(() -> RuleParser.fromJson("""
        {"id":"a","figure":"cost_per_hour","filter":{"route":"/chat"},"groupBy":"model","window":"1h",
         "condition":"> 10"}""")).isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.problems())
        .containsExactly("filter.route: cost_per_hour grouped by model can only be filtered by model;"
            + " group by route or drop the filter"));
    assertThatThrownBy(() -> RuleParser.fromJson("""
        {"id":"a","figure":"calls","filter":{"route":"/chat","user":"u1"},"window":"1h","condition":"> 10"}"""))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("filter: calls can be filtered by one dimension at a time"));
    assertThatThrownBy(() -> RuleParser.fromJson("""
        {"id":"a","figure":"metric","metric":"gpu_util","agg":"p95x","filter":{"model":"m"},"groupBy":"route",
         "window":"1h","condition":"> 10"}""")).isInstanceOfSatisfying(RuleException.class, e -> assertThat(
        e.problems()).containsExactlyInAnyOrder(
        "agg: unknown 'p95x'; use avg, max, min, sum, last (gauges), rate, increase (counters), mean or a quantile"
            + " such as p95 (histograms)",
        "filter.model: metric series can be filtered by service only; remove it",
        "groupBy: metric series can be grouped by service only (or none), got route"));
  }

  @Test
  void requiresWhatEachFigureNeeds() {
    RuleException e = catchThrowableOfType(RuleException.class, () -> RuleParser.fromJson("""
        {"figure":"quality_flagged_rate","metric":"x","agg":"max"}"""));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "id: required; give the rule an id of letters, digits, '.', '_' or '-'",
        "window: required, e.g. \"5m\" or \"1h\"",
        "condition: required, e.g. \"> 0.05\" or \"increase_pct > 50 vs 1d\"",
        "score: required for quality_flagged_rate; name the score, e.g. \"groundedness\"",
        "metric: only for figure metric; remove it or change the figure",
        "agg: only for figure metric; remove it");
  }

  @Test
  void badInputNeverThrowsAnythingButRuleException() {
    for (String bad : new String[] {null, "", "[1]", "{", "{\"id\":3,\"window\":[],\"filter\":\"x\"}",
        "{\"id\":\"a\",\"figure\":\"calls\",\"window\":\"99999999999d\",\"condition\":\"> 1e999999999\"}",
        "{\"id\":\"a\",\"figure\":\"calls\",\"window\":\"5m\",\"condition\":\"> 1 vs 1d\"}"}) {
      assertThatThrownBy(() -> RuleParser.fromJson(bad)).as(String.valueOf(bad)).isInstanceOf(RuleException.class);
    }
    assertThatThrownBy(() -> RuleParser.fromConfig("id=a; nonsense; window=5m"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.problems())
            .contains("'nonsense' is not key=value; write e.g. window=5m")
            .anySatisfy(p -> assertThat(p).startsWith("figure: required")));
  }

  @Test
  void writesRulesBackAsJsonThatReadsTheSame() throws RuleException {
    for (String json : new String[] {
        """
        {"id":"a","name":"A","figure":"error_rate_5xx","filter":{"provider":"openai"},"groupBy":"provider",
         "window":"90s","condition":"<= 0.5","for":"0s","severity":"critical"}""",
        """
        {"id":"b","figure":"cost_per_hour","window":"1w","condition":"increase_pct >= 25.5 vs 1d","for":"1500ms"}""",
        """
        {"id":"c","figure":"metric","metric":"gpu_util","agg":"p99.9","window":"PT1.0005S","condition":"> 0.9"}""",
        """
        {"id":"d","figure":"quality_flagged_rate","score":"injection","window":"1d","condition":"> 0"}"""}) {
      AlertRule rule = RuleParser.fromJson(json);
      String written = RuleParser.toJson(rule).toString();
      assertThat(RuleParser.fromJson(written)).as(written).isEqualTo(rule);
    }
    assertThat(RuleParser.toJson(RuleParser.fromJson("""
        {"id":"a","figure":"calls","window":"120m","condition":"> 1"}""")).toString())
        .isEqualTo("{\"id\":\"a\",\"name\":\"a\",\"figure\":\"calls\",\"window\":\"2h\",\"condition\":\"> 1\","
            + "\"for\":\"0s\",\"severity\":\"warning\"}");
  }
}
