package dev.sightline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * Opening a {@link DuckDbStore}: the data directory checked, DuckDB's settings, the schema
 * migrated, the writer's state loaded, and errors (a locked file, an unwritable directory) turned
 * into messages that say what to do. Remembers which files this process has open.
 */
final class Opening {
  private Opening() {}

  private static final Set<Path> OPEN_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();
  private static final Pattern PID = Pattern.compile("PID (\\d+)");

  /** The store of {@code file} has closed: the file may be opened again. */
  static void closed(Path file) {
    OPEN_IN_THIS_PROCESS.remove(file);
  }

  static DuckDbStore open(Path dataDir, DuckDbStore.Tuning tuning, int threads, long memoryLimitBytes) {
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException("memory limit must be 0 (DuckDB's default) or more, got " + memoryLimitBytes);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (DuckDB's default) or more, got " + threads);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("Cannot create the data directory " + dir + " (" + e + "). Choose another"
          + " data directory or create this one with write permission for the user running Sightline.", e);
    }
    if (!Files.isDirectory(dir)) {
      throw new StoreException("The data directory " + dir + " is not a directory. Choose another data directory.");
    }
    if (!Files.isWritable(dir)) {
      throw new StoreException("The data directory " + dir + " is not writable by this user. Fix its permissions"
          + " (e.g. chown/chmod) or choose another data directory.");
    }
    Path file = dir.resolve(DuckDbStore.FILE_NAME);
    if (!OPEN_IN_THIS_PROCESS.add(file)) {
      throw new StoreException("The database " + file + " is already open in this process. Close the other"
          + " store first, or use another data directory.");
    }
    DuckDBConnection conn = null;
    try {
      Properties config = new Properties();
      // Checkpoint (fold the WAL into the database file) every 256 MB of WAL instead of DuckDB's
      // 16 MB: each checkpoint rewrites the tables' open row groups, so frequent ones cost most of
      // the write path's time under sustained ingest.
      config.setProperty("checkpoint_threshold", (Upkeep.WAL_CHECKPOINT >> 20) + "MiB");
      if (threads > 0) {
        config.setProperty("threads", Integer.toString(threads));
      }
      if (memoryLimitBytes > 0) {
        config.setProperty("memory_limit", Math.max(1, memoryLimitBytes >> 20) + "MiB");
      }
      conn = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + file, config);
      Schema.migrate(conn, file.toString(), tuning.schemaVersion());
      DuckDbStore store = new DuckDbStore(file, tuning, conn);
      try {
        if (tuning.schemaVersion() >= 2) {
          store.loadWriterState();
        }
      } catch (SQLException | RuntimeException e) {
        store.close(); // the lanes' connections too: any left open would keep the file locked
        throw e;
      }
      return store;
    } catch (SQLException e) {
      DuckDbStore.closeQuietly(conn);
      OPEN_IN_THIS_PROCESS.remove(file);
      throw openError(file, e);
    } catch (RuntimeException e) {
      DuckDbStore.closeQuietly(conn);
      OPEN_IN_THIS_PROCESS.remove(file);
      throw e;
    }
  }

  private static StoreException openError(Path file, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("lock")) {
      Matcher m = PID.matcher(msg);
      String who = m.find() ? "process " + m.group(1) : "another process";
      return new StoreException("The database " + file + " is locked by " + who + " (another Sightline server or a"
          + " DuckDB client has it open). Stop that process, or start Sightline with a different data directory."
          + " DuckDB said: " + msg, e);
    }
    return new StoreException("Cannot open the database " + file + ": " + msg, e);
  }
}
