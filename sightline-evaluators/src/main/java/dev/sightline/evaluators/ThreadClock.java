package dev.sightline.evaluators;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * The evaluator threads' time: their own CPU time, the wall clock and their pauses; the system's, or
 * a test's so that pacing and delays can be checked without timing.
 */
interface ThreadClock {

  /** The calling thread's CPU time so far (wall time where the JVM cannot measure it). */
  long cpuNanos();

  /** A monotonic wall clock, as {@link System#nanoTime}. */
  long wallNanos();

  void sleep(long nanos) throws InterruptedException;

  static ThreadClock system() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean measured = mx.isCurrentThreadCpuTimeSupported();
    if (measured && !mx.isThreadCpuTimeEnabled()) {
      try {
        mx.setThreadCpuTimeEnabled(true);
      } catch (UnsupportedOperationException | SecurityException e) {
        measured = false;
      }
    }
    boolean cpu = measured && mx.getCurrentThreadCpuTime() >= 0;
    return new ThreadClock() {
      @Override
      public long cpuNanos() {
        return cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
      }

      @Override
      public long wallNanos() {
        return System.nanoTime();
      }

      @Override
      public void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
      }
    };
  }
}
