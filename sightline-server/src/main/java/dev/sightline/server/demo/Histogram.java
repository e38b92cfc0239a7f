package dev.sightline.server.demo;

/** A cumulative Prometheus histogram with fixed upper bounds, as the simulated engine exports it. */
final class Histogram {
  private final double[] bounds;
  /** Per bucket (not cumulative); the last one is {@code +Inf}. */
  private final long[] counts;
  private long count;
  private double sum;

  Histogram(double... bounds) {
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length + 1];
  }

  /** Records {@code n} observations of {@code value}; NaN, negative and non-positive {@code n} are ignored. */
  void observe(double value, long n) {
    if (n <= 0 || !(value >= 0) || Double.isInfinite(value)) {
      return;
    }
    int i = 0;
    while (i < bounds.length && value > bounds[i]) {
      i++;
    }
    counts[i] += n;
    count += n;
    sum += value * n;
  }

  long count() {
    return count;
  }

  /** The family's {@code _bucket} (cumulative, {@code le} last), {@code _count} and {@code _sum} lines. */
  void write(Exposition e, String family, String labels) {
    long cumulative = 0;
    for (int i = 0; i <= bounds.length; i++) {
      cumulative += counts[i];
      String le = i < bounds.length ? Exposition.pythonFloat(bounds[i]) : "+Inf";
      e.sample(family + "_bucket", Exposition.withLabel(labels, "le", le), cumulative);
    }
    e.sample(family + "_count", labels, count);
    e.sample(family + "_sum", labels, sum);
  }
}
