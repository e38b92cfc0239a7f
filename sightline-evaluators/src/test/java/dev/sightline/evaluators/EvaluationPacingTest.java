package dev.sightline.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Score;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the evaluator threads take their calls, on a clock of the test's: in batches read with one
 * store call, no sooner than the delay after commit, and pausing to stay within the CPU share.
 */
class EvaluationPacingTest {
  static final long MS = 1_000_000L;

  @TempDir
  Path dir;
  DuckDbStore store;
  final List<Score> written = new CopyOnWriteArrayList<>();
  /** The trace ids of each batched read, and how many single trace reads there were. */
  final List<List<String>> batchReads = new CopyOnWriteArrayList<>();
  final AtomicLong singleReads = new AtomicLong();

  /**
   * A clock whose time moves only when the test's evaluator works or a thread sleeps, each thread on
   * its own (as CPU time is), all starting at the same wall time.
   */
  static final class TestClock implements ThreadClock {
    final ThreadLocal<long[]> cpuAndWall = ThreadLocal.withInitial(() -> new long[] {0, 1_000 * MS});
    final List<Long> sleeps = new CopyOnWriteArrayList<>();
    volatile CountDownLatch firstSleepHeld = new CountDownLatch(0);

    void work(long nanos) {
      cpuAndWall.get()[0] += nanos;
      cpuAndWall.get()[1] += nanos;
    }

    @Override
    public long cpuNanos() {
      return cpuAndWall.get()[0];
    }

    @Override
    public long wallNanos() {
      return cpuAndWall.get()[1];
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
      firstSleepHeld.await(10, TimeUnit.SECONDS);
      sleeps.add(nanos);
      cpuAndWall.get()[1] += nanos;
    }
  }

  final TestClock clock = new TestClock();
  /** When (on the test clock) each call was judged. */
  final List<Long> judgedAt = new CopyOnWriteArrayList<>();

  /** Costs 10 ms of CPU on the test clock per call. */
  final Evaluator tenMs = new OneScoreEvaluator() {
    @Override
    public String name() {
      return "ten-ms";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    protected Score judge(EvaluationInput in, String traceId, String spanId) {
      judgedAt.add(clock.wallNanos());
      clock.work(10 * MS);
      return new Score(in.traceId(), in.spanId(), name(), 1.0, "ok", false, null, Score.SOURCE_EVALUATOR, name(),
          version(), null, 1L);
    }
  };

  @BeforeEach
  void open() {
    store = DuckDbStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** The store, counting its trace reads. */
  private Store counting() {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("traces") && args.length == 2) {
            @SuppressWarnings("unchecked")
            Collection<String> ids = (Collection<String>) args[0];
            batchReads.add(List.copyOf(ids));
          } else if (method.getName().equals("trace")) {
            singleReads.incrementAndGet();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private List<TelemetryBatch> stored(int traces) {
    List<TelemetryBatch> out = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      String trace = String.format("%032x", 0xbeef00 + i);
      TelemetryBatch b = TelemetryBatch.ofSpans("test", List.of(TraceBuilder.root(trace, "POST /chat"),
          TraceBuilder.retrieval(trace, "Refunds are issued within 14 days."),
          TraceBuilder.llm(trace, "00000000000000c1", "POST /chat", "Use the documents.", "How long do refunds take?",
              "Refunds arrive within 14 days.", CallStatus.OK)));
      out.add(b);
    }
    store.write(out);
    return out;
  }

  @Test
  void dueCallsAreReadInOneBatchNoSoonerThanTheirDelay() throws Exception {
    List<TelemetryBatch> batches = stored(5);
    clock.firstSleepHeld = new CountDownLatch(1); // the thread waits out the delay until all five are offered
    EvaluatorSettings settings = new EvaluatorSettings(EvaluationPolicy.ALL, 100, 1, Duration.ofSeconds(2));
    try (Evaluations ev = new Evaluations(p -> counting(), written::addAll, List.of(tenMs), settings, clock)) {
      long committedAt = clock.wallNanos();
      ev.stored(batches);
      clock.firstSleepHeld.countDown();
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(batchReads).singleElement().satisfies(ids -> assertThat(ids).hasSize(5).doesNotHaveDuplicates());
      assertThat(singleReads.get()).isZero();
      assertThat(written).hasSize(5);
      assertThat(judgedAt).hasSize(5).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(committedAt + 2_000 * MS));
      assertThat(clock.sleeps).containsExactly(2_000 * MS); // the delay, and no pause: uncapped
      assertThat(ev.counters().pausedNanos()).isZero();
    }
  }

  @Test
  void aCappedThreadPausesSoThatItsCpuStaysWithinTheShare() throws Exception {
    List<TelemetryBatch> batches = stored(3);
    clock.firstSleepHeld = new CountDownLatch(0);
    // two threads sharing half a core: a quarter each
    EvaluatorSettings settings = new EvaluatorSettings(EvaluationPolicy.ALL, 100, 2, Duration.ZERO, 0.5);
    try (Evaluations ev = new Evaluations(p -> counting(), written::addAll, List.of(tenMs), settings, clock)) {
      ev.stored(batches);
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      // the pause is counted before it is slept; wait for the last one to be recorded
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ev.counters().pausedNanos() < 90 * MS && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(written).hasSize(3);
      // 30 ms of CPU in all however the batches fell: at a quarter each, 3 x 30 ms of pause
      assertThat(ev.counters().pausedNanos()).isEqualTo(90 * MS);
      assertThat(clock.sleeps).allSatisfy(s -> assertThat(s % (30 * MS)).isZero()).isNotEmpty();
    }
  }

  @Test
  void aTraceNoLongerStoredCostsNothingAndTheOthersInTheBatchAreJudged() throws Exception {
    List<TelemetryBatch> batches = new ArrayList<>(stored(2));
    String gone = String.format("%032x", 0xdead);
    batches.add(TelemetryBatch.ofSpans("test", List.of(TraceBuilder.llm(gone, "00000000000000c1", "POST /chat", null,
        "q", "a", CallStatus.OK)))); // offered but never written
    EvaluatorSettings settings = new EvaluatorSettings(EvaluationPolicy.ALL, 100, 1, Duration.ZERO);
    try (Evaluations ev = new Evaluations(p -> counting(), written::addAll, List.of(tenMs), settings, clock)) {
      ev.stored(batches);
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(written).extracting(Score::traceId).doesNotContain(gone).hasSize(2);
      assertThat(ev.counters().evaluatedCalls()).isEqualTo(2);
    }
  }
}
