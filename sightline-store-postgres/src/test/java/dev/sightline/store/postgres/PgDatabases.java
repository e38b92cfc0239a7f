package dev.sightline.store.postgres;

import dev.sightline.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The conformance tests' databases: one {@link PostgresServer} per test JVM, started on first use
 * and stopped at exit, and one fresh database per test directory, copied from a migrated template
 * (CREATE DATABASE … TEMPLATE), so that {@code reopen()} finds the same data and tests share none.
 */
final class PgDatabases {
  private PgDatabases() {}

  private static final String TEMPLATE = "sightline_template";
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Map<Path, String> BY_DIR = new ConcurrentHashMap<>();
  private static PostgresServer server;

  /** The store on {@code dir}'s database, created from the template on the first open. */
  static Store open(Path dir) {
    String db = BY_DIR.computeIfAbsent(dir, d -> create());
    return PostgresStore.open(url(db), 4);
  }

  /** The store on {@code dir}'s database in {@code schema} (created and migrated there on the first open). */
  static Store open(Path dir, String schema) {
    String db = BY_DIR.computeIfAbsent(dir, d -> create());
    return PostgresStore.open(url(db), 4, schema);
  }

  /** A new empty database (not migrated) on the shared server; its PgJDBC URL. */
  static String emptyDatabase() {
    String db = "sightline_empty_" + NEXT.incrementAndGet();
    server();
    sql("CREATE DATABASE " + db);
    return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + db + "?user=" + PostgresServer.USER;
  }

  /** A new migrated database on the shared server: its postgres:// URL. */
  static String freshDatabase() {
    return url(create());
  }

  /** postgres:// URL of {@code database} on the shared server. */
  static String url(String database) {
    return "postgres://" + PostgresServer.USER + "@127.0.0.1:" + server().port() + "/" + database;
  }

  static synchronized PostgresServer server() {
    if (server == null) {
      try {
        server = PostgresServer.start();
        PostgresServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (Exception ignored) {
            // the JVM is exiting; the temp directory goes with the next reboot at worst
          }
        }));
        sql("CREATE DATABASE " + TEMPLATE);
        PostgresStore.open(url(TEMPLATE), 1).close(); // migrated once; every test database copies it
      } catch (Exception e) {
        throw new IllegalStateException("Could not start the test PostgreSQL: " + e.getMessage(), e);
      }
    }
    return server;
  }

  private static String create() {
    String db = "sightline_test_" + NEXT.incrementAndGet();
    server();
    sql("CREATE DATABASE " + db + " TEMPLATE " + TEMPLATE);
    return db;
  }

  private static void sql(String statement) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }
}
