package dev.sightline.alerts.watch;

import dev.sightline.alerts.anomaly.CostAnomalyDetector;
import dev.sightline.alerts.notify.Notice;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.alerts.rules.ActiveAlert;
import dev.sightline.alerts.rules.AlertEvent;
import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.alerts.rules.AlertState;
import dev.sightline.alerts.rules.AlertTracker;
import dev.sightline.alerts.rules.Evaluation;
import dev.sightline.alerts.rules.Observation;
import dev.sightline.alerts.rules.RuleEvaluator;
import dev.sightline.alerts.rules.RuleException;
import dev.sightline.alerts.rules.RuleParser;
import dev.sightline.alerts.rules.Severity;
import dev.sightline.store.AlertRecord;
import dev.sightline.store.Store;
import dev.sightline.store.StoredRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The alert loop: each round evaluates the config rules and the stored (API) rules, asks the anomaly
 * watch and the other {@link AlertSource}s for signals, drives every (rule, group) through one
 * {@link AlertTracker}, stores each transition and notifies firing and resolved ones. Also the rule
 * CRUD the API uses. {@link #runOnce} runs a round synchronously; {@link #start} schedules rounds on
 * one daemon thread.
 */
public final class AlertWatch implements AutoCloseable {
  /** The source of rules written in the config file or on the command line (read-only). */
  public static final String CONFIG = "config";
  /** The source of rules saved through the API (stored). */
  public static final String API = "api";

  private record Key(String ruleId, String group) {}

  private record Meta(String name, String severity) {}

  private final Store store;
  private final Map<String, AlertRule> configRules = new LinkedHashMap<>();
  private final Notifier notifier;
  private final CostAnomalyDetector detector;
  private final List<AlertSource> sources;
  private final Duration interval;
  private final InstantSource clock;
  private final RuleEvaluator evaluator;
  private final RoundClock roundClock = new RoundClock();
  private final AlertTracker tracker = new AlertTracker(roundClock);
  private final Object roundLock = new Object();
  /** The rules and signal rules the tracker holds state for, by id, to resolve the ones that disappear. */
  private final Map<String, AlertRule> tracked = new LinkedHashMap<>();
  private final Map<Key, String> messages = new ConcurrentHashMap<>();
  private final Map<String, Meta> meta = new ConcurrentHashMap<>();
  private volatile List<ActiveAlert> active = List.of();
  private volatile WatchRound lastRound;
  private ScheduledExecutorService timer;

  /**
   * A loop over the given config rules (ids must be unique, else IllegalArgumentException), the
   * stored rules, the detector's anomalies (null: off) and the sources, every {@code interval}.
   * The notifier may have no targets; null means nobody is notified.
   */
  public AlertWatch(Store store, List<AlertRule> configRules, Notifier notifier, CostAnomalyDetector detector,
      List<AlertSource> sources, Duration interval, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    for (AlertRule r : configRules) {
      if (configRules.stream().filter(o -> o.id().equals(r.id())).count() > 1) {
        throw new IllegalArgumentException("two alert rules have the id '" + r.id() + "'; give each its own id");
      }
      this.configRules.put(r.id(), r);
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the alert interval must be positive, got " + interval);
    }
    this.notifier = notifier;
    this.detector = detector;
    List<AlertSource> all = new ArrayList<>();
    if (detector != null) {
      all.add(new AnomalyWatch(detector));
    }
    all.addAll(sources);
    this.sources = List.copyOf(all);
    this.interval = interval;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.evaluator = new RuleEvaluator(store);
  }

  /** One round at {@code now}, synchronously: evaluate, track, store, notify. Never throws for bad rules or sources. */
  public WatchRound runOnce(Instant now) {
    synchronized (roundLock) {
      roundClock.now = now;
      List<String> problems = new ArrayList<>();
      List<AlertEvent> events = new ArrayList<>();
      Map<String, AlertRule> rules = currentRules(problems);
      List<AlertRule> list = List.copyOf(rules.values());
      List<Evaluation> evaluations = evaluate(list, now);
      for (int i = 0; i < list.size(); i++) {
        AlertRule rule = list.get(i);
        Evaluation e = evaluations.get(i);
        if (e.failed()) {
          problems.add("rule " + rule.id() + ": " + e.problem());
        }
        meta.put(rule.id(), new Meta(rule.name() == null ? rule.id() : rule.name(), severity(rule.severity())));
        record(tracker.apply(rule, e), events, null);
      }
      Map<String, AlertRule> seen = new LinkedHashMap<>(rules);
      signals(now, seen, events, problems);
      for (AlertRule gone : new ArrayList<>(tracked.values())) {
        if (!seen.containsKey(gone.id())) {
          record(tracker.remove(gone), events, Map.of());
          meta.remove(gone.id());
        }
      }
      tracked.clear();
      tracked.putAll(seen);
      store(events, problems);
      notifyAll(events);
      active = tracker.active();
      messages.keySet().removeIf(k -> active.stream().noneMatch(a -> a.ruleId().equals(k.ruleId())
          && Objects.equals(a.group(), k.group())));
      WatchRound round = new WatchRound(now, events, problems);
      lastRound = round;
      return round;
    }
  }

  /** Evaluates every rule; the one place that asks the evaluator, so that a batched evaluation can replace it. */
  private List<Evaluation> evaluate(List<AlertRule> rules, Instant now) {
    return evaluator.evaluateAll(rules, now); // rules needing the same store query share one answer
  }

  private void signals(Instant now, Map<String, AlertRule> seen, List<AlertEvent> events, List<String> problems) {
    Map<String, List<AlertSignal>> byRule = new LinkedHashMap<>();
    for (AlertSource source : sources) {
      try {
        for (AlertSignal s : source.signals(now)) {
          if (s == null || s.ruleId() == null || s.ruleId().isBlank()) {
            problems.add("an alert source gave a signal without a rule id; it is ignored");
          } else if (seen.containsKey(s.ruleId()) && !byRule.containsKey(s.ruleId())) {
            problems.add("an alert source's rule id '" + s.ruleId() + "' is also a rule's; the signal is ignored");
          } else {
            byRule.computeIfAbsent(s.ruleId(), k -> new ArrayList<>()).add(s);
          }
        }
      } catch (RuntimeException e) {
        problems.add("an alert source failed: " + e);
        // keep the state of what it raised before: treat its rules as still reported
        tracked.values().stream().filter(r -> r.figure() == null && !seen.containsKey(r.id()))
            .forEach(r -> seen.put(r.id(), r));
      }
    }
    byRule.forEach((ruleId, signals) -> {
      AlertSignal first = signals.get(0);
      AlertRule rule = new AlertRule(ruleId, first.ruleName(), null, null, null, Map.of(), null, null, null,
          Duration.ZERO, first.severity());
      seen.put(ruleId, rule);
      meta.put(ruleId, new Meta(first.ruleName() == null ? ruleId : first.ruleName(), severity(first.severity())));
      Map<String, String> summaries = new LinkedHashMap<>();
      List<Observation> observations = new ArrayList<>();
      for (AlertSignal s : signals) {
        observations.add(new Observation(ruleId, s.group(), s.value(), null, s.breached()));
        summaries.put(s.group() == null ? "" : s.group(), s.summary());
      }
      record(tracker.apply(rule, observations), events, summaries);
    });
    // signal rules that no source reports this round resolve
    for (AlertRule r : tracked.values()) {
      if (r.figure() == null && !seen.containsKey(r.id())) {
        seen.put(r.id(), r);
        record(tracker.apply(r, List.of()), events, Map.of());
      }
    }
  }

  /** Keeps each event's message; for signals, the signal's own summary replaces the tracker's wording. */
  private void record(List<AlertEvent> raw, List<AlertEvent> events, Map<String, String> summaries) {
    for (AlertEvent e : raw) {
      String message = e.message();
      if (summaries != null) {
        String summary = summaries.get(e.group() == null ? "" : e.group());
        String name = meta.containsKey(e.ruleId()) ? meta.get(e.ruleId()).name() : e.ruleId();
        message = e.to() == AlertState.RESOLVED
            ? name + (e.group() == null ? "" : " [" + e.group() + "]") + ": resolved"
                + (summary == null || summary.isBlank() ? "" : "; " + summary)
            : summary == null || summary.isBlank() ? name + ": " + e.to().wire() : summary;
        e = new AlertEvent(e.ruleId(), e.group(), e.from(), e.to(), e.at(), e.value(), message);
      }
      messages.put(new Key(e.ruleId(), e.group()), message);
      events.add(e);
    }
  }

  private void store(List<AlertEvent> events, List<String> problems) {
    if (events.isEmpty()) {
      return;
    }
    List<AlertRecord> records = events.stream().map(e -> new AlertRecord(e.ruleId(), e.group(),
        e.from() == null ? null : e.from().wire(), e.to().wire(), e.at(), e.value(), e.message())).toList();
    try {
      store.appendAlerts(records);
    } catch (RuntimeException e) {
      problems.add("alert history could not be stored: " + e.getMessage());
    }
  }

  private void notifyAll(List<AlertEvent> events) {
    if (notifier == null) {
      return;
    }
    for (AlertEvent e : events) {
      Notice.Status status = switch (e.to()) {
        case FIRING -> Notice.Status.FIRING;
        case RESOLVED -> Notice.Status.RESOLVED;
        default -> null;
      };
      if (status == null) {
        continue;
      }
      Meta m = meta.getOrDefault(e.ruleId(), new Meta(e.ruleId(), "warning"));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("rule", e.ruleId());
      if (e.value() != null) {
        details.put("value", e.value().stripTrailingZeros().toPlainString());
      }
      notifier.notify(new Notice(e.ruleId() + (e.group() == null ? "" : "/" + e.group()), m.name(),
          e.group(), m.severity(), status, e.at(), e.message(), details));
    }
  }

  /** Config rules, then stored rules that parse and do not clash; the rest go to problems. */
  private Map<String, AlertRule> currentRules(List<String> problems) {
    Map<String, AlertRule> out = new LinkedHashMap<>(configRules);
    List<StoredRule> stored;
    try {
      stored = store.rules();
    } catch (RuntimeException e) {
      problems.add("stored alert rules could not be read: " + e.getMessage());
      // keep evaluating the stored rules of the last round rather than resolving them all
      tracked.values().stream().filter(r -> r.figure() != null).forEach(r -> out.putIfAbsent(r.id(), r));
      return out;
    }
    for (StoredRule s : stored) {
      if (configRules.containsKey(s.id())) {
        problems.add("stored rule " + s.id() + " has the id of a config rule; the config rule is used");
        continue;
      }
      try {
        out.put(s.id(), parseStored(s));
      } catch (RuleException e) {
        problems.add("stored rule " + s.id() + " no longer parses: " + String.join("; ", e.problems()));
      }
    }
    return out;
  }

  private static AlertRule parseStored(StoredRule s) throws RuleException {
    AlertRule r = RuleParser.fromJson(s.json());
    if (!r.id().equals(s.id())) {
      throw new RuleException(List.of("id: the JSON says '" + r.id() + "' but it is stored as '" + s.id() + "'"));
    }
    return r;
  }

  /** Every rule, config ones first, with its source and state after the last round. */
  public List<RuleView> rules() {
    List<RuleView> out = new ArrayList<>();
    configRules.values().forEach(r -> out.add(view(r.id(), r, null, CONFIG, null, List.of())));
    for (StoredRule s : store.rules()) {
      if (configRules.containsKey(s.id())) {
        continue;
      }
      try {
        out.add(view(s.id(), parseStored(s), s.json(), API, s.updatedAt(), List.of()));
      } catch (RuleException e) {
        out.add(view(s.id(), null, s.json(), API, s.updatedAt(), e.problems()));
      }
    }
    return out;
  }

  /** The rule of this id, if there is one. */
  public Optional<RuleView> rule(String id) {
    return rules().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * Saves a rule from its JSON: a create when {@code pathId} is null (refused when the id exists),
   * else a replace of the stored rule {@code pathId} (whose id the JSON must keep). Config rules
   * cannot be replaced. Never throws for bad input.
   */
  public RuleChange save(String json, String pathId) {
    AlertRule rule;
    try {
      rule = RuleParser.fromJson(json);
    } catch (RuleException e) {
      return RuleChange.refused(RuleChange.Status.INVALID, "the rule is not valid", e.problems());
    }
    if (pathId != null && !pathId.equals(rule.id())) {
      return RuleChange.refused(RuleChange.Status.INVALID, "the rule is not valid",
          List.of("id: the body says '" + rule.id() + "' but the path says '" + pathId
              + "'; keep the id (delete and create to rename)"));
    }
    if (configRules.containsKey(rule.id())) {
      return RuleChange.refused(RuleChange.Status.CONFLICT, "rule '" + rule.id()
          + "' comes from the config file and is read-only; change it there, or pick another id", List.of());
    }
    boolean exists = store.rules().stream().anyMatch(s -> s.id().equals(rule.id()));
    if (pathId == null && exists) {
      return RuleChange.refused(RuleChange.Status.CONFLICT, "rule '" + rule.id()
          + "' exists; replace it with PUT /api/v1/alerts/rules/" + rule.id() + " or pick another id", List.of());
    }
    if (pathId != null && !exists) {
      return RuleChange.refused(RuleChange.Status.NOT_FOUND, "no stored rule '" + pathId
          + "'; create it with POST /api/v1/alerts/rules", List.of());
    }
    String canonical = RuleParser.toJson(rule).toString();
    Instant at = clock.instant();
    store.saveRule(new StoredRule(rule.id(), canonical, at));
    return new RuleChange(exists ? RuleChange.Status.UPDATED : RuleChange.Status.CREATED,
        view(rule.id(), rule, canonical, API, at, List.of()), null, List.of());
  }

  /** Deletes a stored rule; its alerts resolve at the next round. Config rules cannot be deleted. */
  public RuleChange delete(String id) {
    if (id != null && configRules.containsKey(id)) {
      return RuleChange.refused(RuleChange.Status.CONFLICT, "rule '" + id
          + "' comes from the config file and is read-only; remove it there", List.of());
    }
    if (id == null || id.isEmpty() || id.length() > 128 || !store.deleteRule(id)) {
      return RuleChange.refused(RuleChange.Status.NOT_FOUND, "no stored rule '" + id + "'", List.of());
    }
    return new RuleChange(RuleChange.Status.DELETED, null, null, List.of());
  }

  /** The (rule, group)s pending or firing after the last round, firing first. */
  public List<FiringAlert> firing() {
    List<FiringAlert> out = new ArrayList<>();
    for (ActiveAlert a : active) {
      if (a.state() != AlertState.PENDING && a.state() != AlertState.FIRING) {
        continue;
      }
      Meta m = meta.getOrDefault(a.ruleId(), new Meta(a.ruleId(), "warning"));
      out.add(new FiringAlert(a.ruleId(), m.name(), a.group(), a.state(), a.since(), a.value(), m.severity(),
          messages.get(new Key(a.ruleId(), a.group()))));
    }
    out.sort((x, y) -> Boolean.compare(y.state() == AlertState.FIRING, x.state() == AlertState.FIRING));
    return out;
  }

  /** The last round, or null before the first. */
  public WatchRound lastRound() {
    return lastRound;
  }

  /** The notifier (null when there is none). */
  public Notifier notifier() {
    return notifier;
  }

  /** The anomaly detector, or null when anomaly detection is off. */
  public CostAnomalyDetector detector() {
    return detector;
  }

  public Duration interval() {
    return interval;
  }

  /** Runs a round every interval on one daemon thread, the first at once. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sightline-alerts");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        runOnce(clock.instant());
      } catch (RuntimeException e) {
        // a round that fails must not stop the next ones; the next round reports what still fails
        lastRound = new WatchRound(clock.instant(), List.of(), List.of("the alert round failed: " + e));
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the rounds (a round in progress finishes) and closes the notifier. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdown();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer.shutdownNow();
      timer = null;
    }
    if (notifier != null) {
      notifier.close();
    }
  }

  private RuleView view(String id, AlertRule rule, String json, String source, Instant updatedAt,
      List<String> problems) {
    int firing = 0;
    boolean pending = false;
    for (ActiveAlert a : active) {
      if (a.ruleId().equals(id)) {
        firing += a.state() == AlertState.FIRING ? 1 : 0;
        pending |= a.state() == AlertState.PENDING;
      }
    }
    String state = firing > 0 ? "firing" : pending ? "pending" : "ok";
    String text = json != null ? json : rule == null ? null : RuleParser.toJson(rule).toString();
    return new RuleView(id, rule, text, source, updatedAt, state, firing, problems);
  }

  private static String severity(Severity s) {
    return s == null ? "warning" : s.wire();
  }

  /** The tracker's clock: the instant of the round in progress. */
  private static final class RoundClock extends Clock {
    volatile Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
