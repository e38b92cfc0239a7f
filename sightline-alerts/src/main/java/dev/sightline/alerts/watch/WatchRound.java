package dev.sightline.alerts.watch;

import dev.sightline.alerts.rules.AlertEvent;
import java.time.Instant;
import java.util.List;

/**
 * What one round did: the transitions it stored (and notified), and what went wrong without stopping
 * it (a stored rule that no longer parses, a failed evaluation, a source that threw).
 */
public record WatchRound(Instant at, List<AlertEvent> events, List<String> problems) {

  public WatchRound {
    events = List.copyOf(events);
    problems = List.copyOf(problems);
  }
}
