package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecorderTest {

  @Test
  void runsTasksInOrderOnItsOwnThreadAndRunsWhatIsQueuedWhenClosed() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    Recorder r = new Recorder();
    assertThat(r.offer(() -> {
      await(gate);
      ran.add("first on " + Thread.currentThread().getName());
    })).isTrue();
    for (int i = 0; i < 100; i++) {
      int n = i;
      assertThat(r.offer(() -> ran.add("task " + n))).isTrue();
    }
    gate.countDown();
    r.close(); // waits for the queued tasks
    assertThat(ran).hasSize(101);
    assertThat(ran.get(0)).isEqualTo("first on sightline-gateway-recorder");
    assertThat(ran.get(100)).isEqualTo("task 99");
    assertThat(r.offer(() -> ran.add("late"))).as("refused once closed").isFalse();
    assertThat(ran).doesNotContain("late");
  }

  @Test
  void aFailingTaskDoesNotStopTheOthers() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (Recorder r = new Recorder()) {
      r.offer(() -> {
        throw new IllegalStateException("a bug in one record");
      });
      r.offer(done::countDown);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void refusesBeyondTheLimitWhileTheThreadIsBusyAndTakesMoreOnceItCatchesUp() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (Recorder r = new Recorder()) {
      r.offer(() -> {
        started.countDown();
        await(gate);
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < Recorder.MAX_WAITING; i++) {
        assertThat(r.offer(() -> { })).isTrue();
      }
      assertThat(r.offer(() -> { })).as("one more than the limit").isFalse();
      gate.countDown();
      CountDownLatch after = new CountDownLatch(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!r.offer(after::countDown) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
