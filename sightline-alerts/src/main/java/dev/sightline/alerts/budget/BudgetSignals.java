package dev.sightline.alerts.budget;

import dev.sightline.alerts.rules.Severity;
import dev.sightline.alerts.watch.AlertSignal;
import dev.sightline.alerts.watch.AlertSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Budgets as alerts: rule {@code budget:NAME:soft} (spend reached the soft share of the limit; a
 * warning) and rule {@code budget:NAME} (spend reached the limit; critical when the budget is hard,
 * since the gateway now refuses its calls). Each resolves when its window's spend falls back below.
 */
public final class BudgetSignals implements AlertSource {
  private final BudgetLedger ledger;

  public BudgetSignals(BudgetLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public List<AlertSignal> signals(Instant now) {
    List<AlertSignal> out = new ArrayList<>();
    for (BudgetStatus s : ledger.status()) {
      Budget b = s.budget();
      String id = "budget:" + b.name();
      String name = "Budget " + b.name() + " (" + b.scopeLabel() + ")";
      String spent = "$" + BudgetLedger.usd(s.spentUsd()).toPlainString() + " of $"
          + b.limitUsd().toPlainString() + " per " + b.period().wire()
          + " spent (" + Math.round(s.spentPct()) + " %); forecast at the window's end $"
          + BudgetLedger.usd(s.forecastUsd()).toPlainString();
      boolean soft = s.state() != BudgetStatus.State.OK;
      boolean spentOut = s.state() == BudgetStatus.State.EXHAUSTED;
      out.add(new AlertSignal(id + ":soft", name + ": soft limit", null, Severity.WARNING, soft, s.spentUsd(),
          spent + (soft ? "; soft limit " + b.softPct() + " % reached" : "")));
      out.add(new AlertSignal(id, name, null, b.hard() ? Severity.CRITICAL : Severity.WARNING, spentOut,
          s.spentUsd(), spent + (spentOut && b.hard() ? "; the gateway refuses new calls in this scope" : "")));
    }
    return out;
  }
}
