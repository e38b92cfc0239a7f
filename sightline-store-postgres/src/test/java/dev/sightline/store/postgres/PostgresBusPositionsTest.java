package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusPositionsConformanceSuite;
import dev.sightline.store.BusRead;
import dev.sightline.store.Store;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bus positions conformance suite on PostgreSQL, and what a shared database adds: writers on two
 * nodes that replay the same messages at once (a rebalance) store each of them once.
 */
class PostgresBusPositionsTest extends BusPositionsConformanceSuite {
  private static final int PARTITIONS = 3;
  private static final int MESSAGES_PER_PARTITION = 60;
  private static final int SPANS_PER_MESSAGE = 4;

  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }

  @Override
  protected long logCount() {
    return count((PostgresStore) store, "SELECT count(*) FROM logs");
  }

  private static long count(PostgresStore s, String sql) {
    return s.read("test count", c -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /**
   * Two nodes (two stores on one database), two writer threads each, every thread writing the whole
   * stream in polls of its own size, all at once: each message's rows are stored exactly once, and the
   * positions end past the last message.
   */
  @Test
  void twoNodesReplayingTheSameMessagesAtOnceStoreEachOnce() throws Exception {
    String url = PgDatabases.freshDatabase();
    try (PostgresStore a = PostgresStore.open(url, 4); PostgresStore b = PostgresStore.open(url, 4)) {
      int[] pollSizes = {2, 3, 5, 7};
      CyclicBarrier start = new CyclicBarrier(pollSizes.length);
      ExecutorService threads = Executors.newFixedThreadPool(pollSizes.length);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < pollSizes.length; w++) {
          PostgresStore node = w % 2 == 0 ? a : b;
          int pollSize = pollSizes[w];
          boolean backwards = w >= 2; // partitions in the other order too: the lock order must not depend on it
          done.add(threads.submit(() -> {
            start.await();
            replayEverything(node, pollSize, backwards);
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
      long messages = (long) PARTITIONS * MESSAGES_PER_PARTITION;
      assertThat(a.spanCount()).isEqualTo(messages * SPANS_PER_MESSAGE);
      assertThat(count(b, "SELECT count(DISTINCT (trace_id, span_id)) FROM spans")).isEqualTo(messages * SPANS_PER_MESSAGE);
      assertThat(count(b, "SELECT count(*) FROM logs")).isEqualTo(messages);
      List<BusPosition> end = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        end.add(at(p, MESSAGES_PER_PARTITION));
      }
      assertThat(a.busPositions(GROUP)).containsExactlyElementsOf(end);
      assertThat(b.busPositions(GROUP)).containsExactlyElementsOf(end);
    }
  }

  /** Writes every message of every partition, {@code pollSize} messages of each partition per poll. */
  private static void replayEverything(PostgresStore node, int pollSize, boolean backwards) {
    for (int from = 0; from < MESSAGES_PER_PARTITION; from += pollSize) {
      List<TelemetryBatch> batches = new ArrayList<>();
      List<BusPosition> origins = new ArrayList<>();
      List<BusPosition> next = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        int p = backwards ? PARTITIONS - 1 - i : i;
        int to = Math.min(from + pollSize, MESSAGES_PER_PARTITION);
        for (int offset = from; offset < to; offset++) {
          batches.add(batch((p * MESSAGES_PER_PARTITION + offset) * SPANS_PER_MESSAGE, SPANS_PER_MESSAGE));
          origins.add(at(p, offset));
        }
        next.add(at(p, to));
      }
      node.write(batches, new BusRead(GROUP, origins, next));
    }
  }
}
