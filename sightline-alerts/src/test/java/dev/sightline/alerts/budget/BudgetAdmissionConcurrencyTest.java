package dev.sightline.alerts.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 threads admitting, pricing and committing calls against one hard budget: no call is admitted
 * once the counted spend reached the limit, and the overshoot is only the calls admitted before.
 */
class BudgetAdmissionConcurrencyTest {
  private static final int THREADS = 64;
  private static final BigDecimal CALL = new BigDecimal("0.01");
  private static final Instant NOW = Instant.parse("2026-12-15T12:30:00Z");

  @TempDir
  Path dir;

  @Test
  void noCallIsAdmittedOnceSpendReachedTheLimit() throws Exception {
    try (Store store = DuckDbStore.open(dir)) {
      BudgetLedger ledger = new BudgetLedger(store,
          List.of(BudgetParser.parse("cap=route:/chat,1/month,hard")), new Calls.Clock(NOW));
      ledger.refresh();
      AtomicInteger preparedCalls = new AtomicInteger();
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger admittedPastLimit = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      BlockingQueue<TelemetryBatch> toCommit = new LinkedBlockingQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(THREADS);
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        callers.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
            while (true) {
              // every call prepared before this admit began is known to the ledger
              int knownBefore = preparedCalls.get();
              BudgetRefusal r = ledger.admit("app", "/chat", "u");
              if (r != null) {
                refused.incrementAndGet();
                assertThat(r.name()).isEqualTo("cap");
                break;
              }
              admitted.incrementAndGet();
              if (CALL.multiply(BigDecimal.valueOf(knownBefore)).compareTo(BigDecimal.ONE) >= 0) {
                admittedPastLimit.incrementAndGet();
              }
              TelemetryBatch b = Calls.batch(NOW.minusSeconds(1), "app", "/chat", "u", "0.01");
              ledger.prepared(b);
              preparedCalls.incrementAndGet();
              toCommit.add(b);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }));
      }
      // the one committer, as in the pipeline: group commits, then written()
      Thread committer = Thread.ofPlatform().start(() -> {
        List<TelemetryBatch> group = new ArrayList<>();
        while (done.getCount() > 0 || !toCommit.isEmpty()) {
          try {
            TelemetryBatch first = toCommit.poll(10, TimeUnit.MILLISECONDS);
            if (first == null) {
              continue;
            }
            group.add(first);
            toCommit.drainTo(group);
            store.write(group);
            ledger.written(group);
            group.clear();
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      start.countDown();
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      committer.join(60_000);
      for (Thread c : callers) {
        c.join();
      }

      assertThat(admittedPastLimit.get()).isZero();
      assertThat(refused.get()).isEqualTo(THREADS);
      // 100 calls reach $1; at most one call per other thread was admitted and not yet priced then
      assertThat(admitted.get()).isBetween(100, 100 + THREADS - 1);
      BudgetStatus s = ledger.status().get(0);
      assertThat(s.spentUsd()).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(admitted.get())));
      assertThat(s.refusals()).isEqualTo(THREADS);
      ledger.refresh();
      assertThat(ledger.status().get(0).spentUsd()).isEqualByComparingTo(s.spentUsd());
    }
  }
}
