package dev.sightline.store;

import java.util.List;

/**
 * Cost analytics for a window: the totals and series over all calls, and per group (at most the
 * query's limit, costliest first: cost descending with unpriced-only groups last, then calls, then
 * key). Series hold only the buckets with calls, oldest first. {@code totalGroups} counts every
 * group in the window, including those past the limit.
 */
public record CostReport(CostQuery query, CostFigures totals, List<CostPoint> series, List<CostGroup> groups,
    long totalGroups) {

  /** Whether some groups were left out by the limit (their calls are still in the totals). */
  public boolean truncated() {
    return groups.size() < totalGroups;
  }
}
