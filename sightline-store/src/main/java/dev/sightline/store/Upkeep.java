package dev.sightline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path's upkeep once a caller has taken it over ({@link Store#maintain}): folding calls
 * into the rollups on the writer, and checkpointing the WAL into the database file on a thread and
 * connection of its own, so that neither holds up a group commit's acknowledgement. Runs under the
 * store's write lock (only the checkpoint itself runs outside it).
 */
final class Upkeep {
  private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);
  /** The WAL size at which the upkeep checkpoints by default (and DuckDB's own threshold until a caller maintains). */
  static final long WAL_CHECKPOINT = 256L << 20;
  /** DuckDB's own checkpoint threshold (inside a commit) once the upkeep is the caller's. */
  static final long WAL_BACKSTOP = 1L << 30;

  /** Opens a connection to the store's database; null once the store is closed. */
  @FunctionalInterface
  interface Connections {
    DuckDBConnection open() throws SQLException;
  }

  private final Path wal;
  private final long checkpointBytes;
  private final BatchWriter writer;
  private final DuckDBConnection writerConnection;
  private final Connections connections;
  private final AtomicBoolean checkpointing = new AtomicBoolean();
  private boolean takenOver;
  private volatile Thread checkpointThread;

  Upkeep(Path wal, long checkpointBytes, BatchWriter writer, DuckDBConnection writerConnection,
      Connections connections) {
    this.wal = wal;
    this.checkpointBytes = checkpointBytes;
    this.writer = writer;
    this.writerConnection = writerConnection;
    this.connections = connections;
  }

  /** Called under the store's write lock after the caller has acknowledged its writes. */
  void run() {
    if (!takenOver) {
      takenOver = true;
      writer.deferUpkeep();
      try (Statement s = writerConnection.createStatement()) {
        s.execute("SET checkpoint_threshold = '" + (WAL_BACKSTOP >> 20) + "MiB'");
      } catch (SQLException e) {
        LOG.warn("Could not move DuckDB's automatic checkpoint out of the commits: {}", e.getMessage());
      }
    }
    writer.rollIfDue();
    if (walBytes() >= checkpointBytes && checkpointing.compareAndSet(false, true)) {
      // DuckDB lets commits go on for most of a checkpoint run from another connection; on the
      // writer it would hold up the next group for the whole of it
      Thread t = Thread.ofPlatform().daemon().name("sightline-checkpoint").unstarted(this::checkpoint);
      checkpointThread = t;
      t.start();
    }
  }

  /** Waits for a running checkpoint, whose connection keeps the database open, before the store closes. */
  void awaitCheckpoint() {
    Thread t = checkpointThread;
    if (t == null) {
      return;
    }
    try {
      t.join(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkpoint() {
    long bytes = walBytes();
    DuckDBConnection c = null;
    try {
      c = connections.open();
      if (c == null) {
        return;
      }
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      }
    } catch (SQLException e) {
      LOG.info("Checkpoint of a {} MiB WAL deferred (DuckDB folds it in itself at {} MiB): {}", bytes >> 20,
          WAL_BACKSTOP >> 20, e.getMessage());
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException e) {
          LOG.debug("closing the checkpoint's connection: {}", e.getMessage());
        }
      }
      checkpointing.set(false);
    }
  }

  private long walBytes() {
    try {
      return Files.size(wal);
    } catch (IOException e) {
      return 0; // none yet, or just folded in
    }
  }
}
