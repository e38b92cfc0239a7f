package dev.sightline.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a reader whose SQL several engines share runs its queries: each engine runs a unit of work
 * in one snapshot on one of its connections and turns SQL failures into {@link StoreException}s.
 */
public interface StoreReads {

  /** A unit of reading on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one snapshot; {@code what} names it in errors. */
  <T> T read(String what, Work<T> work);

  /**
   * SQL turning the text {@code expr} into a double, NULL where it is not a number: the one
   * expression the shared SQL words differently per engine (DuckDB's {@code TRY_CAST} here).
   */
  default String tryDouble(String expr) {
    return "TRY_CAST(" + expr + " AS DOUBLE)";
  }

  /** The DuckDB store's reads. */
  static StoreReads of(DuckDbStore store) {
    return new StoreReads() {
      @Override
      public <T> T read(String what, Work<T> work) {
        return store.read(what, work::run);
      }
    };
  }
}
