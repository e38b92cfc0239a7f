package dev.sightline.server;

import dev.sightline.alerts.budget.BudgetLedger;
import dev.sightline.evaluators.Evaluations;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchSink;
import dev.sightline.server.projects.ProjectStores;
import java.util.List;
import java.util.function.Supplier;

/**
 * The writer role's end of the pipeline: each project's batches into its store in one group commit,
 * then the budgets told what was committed (or discarded) and the evaluators what was stored.
 *
 * <p>Budgets count each priced batch before its commit (so the gateway's admission sees a call's cost at
 * once) and move it to committed after. {@code budgets} is null where this process keeps none.
 */
final class StoreSink implements BatchSink {
  private final ProjectStores stores;
  private final BudgetLedger budgets;
  private final Supplier<Evaluations> evaluations;

  StoreSink(ProjectStores stores, BudgetLedger budgets, Supplier<Evaluations> evaluations) {
    this.stores = stores;
    this.budgets = budgets;
    this.evaluations = evaluations;
  }

  @Override
  public void write(List<TelemetryBatch> batches) {
    // budgets are the server's (the default project's), like alerts
    List<TelemetryBatch> own = budgets == null ? List.of()
        : batches.stream().filter(b -> b.project().equals(TelemetryBatch.DEFAULT_PROJECT)).toList();
    try {
      stores.write(batches);
    } catch (RuntimeException e) {
      if (budgets != null) {
        budgets.discarded(own);
      }
      throw e;
    }
    stored(batches, own);
  }

  /** What follows a commit of these batches, made by this sink or by a bus writer. */
  void stored(List<TelemetryBatch> batches) {
    stored(batches, List.of());
  }

  private void stored(List<TelemetryBatch> batches, List<TelemetryBatch> own) {
    if (budgets != null) {
      budgets.written(own);
    }
    Evaluations e = evaluations.get();
    if (e != null) {
      e.stored(batches); // never blocks: a full evaluation queue drops and counts
    }
  }

  @Override
  public void maintain() {
    stores.maintain();
  }

  @Override
  public void prepare(TelemetryBatch batch) {
    stores.prepare(batch);
    if (budgets != null && batch.project().equals(TelemetryBatch.DEFAULT_PROJECT)) {
      budgets.prepared(batch);
    }
  }
}
