package dev.sightline.alerts.watch;

import java.time.Instant;
import java.util.List;

/**
 * Anything other than a rule that can raise alerts (such as budgets): asked once per round for its
 * signals, which go through the same states, history and notifications as rules. Should not throw;
 * a source that does is reported in the round and keeps its alerts' state.
 */
public interface AlertSource {
  List<AlertSignal> signals(Instant now);
}
