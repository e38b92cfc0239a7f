package dev.sightline.store;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Running aggregates of one group (and time bucket) of LLM calls, from rollup rows and raw rows alike. */
final class CallGroup {
  long calls;
  long errors;
  long errors4xx;
  long errors5xx;
  long unpriced;
  long inputTokens;
  long outputTokens;
  long cacheReadTokens;
  long cacheWriteTokens;
  long reasoningTokens;
  BigDecimal cost;
  double tpsSum;
  long tpsN;
  Percentiles[] exact;
  final LatencyHistogram[] hist = {new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()};

  /** Adds the 13 sums starting at column {@code from} (RAW_SUMS / ROLLUP_SUMS order). */
  void addScalars(ResultSet rs, int from) throws SQLException {
    calls += rs.getLong(from);
    errors += rs.getLong(from + 1);
    errors4xx += rs.getLong(from + 2);
    errors5xx += rs.getLong(from + 3);
    unpriced += rs.getLong(from + 4);
    inputTokens += rs.getLong(from + 5);
    outputTokens += rs.getLong(from + 6);
    cacheReadTokens += rs.getLong(from + 7);
    cacheWriteTokens += rs.getLong(from + 8);
    reasoningTokens += rs.getLong(from + 9);
    BigDecimal c = rs.getBigDecimal(from + 10);
    if (c != null) {
      cost = cost == null ? c : cost.add(c);
    }
    tpsSum += rs.getDouble(from + 11);
    tpsN += rs.getLong(from + 12);
  }

  void merge(CallGroup o) {
    calls += o.calls;
    errors += o.errors;
    errors4xx += o.errors4xx;
    errors5xx += o.errors5xx;
    unpriced += o.unpriced;
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    cacheReadTokens += o.cacheReadTokens;
    cacheWriteTokens += o.cacheWriteTokens;
    reasoningTokens += o.reasoningTokens;
    if (o.cost != null) {
      cost = cost == null ? o.cost : cost.add(o.cost);
    }
    tpsSum += o.tpsSum;
    tpsN += o.tpsN;
    for (int i = 0; i < hist.length; i++) {
      hist[i].addAll(o.hist[i]);
    }
  }

  SummaryRow row(String key) {
    Percentiles[] p = exact != null ? exact
        : new Percentiles[] {hist[0].percentiles(), hist[1].percentiles(), hist[2].percentiles()};
    return new SummaryRow(key, calls, errors, calls == 0 ? 0 : (double) errors / calls, p[0], p[1], p[2],
        inputTokens, outputTokens, CallRows.plain(cost), unpriced, errors4xx, errors5xx, cacheReadTokens,
        cacheWriteTokens, reasoningTokens, tpsN == 0 ? null : tpsSum / tpsN);
  }
}
