package dev.sightline.store.postgres;

import dev.sightline.store.RowSink;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;

/** The shared row encoders' {@link RowSink} over one table's binary COPY stream. */
final class CopyRows implements RowSink {
  private final BinaryCopyWriter out;
  private final int columns;

  CopyRows(BinaryCopyWriter out, int columns) {
    this.out = out;
    this.columns = columns;
  }

  @Override
  public void beginRow() throws SQLException {
    io(() -> out.row(columns));
  }

  @Override
  public void endRow() {
    // the row declared its field count up front; BinaryCopyWriter checks it on the next row
  }

  @Override
  public void int8(long v) throws SQLException {
    io(() -> out.int8(v));
  }

  @Override
  public void int4(int v) throws SQLException {
    io(() -> out.int4(v));
  }

  @Override
  public void int2(short v) throws SQLException {
    io(() -> out.int2(v));
  }

  @Override
  public void float8(double v) throws SQLException {
    io(() -> out.float8(v));
  }

  @Override
  public void bool(boolean v) throws SQLException {
    io(() -> out.bool(v));
  }

  @Override
  public void text(String v) throws SQLException {
    io(() -> out.text(PgText.encode(v)));
  }

  @Override
  public void decimal(BigDecimal v) throws SQLException {
    io(() -> out.numeric(v));
  }

  @Override
  public void nul() throws SQLException {
    io(out::nul);
  }

  @FunctionalInterface
  private interface Io {
    Object run() throws IOException;
  }

  private static void io(Io field) throws SQLException {
    try {
      field.run();
    } catch (IOException e) {
      throw new SQLException("Could not encode a COPY row: " + e.getMessage(), e);
    }
  }
}
