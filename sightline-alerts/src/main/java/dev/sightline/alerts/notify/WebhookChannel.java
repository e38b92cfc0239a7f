package dev.sightline.alerts.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target's notification state: the group waiting to be sent, and per alert what was last sent,
 * which decides de-duplication, repeats and whether a resolve is owed.
 */
final class WebhookChannel {

  /** What this target was last told about one alert. */
  private static final class Sent {
    Notice.Status status;
    Instant queuedAt;
    boolean firingHandedOut; // a firing message for it has left the group (in flight or delivered)
    boolean firingDelivered;
  }

  final WebhookTarget target;
  private final Duration repeatInterval;
  private final Map<String, Notice> pending = new LinkedHashMap<>();
  private final Map<String, Sent> sent = new HashMap<>();

  WebhookChannel(WebhookTarget target, Duration repeatInterval) {
    this.target = target;
    this.repeatInterval = repeatInterval;
  }

  /** Adds the notice to the pending group when this target should hear it; says why not otherwise. */
  synchronized Notifier.Outcome offer(Notice n, Instant now) {
    Sent s = sent.get(n.alertKey());
    if (n.status() == Notice.Status.FIRING) {
      if (s != null && s.status == Notice.Status.FIRING && now.isBefore(s.queuedAt.plus(repeatInterval))) {
        return Notifier.Outcome.DUPLICATE;
      }
      if (s == null) {
        s = new Sent();
        sent.put(n.alertKey(), s);
      } else if (s.status == Notice.Status.RESOLVED) {
        s.firingHandedOut = false;
        s.firingDelivered = false;
      }
      s.status = Notice.Status.FIRING;
      s.queuedAt = now;
      pending.put(n.alertKey(), n);
      return Notifier.Outcome.QUEUED;
    }
    if (s == null || (s.status == Notice.Status.FIRING && !s.firingHandedOut)) {
      // The firing never left: drop it and say nothing, rather than resolve what nobody heard of.
      pending.remove(n.alertKey());
      sent.remove(n.alertKey());
      return Notifier.Outcome.NOTHING_TO_RESOLVE;
    }
    if (s.status == Notice.Status.RESOLVED) {
      return Notifier.Outcome.DUPLICATE;
    }
    s.status = Notice.Status.RESOLVED;
    s.queuedAt = now;
    pending.put(n.alertKey(), n);
    return Notifier.Outcome.QUEUED;
  }

  synchronized boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Takes the pending group for sending, marking its firings as handed out. */
  synchronized List<Notice> drain() {
    List<Notice> group = new ArrayList<>(pending.values());
    pending.clear();
    for (Notice n : group) {
      Sent s = sent.get(n.alertKey());
      if (s != null && n.status() == Notice.Status.FIRING) {
        s.firingHandedOut = true;
      }
    }
    return group;
  }

  /** Records the final outcome of a message so later resolves and repeats know what the target heard. */
  synchronized void settled(List<Notice> group, boolean delivered) {
    for (Notice n : group) {
      Sent s = sent.get(n.alertKey());
      if (s == null || n.status() != Notice.Status.FIRING || s.status != Notice.Status.FIRING) {
        continue;
      }
      if (delivered) {
        s.firingDelivered = true;
      } else if (!s.firingDelivered && !pending.containsKey(n.alertKey())) {
        // Given up before the target ever heard of it: forget it, so the next notify tries again
        // and a resolve is not sent for an alert the target never saw.
        sent.remove(n.alertKey());
      }
    }
  }
}
