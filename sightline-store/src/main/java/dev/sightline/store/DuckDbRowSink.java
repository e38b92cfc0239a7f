package dev.sightline.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/** A {@link RowSink} over a DuckDB appender. */
final class DuckDbRowSink implements RowSink {
  private final DuckDBAppender a;

  DuckDbRowSink(DuckDBAppender a) {
    this.a = a;
  }

  @Override
  public void beginRow() throws SQLException {
    a.beginRow();
  }

  @Override
  public void endRow() throws SQLException {
    a.endRow();
  }

  @Override
  public void int8(long v) throws SQLException {
    a.append(v);
  }

  @Override
  public void int4(int v) throws SQLException {
    a.append(v);
  }

  @Override
  public void int2(short v) throws SQLException {
    a.append(v);
  }

  @Override
  public void float8(double v) throws SQLException {
    a.append(v);
  }

  @Override
  public void bool(boolean v) throws SQLException {
    a.append(v);
  }

  @Override
  public void text(String v) throws SQLException {
    a.append(v);
  }

  @Override
  public void decimal(BigDecimal scaled) throws SQLException {
    BigInteger unscaled = scaled.unscaledValue();
    if (unscaled.bitLength() < Long.SIZE) {
      // Costs under 9.2 USD (nearly all) fit a long at this scale: their two 64-bit halves go in
      // directly, without the appender's precision count and BigInteger shift for each value.
      long low = unscaled.longValue();
      a.appendDecimal(low, low < 0 ? -1L : 0L);
    } else {
      a.append(scaled);
    }
  }

  @Override
  public void nul() throws SQLException {
    a.appendNull();
  }
}
