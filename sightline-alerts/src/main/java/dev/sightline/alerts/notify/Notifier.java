package dev.sightline.alerts.notify;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Sends alert notices to webhook targets: groups notices that arrive within the group wait into one
 * message per target, drops repeats of what a target already heard (until the repeat interval has
 * passed), sends a resolve only for an alert the target was told is firing, and retries failed
 * deliveries with exponential back-off and jitter. Every attempt is kept as a {@link Delivery}.
 */
public final class Notifier implements AutoCloseable {

  /** What {@link #notify(Notice)} did with a notice, summed over the targets. */
  public enum Outcome {
    /** Queued for at least one target. */
    QUEUED,
    /** Every target already heard this alert in this status within the repeat interval. */
    DUPLICATE,
    /** A resolve for an alert no target was told is firing; nothing is sent. */
    NOTHING_TO_RESOLVE,
    /** The notice is incomplete, or the notifier is closed; see {@link #lastRejection()}. */
    REJECTED
  }

  /**
   * Timing of grouping, repeats and retries.
   *
   * @param groupWait how long the first notice of a group waits for others to the same target
   * @param repeatInterval after how long a still-firing alert is sent again
   * @param maxAttempts attempts per message, the first included
   * @param maxAge no retry starts later than this after the first attempt
   * @param initialBackoff the wait before the first retry (doubled each retry, with jitter)
   * @param maxBackoff the longest back-off between attempts, unless the receiver's Retry-After asks for longer
   * @param requestTimeout how long one attempt may wait for the receiver's answer
   */
  public record Settings(Duration groupWait, Duration repeatInterval, int maxAttempts, Duration maxAge,
                         Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {

    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(10), Duration.ofHours(4), 8, Duration.ofMinutes(30),
          Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    /** Why these settings cannot work, or null when they can. */
    public String problem() {
      if (groupWait == null || groupWait.isNegative()) {
        return "groupWait must be zero or more";
      }
      if (repeatInterval == null || repeatInterval.isNegative() || repeatInterval.isZero()) {
        return "repeatInterval must be positive";
      }
      if (maxAttempts < 1) {
        return "maxAttempts must be at least 1";
      }
      for (Duration d : new Duration[] {maxAge, initialBackoff, maxBackoff, requestTimeout}) {
        if (d == null || d.isNegative() || d.isZero()) {
          return "maxAge, initialBackoff, maxBackoff and requestTimeout must be positive";
        }
      }
      return null;
    }
  }

  /** Kept in memory until alert history is stored; the oldest attempts fall off first. */
  static final int DELIVERIES_KEPT = 1000;

  private final Map<String, WebhookChannel> channels = new LinkedHashMap<>();
  private final Map<WebhookChannel, ScheduledFuture<?>> flushes = new LinkedHashMap<>();
  private final Settings settings;
  private final InstantSource clock;
  private final ScheduledExecutorService timer;
  private final WebhookSender sender;
  private final Deque<Delivery> deliveries = new ArrayDeque<>();
  private final Map<String, Map<String, Long>> attempts = new java.util.HashMap<>();
  private final AtomicLong messageIds = new AtomicLong();
  private volatile boolean closed;
  private volatile String lastRejection;

  /**
   * A notifier for the given targets. Throws IllegalArgumentException when the settings cannot work
   * (see {@link Settings#problem()}) or two targets share a name.
   */
  public Notifier(List<WebhookTarget> targets, Settings settings, InstantSource clock) {
    this(targets, settings, clock, ThreadLocalRandom.current());
  }

  Notifier(List<WebhookTarget> targets, Settings settings, InstantSource clock, RandomGenerator jitter) {
    if (settings.problem() != null) {
      throw new IllegalArgumentException(settings.problem());
    }
    for (WebhookTarget t : targets) {
      if (channels.put(t.name(), new WebhookChannel(t, settings.repeatInterval())) != null) {
        throw new IllegalArgumentException("two webhooks are named '" + t.name() + "'");
      }
    }
    this.settings = settings;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sightline-notifier");
      t.setDaemon(true);
      return t;
    });
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(settings.requestTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.sender = new WebhookSender(client, settings, clock, timer, jitter, this::record);
  }

  /** Queues the notice for every target that should hear it. Never throws. */
  public Outcome notify(Notice notice) {
    String problem = closed ? "notifier is closed" : notice == null ? "notice is null" : notice.problem();
    if (problem != null) {
      lastRejection = problem;
      return Outcome.REJECTED;
    }
    Instant now = clock.instant();
    boolean queued = false;
    boolean duplicate = false;
    synchronized (flushes) {
      for (WebhookChannel channel : channels.values()) {
        Outcome o = channel.offer(notice, now);
        queued |= o == Outcome.QUEUED;
        duplicate |= o == Outcome.DUPLICATE;
        if (o == Outcome.QUEUED && !flushes.containsKey(channel) && !closed) {
          flushes.put(channel, timer.schedule(() -> flush(channel),
              settings.groupWait().toNanos(), TimeUnit.NANOSECONDS));
        }
      }
    }
    return queued ? Outcome.QUEUED : duplicate ? Outcome.DUPLICATE : Outcome.NOTHING_TO_RESOLVE;
  }

  private void flush(WebhookChannel channel) {
    List<Notice> group;
    synchronized (flushes) {
      flushes.remove(channel);
      group = channel.drain();
    }
    if (!group.isEmpty()) {
      sender.send(new WebhookSender.Message(messageIds.incrementAndGet(), channel, group, false));
    }
  }

  /**
   * Sends one clearly marked test message to the target, once, without retries, and waits for the
   * answer (at most the request timeout). The target need not be one of this notifier's. Never throws.
   */
  public Delivery testFire(WebhookTarget target) {
    Instant now = clock.instant();
    Notice test = new Notice("sightline-test", "Sightline test notification", "", "info",
        Notice.Status.FIRING, now, "This is a test message from Sightline; no alert is firing.", Map.of());
    WebhookChannel channel = new WebhookChannel(target, settings.repeatInterval());
    return sender.sendOnce(new WebhookSender.Message(messageIds.incrementAndGet(), channel, List.of(test), true));
  }

  /** Every delivery attempt so far (the last {@value #DELIVERIES_KEPT}), oldest first. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** The targets this notifier sends to. */
  public List<WebhookTarget> targets() {
    return channels.values().stream().map(c -> c.target).toList();
  }

  /** Why the last notice was rejected, or null. */
  public String lastRejection() {
    return lastRejection;
  }

  /**
   * Every attempt since start, by target and outcome ({@code delivered}, {@code retrying},
   * {@code failed}); unlike {@link #deliveries()} never trimmed, so it can back a counter.
   */
  public Map<String, Map<String, Long>> attemptCounts() {
    synchronized (deliveries) {
      Map<String, Map<String, Long>> copy = new java.util.TreeMap<>();
      attempts.forEach((t, byOutcome) -> copy.put(t, Map.copyOf(byOutcome)));
      return copy;
    }
  }

  /** The outcome word of one attempt, as {@link #attemptCounts()} and the API name it. */
  public static String outcome(Delivery d) {
    return d.delivered() ? "delivered" : d.finalAttempt() ? "failed" : "retrying";
  }

  private void record(Delivery d) {
    synchronized (deliveries) {
      attempts.computeIfAbsent(d.target(), t -> new java.util.TreeMap<>()).merge(outcome(d), 1L, Long::sum);
      deliveries.addLast(d);
      while (deliveries.size() > DELIVERIES_KEPT) {
        deliveries.removeFirst();
      }
    }
  }

  /**
   * Stops at once: groups still waiting and retries not yet made are dropped (alert state is
   * re-evaluated on start, so firing alerts are notified again). Returns within a second.
   */
  @Override
  public void close() {
    closed = true;
    List<ScheduledFuture<?>> pending;
    synchronized (flushes) {
      pending = new ArrayList<>(flushes.values());
      flushes.clear();
    }
    pending.forEach(f -> f.cancel(false));
    timer.shutdownNow();
    sender.close();
    try {
      timer.awaitTermination(500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
