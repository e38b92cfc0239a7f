package dev.sightline.store;

import java.math.BigDecimal;
import java.sql.SQLException;

/**
 * Where an engine's writer puts the columns of one table row, in the table's column order: DuckDB's
 * appender, PostgreSQL's binary COPY. The row encoders ({@code CallRows}, {@code SpanRows}) compute
 * every column once for all engines.
 */
public interface RowSink {
  void beginRow() throws SQLException;

  void endRow() throws SQLException;

  void int8(long v) throws SQLException;

  void int4(int v) throws SQLException;

  void int2(short v) throws SQLException;

  void float8(double v) throws SQLException;

  void bool(boolean v) throws SQLException;

  /** A string already made safe to store ({@code Text.clean}). */
  void text(String v) throws SQLException;

  /** A decimal at the storage scale (18 places). */
  void decimal(BigDecimal v) throws SQLException;

  void nul() throws SQLException;
}
