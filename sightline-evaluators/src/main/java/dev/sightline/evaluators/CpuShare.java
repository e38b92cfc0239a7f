package dev.sightline.evaluators;

/**
 * A thread's part of the CPU, as a duty cycle: after a unit of work it pauses long enough that its
 * CPU time over the work and the pause together stays within {@code ofOneCore} (0.25 = a quarter of
 * one core).
 */
record CpuShare(double ofOneCore) {

  CpuShare {
    if (!(ofOneCore > 0)) {
      throw new IllegalArgumentException("a CPU share must be above 0, got " + ofOneCore);
    }
  }

  /**
   * The pause after work that used {@code cpuNanos} of CPU in {@code wallNanos} of wall time: the work
   * may have CPU {@code cpu / (wall + pause) <= share}, so the pause is {@code cpu / share - wall}
   * (none when the work already waited long enough, e.g. descheduled on a busy machine).
   */
  long pauseNanos(long cpuNanos, long wallNanos) {
    if (cpuNanos <= 0) {
      return 0;
    }
    double pause = cpuNanos / ofOneCore - Math.max(0, wallNanos);
    return pause <= 0 ? 0 : pause >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(pause);
  }
}
