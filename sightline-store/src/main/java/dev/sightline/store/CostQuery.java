package dev.sightline.store;

import java.time.Instant;
import java.util.Locale;

/**
 * The cost analytics' grouping, time buckets and window. Null bounds mean open; the window is
 * {@code [since, until)}. {@code limit} caps how many groups come back with their own series (the
 * costliest first); totals always cover every call in the window.
 */
public record CostQuery(Dimension groupBy, Interval interval, Instant since, Instant until, int limit) {
  public CostQuery {
    groupBy = groupBy == null ? Dimension.MODEL : groupBy;
    interval = interval == null ? Interval.HOUR : interval;
    limit = limit <= 0 ? 100 : Math.min(limit, 10_000);
  }

  /** What calls are grouped by. {@code MODEL} is the response model, else the request model. */
  public enum Dimension {
    MODEL("model"), PROVIDER("provider"), SERVICE("service"), ROUTE("route"), USER("user"), SESSION("session");

    private final String wire;

    Dimension(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Dimension parse(String s) {
      String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      for (Dimension d : values()) {
        if (d.wire.equals(v)) {
          return d;
        }
      }
      throw new IllegalArgumentException(
          "groupBy must be one of model, provider, service, route, user, session; got '" + s + "'");
    }
  }

  /** Bucket width; buckets start on UTC hour or day boundaries. */
  public enum Interval {
    HOUR("1h", 3_600_000_000_000L), DAY("1d", 86_400_000_000_000L);

    private final String wire;
    private final long nanos;

    Interval(String wire, long nanos) {
      this.wire = wire;
      this.nanos = nanos;
    }

    public String wire() {
      return wire;
    }

    public long nanos() {
      return nanos;
    }

    /** The start of the bucket holding {@code epochNanos} (floor, also before 1970). */
    public long bucketOf(long epochNanos) {
      return Math.floorDiv(epochNanos, nanos) * nanos;
    }

    public static Interval parse(String s) {
      String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      for (Interval i : values()) {
        if (i.wire.equals(v)) {
          return i;
        }
      }
      throw new IllegalArgumentException("interval must be 1h or 1d; got '" + s + "'");
    }
  }
}
