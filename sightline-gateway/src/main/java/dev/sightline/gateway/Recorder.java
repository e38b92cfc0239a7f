package dev.sightline.gateway;

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
 */
final class Recorder implements AutoCloseable {
  static final int MAX_WAITING = 10_000;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean parked = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean running = true;

  Recorder() {
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
    queue.offer(task);
    if (parked.get() && parked.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  private void loop() {
    while (true) {
      Runnable task = queue.poll();
      if (task == null) {
        if (!running) {
          return;
        }
        parked.set(true);
        // a task offered after the poll above either is seen here or unparks the thread
        if (queue.isEmpty()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        parked.set(false);
        continue;
      }
      waiting.decrementAndGet();
      try {
        task.run();
      } catch (RuntimeException e) {
        // each task reports its own failures; one must not stop the others
      }
    }
  }

  /** Stops taking tasks, runs those already queued, and waits up to 10 s for them. */
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
