package dev.sightline.scrape;

/** Reads one target once. Never called twice at the same time for one target. */
interface Collector extends AutoCloseable {

  /**
   * Collects now; every point gets {@code startEpochNanos} unless its source carries a time. Returns a
   * failed collection for anything the target did wrong; throws only when interrupted (closing).
   */
  ScrapeResult collect(long startEpochNanos) throws InterruptedException;

  /** Stops what is running (a child process); the default has nothing to stop. */
  @Override
  default void close() {}
}
