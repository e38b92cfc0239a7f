package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.alerts.budget.Budget;
import dev.sightline.alerts.budget.BudgetLedger;
import dev.sightline.alerts.budget.BudgetStatus;
import dev.sightline.alerts.budget.BurnDown;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The budgets endpoints: {@code /api/v1/budgets} (each budget's spend, forecast and state now) and
 * {@code /api/v1/budgets/burndown} (one budget's cumulative spend over its window and the forecast).
 */
public final class BudgetsApi {
  private final BudgetLedger ledger;
  private final Executor blocking;
  private final Clock clock;

  private final java.util.function.Supplier<Map<String, Long>> refusals;

  /** {@code refusals}: the gateway's refused calls per budget. */
  public BudgetsApi(BudgetLedger ledger, java.util.function.Supplier<Map<String, Long>> refusals, Executor blocking) {
    this.ledger = ledger;
    this.refusals = refusals;
    this.blocking = blocking;
    this.clock = Clock.systemUTC();
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/budgets", ApiEndpoints.get(blocking, clock, r -> budgets(), Set.of()));
    sb.service("/api/v1/budgets/burndown", ApiEndpoints.get(blocking, clock, this::burndown, Set.of("name")));
  }

  private Object budgets() {
    List<Object> out = new ArrayList<>();
    for (BudgetStatus s : ledger.status()) {
      Budget b = s.budget();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", b.name());
      m.put("scope", b.scope().wire());
      m.put("scopeValue", b.scopeValue());
      m.put("period", b.period().wire());
      m.put("hard", b.hard());
      m.put("limitUsd", usd(b.limitUsd()));
      m.put("softPct", b.softPct());
      m.put("softUsd", usd(b.softUsd()));
      m.put("spentUsd", usd(s.spentUsd()));
      m.put("spentPct", s.spentPct());
      m.put("windowStart", s.windowStart().toString());
      m.put("windowEnd", s.windowEnd().toString());
      m.put("forecastUsd", usd(s.forecastUsd()));
      m.put("forecastPct", s.forecastPct());
      m.put("forecastBasis", s.basis().wire());
      m.put("state", s.state().wire());
      m.put("refusals", refusals.get().getOrDefault(b.name(), 0L));
      out.add(m);
    }
    return Map.of("budgets", out);
  }

  private Object burndown(ApiRequest r) {
    String name = r.param("name");
    if (name == null) {
      throw new ApiException(400, "missing_parameter", "'name' is required: a budget's name from /api/v1/budgets");
    }
    BurnDown d = ledger.burnDown(name).orElseThrow(() -> new ApiException(404, "budget_not_found",
        "no budget is named '" + name + "'; /api/v1/budgets lists them (--budget)"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.budget().name());
    m.put("limitUsd", usd(d.budget().limitUsd()));
    m.put("softUsd", usd(d.budget().softUsd()));
    m.put("windowStart", d.windowStart().toString());
    m.put("windowEnd", d.windowEnd().toString());
    m.put("spent", points(d.spent()));
    m.put("forecast", points(d.forecast()));
    return m;
  }

  /** The budget families of /metrics: spend and limit per budget, and the gateway's refusals. */
  public String metrics() {
    StringBuilder b = new StringBuilder();
    List<BudgetStatus> all = ledger.status();
    b.append("# HELP sightline_budget_spent_usd Spend in the budget's current window, USD.\n");
    b.append("# TYPE sightline_budget_spent_usd gauge\n");
    all.forEach(s -> b.append("sightline_budget_spent_usd{budget=\"").append(PrometheusLabels.escape(s.budget().name())).append("\"} ")
        .append(s.spentUsd().toPlainString()).append('\n'));
    b.append("# HELP sightline_budget_limit_usd The budget's limit per window, USD.\n");
    b.append("# TYPE sightline_budget_limit_usd gauge\n");
    all.forEach(s -> b.append("sightline_budget_limit_usd{budget=\"").append(PrometheusLabels.escape(s.budget().name())).append("\"} ")
        .append(s.budget().limitUsd().toPlainString()).append('\n'));
    b.append("# HELP sightline_gateway_budget_refusals_total Gateway calls refused with 429 because a hard budget was spent.\n");
    b.append("# TYPE sightline_gateway_budget_refusals_total counter\n");
    new java.util.TreeMap<>(refusals.get()).forEach((name, n) -> b.append("sightline_gateway_budget_refusals_total{budget=\"")
        .append(PrometheusLabels.escape(name)).append("\"} ").append(n).append('\n'));
    return b.toString();
  }


  private static List<Object> points(List<BurnDown.Point> ps) {
    List<Object> out = new ArrayList<>(ps.size());
    for (BurnDown.Point p : ps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t", p.t().toString());
      m.put("usd", usd(p.usd()));
      out.add(m);
    }
    return out;
  }

  /** Exact USD as a decimal string (no float rounding on the way to the browser). */
  private static String usd(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }
}
