package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The byte budget of requests in flight, the disk guard, and a commit that fails. */
class IngestProtectionTest {
  @Test
  void memoryBudgetRefusesPastTheBudgetAndFreesOnRelease() {
    IngestMemory memory = new IngestMemory(1000);
    IngestMemory.Reservation a = memory.reserve(600);
    assertThat(a.ensure(800)).isTrue();
    assertThat(memory.reservedBytes()).isEqualTo(800);
    IngestMemory.Reservation b = memory.reserve(100);
    assertThat(b.ensure(300)).as("800 + 300 is over 1000").isFalse();
    assertThat(b.bytes()).isEqualTo(100);
    PipelineSaturatedException e = catchThrowableOfType(PipelineSaturatedException.class, () -> memory.reserve(200));
    assertThat(e.getMessage()).contains("1000 bytes").contains("--ingest-memory");
    assertThat(e.retryAfterSeconds()).isEqualTo(IngestMemory.RETRY_AFTER_SECONDS);
    a.release();
    a.release(); // twice is once
    assertThat(memory.reservedBytes()).isEqualTo(100);
    assertThat(b.ensure(300)).isTrue();
    b.release();
    assertThat(memory.reservedBytes()).isZero();
    assertThat(memory.refusals()).isEqualTo(2);
  }

  @Test
  void oneRequestLargerThanTheWholeBudgetPassesAlone() {
    IngestMemory memory = new IngestMemory(1000);
    IngestMemory.Reservation big = memory.reserve(5000);
    assertThatThrownBy(() -> memory.reserve(1)).isInstanceOf(PipelineSaturatedException.class);
    big.release();
    memory.reserve(1);
  }

  @Test
  void diskGuardRefusesBelowTheMinimumNamingSpaceDirAndFlag() {
    AtomicLong usable = new AtomicLong(512L << 20);
    DiskGuard guard = new DiskGuard(Path.of("/data/sightline"), DiskGuard.DEFAULT_MIN_FREE_BYTES, usable::get, Duration.ZERO);
    IngestUnavailableException e = catchThrowableOfType(IngestUnavailableException.class, guard::check);
    assertThat(e.getMessage()).contains("512.0 MiB free").contains("/data/sightline").contains("1.0 GiB")
        .contains("--min-free-disk");
    assertThat(e.retryAfterSeconds()).isEqualTo(DiskGuard.RETRY_AFTER_SECONDS);
    usable.set(2L << 30);
    guard.check();
  }

  @Test
  void diskGuardReadsTheFreeSpaceOncePerRecheckInterval() {
    AtomicInteger reads = new AtomicInteger();
    DiskGuard guard = new DiskGuard(Path.of("/d"), 100, () -> {
      reads.incrementAndGet();
      return 1000;
    }, Duration.ofDays(1));
    for (int i = 0; i < 1000; i++) {
      guard.check();
    }
    assertThat(reads).hasValue(1);
  }

  @Test
  void pipelineAdmitsAndSubmitsOnlyWhileTheDiskHasRoom() throws Exception {
    AtomicLong usable = new AtomicLong(10);
    List<TelemetryBatch> stored = new CopyOnWriteArrayList<>();
    IngestCounters counters = new IngestCounters();
    try (Pipeline p = new Pipeline(PipelineTest.PROCESSOR, stored::addAll, counters, new PipelineConfig(100, 100, 1),
        new IngestMemory(1 << 20), new DiskGuard(Path.of("/d"), 100, usable::get, Duration.ZERO))) {
      assertThatThrownBy(() -> p.admit(10)).isInstanceOf(IngestUnavailableException.class);
      assertThatThrownBy(() -> p.submit(batch("a"))).isInstanceOf(IngestUnavailableException.class);
      assertThat(counters.get("test", "spans", IngestCounters.Outcome.DROPPED)).isEqualTo(1);
      usable.set(1000);
      p.admit(10).release();
      p.submit(batch("b")).get(10, TimeUnit.SECONDS);
      assertThat(stored).hasSize(1);
      assertThat(stored.get(0).spans().get(0).name()).isEqualTo("b");
    }
  }

  @Test
  void aFailedCommitFailsItsRequestsOnlyAndLaterCommitsSucceed() throws Exception {
    List<String> committed = new CopyOnWriteArrayList<>();
    AtomicInteger commits = new AtomicInteger();
    BatchSink failsSecondCommit = batches -> {
      if (commits.incrementAndGet() == 2) {
        throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
      }
      batches.forEach(b -> b.spans().forEach(s -> committed.add(s.name())));
    };
    try (Pipeline p = new Pipeline(PipelineTest.PROCESSOR, failsSecondCommit, new IngestCounters(),
        new PipelineConfig(100, 100, 1))) {
      p.submit(batch("first")).get(10, TimeUnit.SECONDS);
      ExecutionException e = catchThrowableOfType(ExecutionException.class,
          () -> p.submit(batch("second")).get(10, TimeUnit.SECONDS));
      assertThat(e.getCause()).hasMessageContaining("No space left on device");
      p.submit(batch("third")).get(10, TimeUnit.SECONDS);
      assertThat(committed).containsExactly("first", "third");
      assertThat(p.commitStats().failures()).isEqualTo(1);
      assertThat(p.queuedRecords()).as("a failed commit frees its queue room").isZero();
    }
  }

  private static TelemetryBatch batch(String name) {
    Span s = PipelineTest.span(PipelineTest.T1, String.format("%016x", name.hashCode() & 0xffffffffL), null, name,
        Map.of());
    return TelemetryBatch.ofSpans("test", List.of(s));
  }
}
