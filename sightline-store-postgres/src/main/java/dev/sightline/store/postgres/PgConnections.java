package dev.sightline.store.postgres;

import dev.sightline.store.StoreException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of PgJDBC connections: at most {@code size} in use at once, idle ones reused,
 * broken ones dropped and replaced on the next take. With a schema, every connection's search path
 * is that schema alone, so unqualified tables and functions are the schema's own.
 */
final class PgConnections implements AutoCloseable {
  private static final long TAKE_TIMEOUT_S = 30;

  private final String jdbcUrl;
  private final Properties properties;
  private final int size;
  private final String schema;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  PgConnections(String url, int size) {
    this(url, size, null);
  }

  /** A pool whose connections search only {@code schema} (a name {@link #quote} accepts), or as the URL says when null. */
  PgConnections(String url, int size, String schema) {
    if (size < 1) {
      throw new IllegalArgumentException("the PostgreSQL pool size must be at least 1, got " + size);
    }
    this.properties = new Properties();
    this.jdbcUrl = jdbcUrl(url, properties);
    this.size = size;
    this.schema = schema == null ? null : quote(schema);
    this.permits = new Semaphore(size, true);
  }

  /**
   * A PgJDBC URL for {@code postgres://user:pass@host:port/db?params} (also {@code postgresql://}),
   * user and password moved to {@code properties}; a {@code jdbc:postgresql:} URL as it is.
   */
  static String jdbcUrl(String url, Properties properties) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("no PostgreSQL URL: give postgres://user:password@host:5432/database");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return url;
    }
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new IllegalArgumentException("not a PostgreSQL URL: '" + url.replaceAll(":[^:@/]*@", ":***@")
          + "'; give postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
    }
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed PostgreSQL URL (" + e.getMessage().replaceAll(":[^:@/]*@", ":***@")
          + "); special characters in the password must be %-encoded", e);
    }
    if (u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
      throw new IllegalArgumentException("a PostgreSQL URL needs a host and a database: postgres://user:password@"
          + "host:5432/database");
    }
    if (u.getRawUserInfo() != null) {
      String[] userPass = u.getRawUserInfo().split(":", 2);
      properties.setProperty("user", URLDecoder.decode(userPass[0], StandardCharsets.UTF_8));
      if (userPass.length == 2) {
        properties.setProperty("password", URLDecoder.decode(userPass[1], StandardCharsets.UTF_8));
      }
    }
    return "jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getRawPath()
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  int size() {
    return size;
  }

  /** A connection in autocommit mode; give it back with {@link #give}. */
  Connection take() throws SQLException {
    if (closed) {
      throw new StoreException("The PostgreSQL store is closed");
    }
    try {
      if (!permits.tryAcquire(TAKE_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new StoreException("No PostgreSQL connection free within " + TAKE_TIMEOUT_S + " s (pool of " + size
            + "); raise the pool size or look for slow queries");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while waiting for a PostgreSQL connection", e);
    }
    try {
      Connection c = idle.pollFirst();
      return c != null ? c : connect();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, properties);
    if (schema != null) {
      // in autocommit: the setting lasts as long as the connection (the schema may not exist yet: migrate creates it)
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("SET search_path TO " + schema);
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
    }
    return c;
  }

  /** Schema names: lower-case letters, digits, {@code _ - ~}, at most 63 chars, not PostgreSQL's own {@code pg_…}. */
  private static final java.util.regex.Pattern SCHEMA = java.util.regex.Pattern.compile("[a-z_][a-z0-9_~-]{0,62}");

  /** {@code schema} as a quoted identifier; refuses a name outside {@link #SCHEMA}. */
  static String quote(String schema) {
    if (schema == null || !SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
      throw new IllegalArgumentException("not a usable PostgreSQL schema name: '" + schema + "'; give 1 to 63 of"
          + " a-z 0-9 _ - ~, starting with a letter or _ (and not pg_)");
    }
    return '"' + schema + '"';
  }

  /** The schema every connection searches (quoted), or null for the URL's search path. */
  String schema() {
    return schema;
  }

  /** Returns {@code c} to the pool, or closes it when {@code broken} (or the pool is closed). */
  void give(Connection c, boolean broken) {
    try {
      if (broken || closed || !c.getAutoCommit()) {
        closeQuietly(c);
      } else {
        idle.offerFirst(c);
      }
    } catch (SQLException e) {
      closeQuietly(c);
    } finally {
      permits.release();
    }
  }

  /** Work on one pooled connection. */
  @FunctionalInterface
  interface Use<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection; a failure closes that connection (its state is
   * unknown), and an SQL failure becomes a {@link StoreException} saying that {@code what} failed.
   */
  <T> T use(String what, Use<T> work) {
    Connection c;
    try {
      c = take();
    } catch (SQLException e) {
      throw new StoreException(what + " failed: no connection: " + e.getMessage(), e);
    }
    boolean broken = true;
    try {
      T result = work.run(c);
      broken = false;
      return result;
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    } finally {
      give(c, broken);
    }
  }

  /**
   * Runs {@code work} in one transaction on {@code c} (in auto-commit mode before and after), after
   * {@code setup} (a SET TRANSACTION, or null); rolls back on any failure.
   */
  static <T> T transaction(Connection c, String setup, Use<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      if (setup != null) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute(setup);
        }
      }
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.pollFirst()) != null; ) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the connection is gone either way
    }
  }
}
