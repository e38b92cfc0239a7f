package dev.sightline.store;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** What every DuckDB reader and the writer share: binding parameters, and time in epoch nanoseconds. */
final class Sql {
  private Sql() {}

  /** A work unit on one connection, run by {@link DuckDbStore#read} in one snapshot. */
  @FunctionalInterface
  interface Read<T> {
    T run(DuckDBConnection c) throws SQLException;
  }

  /** Prepares {@code sql} with {@code params} bound in order (Long, Integer, Array, BigDecimal, else String). */
  static PreparedStatement prepare(java.sql.Connection c, String sql, List<Object> params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < params.size(); i++) {
        Object p = params.get(i);
        if (p instanceof Long l) {
          ps.setLong(i + 1, l);
        } else if (p instanceof Integer n) {
          ps.setInt(i + 1, n);
        } else if (p instanceof Double d) {
          ps.setDouble(i + 1, d);
        } else if (p instanceof java.sql.Array a) {
          ps.setArray(i + 1, a);
        } else if (p instanceof BigDecimal d) {
          ps.setBigDecimal(i + 1, d);
        } else {
          ps.setString(i + 1, Text.clean((String) p));
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Appends " AND column = ?" and its value, when the value is given. */
  static void equal(StringBuilder where, List<Object> params, String column, Object value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }

  /** Epoch nanoseconds of {@code t}, saturating at the long range; {@code absent} when null. */
  static long nanos(Instant t, long absent) {
    if (t == null) {
      return absent;
    }
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  /** The hour boundary at or after {@code ns}, saturating. */
  static long ceilHour(long ns) {
    long h = CallRows.hourOf(ns);
    return h == ns ? h : (h > Long.MAX_VALUE - CallRows.HOUR_NS ? Long.MAX_VALUE : h + CallRows.HOUR_NS);
  }

  /**
   * SQL flooring the BIGINT expression {@code ns} to a multiple of {@code step} (UTC boundaries:
   * the epoch is midnight UTC); the double modulo keeps the floor right before 1970 too.
   */
  static String floor(String ns, long step) {
    return ns + " - ((" + ns + " % " + step + ") + " + step + ") % " + step;
  }
}
