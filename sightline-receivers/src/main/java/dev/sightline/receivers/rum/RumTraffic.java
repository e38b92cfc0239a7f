package dev.sightline.receivers.rum;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * What the RUM endpoint did with what it was sent, by app and outcome, and the two decisions
 * that drop whole requests without an error: bots and session sampling.
 */
final class RumTraffic {
  /** Label for requests whose app is not known yet (refused before the key was read). */
  static final String UNKNOWN_APP = "unknown";

  // crawlers, link previews and lab tools: their page loads are not users' (lower-cased match)
  private static final Pattern BOT = Pattern.compile(
      "bot|crawl|spider|slurp|headlesschrome|phantomjs|lighthouse|facebookexternalhit|bingpreview",
      Pattern.CASE_INSENSITIVE);

  private final Map<RumReceiver.EventCount, LongAdder> counts = new ConcurrentHashMap<>();

  void add(String app, String outcome, long n) {
    if (n > 0) {
      counts.computeIfAbsent(new RumReceiver.EventCount(app, outcome, 0), k -> new LongAdder()).add(n);
    }
  }

  List<RumReceiver.EventCount> snapshot() {
    return counts.entrySet().stream()
        .map(e -> new RumReceiver.EventCount(e.getKey().app(), e.getKey().outcome(), e.getValue().sum()))
        .sorted(Comparator.comparing(RumReceiver.EventCount::app).thenComparing(RumReceiver.EventCount::outcome))
        .toList();
  }

  static boolean isBot(String userAgent) {
    return userAgent == null || userAgent.isBlank() || BOT.matcher(userAgent).find();
  }

  /**
   * Whether a session is kept at this rate. The session id alone decides (64-bit FNV-1a mapped to
   * [0, 1)), so every request of a session gets the same answer, across restarts too.
   */
  static boolean sampled(String session, double rate) {
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    long h = 0xcbf29ce484222325L;
    String s = session == null ? "" : session;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    double unit = (h >>> 11) * 0x1.0p-53;
    return unit < rate;
  }
}
