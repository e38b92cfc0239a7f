package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
    Recorder r = new Recorder(Duration.ZERO, () -> { });
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
    try (Recorder r = new Recorder(Duration.ZERO, () -> { })) {
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
    try (Recorder r = new Recorder(Duration.ZERO, () -> { })) {
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

  @Test
  void underTrafficTasksOfferedDuringThePaceRunTogetherAsOneGroupAfterIt() throws Exception {
    List<Integer> groups = new CopyOnWriteArrayList<>();
    List<Long> groupEnds = new CopyOnWriteArrayList<>();
    int[] inGroup = new int[1]; // touched only on the recorder's thread
    CountDownLatch firstGroup = new CountDownLatch(1);
    CountDownLatch secondGroup = new CountDownLatch(1);
    Recorder r = new Recorder(Duration.ofSeconds(1), () -> {
      groups.add(inGroup[0]);
      groupEnds.add(System.nanoTime());
      inGroup[0] = 0;
      (groups.size() == 1 ? firstGroup : secondGroup).countDown();
    });
    try {
      r.offer(() -> inGroup[0]++); // an idle recorder is woken at once
      assertThat(firstGroup.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 5; i++) {
        r.offer(() -> inGroup[0]++); // during the pace: not woken, gathered
      }
      assertThat(secondGroup.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(groups).containsExactly(1, 5);
      assertThat(groupEnds.get(1) - groupEnds.get(0)).as("the second group waited for the pace")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
      // closing during a pace runs what is queued without waiting for the pace to end
      Thread.sleep(50);
      List<String> late = new CopyOnWriteArrayList<>();
      r.offer(() -> {
        inGroup[0]++;
        late.add("ran");
      });
      long t0 = System.nanoTime();
      r.close();
      assertThat(late).containsExactly("ran");
      assertThat(groups).containsExactly(1, 5, 1);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    } finally {
      r.close();
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
