package dev.sightline.alerts.rules;

import dev.sightline.store.CostQuery;
import dev.sightline.store.CostReport;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.QualityQuery;
import dev.sightline.store.QualityRow;
import dev.sightline.store.SeriesGroup;
import dev.sightline.store.SeriesQuery;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The store's answers within one evaluation round: each distinct query (the query records are values)
 * is asked once, and every rule that needs it reads the same answer, or the same failure.
 */
final class QueryRound {
  private final Store store;
  private final Map<Object, Answer> answers = new HashMap<>();

  QueryRound(Store store) {
    this.store = store;
  }

  List<SummaryRow> summary(SummaryQuery q) {
    return ask(q, x -> store.summary((SummaryQuery) x));
  }

  CostReport cost(CostQuery q) {
    return ask(q, x -> store.cost((CostQuery) x));
  }

  List<SeriesGroup> series(SeriesQuery q) {
    return ask(q, x -> store.series((SeriesQuery) x));
  }

  List<QualityRow> quality(QualityQuery q) {
    return ask(q, x -> store.quality((QualityQuery) x));
  }

  List<MetricSeries> metricSeries(MetricQuery q) {
    return ask(q, x -> store.metricSeries((MetricQuery) x));
  }

  /** How many queries reached the store so far. */
  int asked() {
    return answers.size();
  }

  @SuppressWarnings("unchecked")
  private <T> T ask(Record query, Function<Object, Object> run) {
    Answer a = answers.computeIfAbsent(query, q -> {
      try {
        return new Answer(run.apply(q), null);
      } catch (RuntimeException e) {
        // kept, so that each rule sharing the query fails with the store's own message, as it would alone
        return new Answer(null, e);
      }
    });
    if (a.failure() != null) {
      throw a.failure();
    }
    return (T) a.value();
  }

  private record Answer(Object value, RuntimeException failure) {}
}
