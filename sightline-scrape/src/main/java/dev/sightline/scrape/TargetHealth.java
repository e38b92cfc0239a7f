package dev.sightline.scrape;

import java.time.Instant;
import java.util.List;

/**
 * How one target's scrapes are going, as the API and {@code /metrics} show it.
 *
 * @param kind {@code prometheus}, {@code ollama} or {@code nvidia-smi}
 * @param up the last scrape succeeded (a page with some unreadable lines is still up when at least one
 *     sample was read); false before the first scrape
 * @param lastError why the last scrape failed or was partial; null when it was clean
 * @param samples points read by the last scrape (without up and the scrape gauges)
 * @param pageErrors the first 20 per-line messages of the last page
 * @param scrapes scrapes finished; {@code failures} of them failed
 * @param skippedTicks ticks that found the previous scrape of this target still running
 * @param sinkFailures batches the sink refused or failed to take
 */
public record TargetHealth(String name, String kind, String url, long intervalMs, boolean up, Instant lastScrape,
    Double lastDurationMs, String lastError, int samples, List<String> pageErrors, long scrapes, long failures,
    int consecutiveFailures, long skippedTicks, long sinkFailures) {
  public TargetHealth {
    pageErrors = pageErrors == null ? List.of() : List.copyOf(pageErrors);
  }
}
