package dev.sightline.gateway;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds finished calls' records off the event loops, on one background thread. Event loops hand
 * work over through a lock-free queue and never block on this thread (a shared executor's queue
 * lock, or a new thread per task, would put either on their path); when {@value #MAX_WAITING}
 * records are waiting the next one is refused (the caller counts it as dropped: fail-open).
 *
 * <p>Under steady traffic the thread works in paced groups: it runs every task waiting, then the
 * group hook (which hands the group's records on as one batch), then sleeps for the pace, and
 * tasks offered meanwhile wait for the next group. It is woken by an offer only when it found
 * nothing to do. So a busy gateway wakes this thread (and, through one batch per group, the
 * pipeline's threads) a few dozen times a second instead of once per call: each wake-up is a thread
 * that may take a core from an event loop.
 */
final class Recorder implements AutoCloseable {
  static final int MAX_WAITING = 10_000;
  /** At most this many tasks run in one group (one batch handed on). */
  static final int MAX_GROUP = 500;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  /** Tasks accepted whose group (tasks and hook) has not finished yet. */
  private final AtomicInteger unfinished = new AtomicInteger();
  private final AtomicBoolean idle = new AtomicBoolean();
  private final long paceNanos;
  private final Runnable afterGroup;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param pace the sleep after each group (zero: none); {@code afterGroup} runs on this thread after
   *     each group's tasks
   */
  Recorder(Duration pace, Runnable afterGroup) {
    this.paceNanos = pace.toNanos();
    this.afterGroup = afterGroup;
    thread = new Thread(this::loop, "sightline-gateway-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code task}; false when too many are waiting or the recorder is closed. */
  boolean offer(Runnable task) {
    if (!running || waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      return false;
    }
    unfinished.incrementAndGet();
    queue.offer(task);
    if (idle.get() && idle.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  private void loop() {
    while (true) {
      int ran = 0;
      Runnable task;
      while (ran < MAX_GROUP && (task = queue.poll()) != null) {
        waiting.decrementAndGet();
        ran++;
        try {
          task.run();
        } catch (RuntimeException e) {
          // each task reports its own failures; one must not stop the others
        }
      }
      if (ran > 0) {
        try {
          afterGroup.run();
        } catch (RuntimeException e) {
          // the hook reports its own failures
        } finally {
          unfinished.addAndGet(-ran);
        }
        if (running && paceNanos > 0) {
          LockSupport.parkNanos(paceNanos); // offers do not wake it here; close() does
        }
        continue;
      }
      if (!running) {
        return;
      }
      idle.set(true);
      // a task offered after the poll above either is seen here or unparks the thread
      if (queue.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      idle.set(false);
    }
  }

  /**
   * Waits until every task accepted so far has run and its group's hook has finished; false if
   * some had not after {@code timeout}.
   */
  boolean awaitFinished(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unfinished.get() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Stops taking tasks, runs those already queued (and the group hook), and waits up to 10 s for them. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
