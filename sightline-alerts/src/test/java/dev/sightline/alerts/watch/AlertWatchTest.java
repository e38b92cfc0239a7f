package dev.sightline.alerts.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.alerts.notify.WebhookTarget;
import dev.sightline.alerts.rules.AlertEvent;
import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.alerts.rules.AlertState;
import dev.sightline.alerts.rules.RuleException;
import dev.sightline.alerts.rules.RuleParser;
import dev.sightline.alerts.rules.Severity;
import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.store.AlertHistoryQuery;
import dev.sightline.store.AlertRecord;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import dev.sightline.store.StoredRule;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert loop over a real DuckDB store, with a moved clock and a local webhook receiver. */
class AlertWatchTest {
  private static final Instant T0 = Instant.parse("2025-03-10T12:30:00Z");

  @TempDir
  Path dir;
  private Store store;
  private HookReceiver receiver;
  private Notifier notifier;
  private AlertWatch watch;
  private int seq;

  @BeforeEach
  void open() throws Exception {
    store = DuckDbStore.open(dir);
    receiver = new HookReceiver();
    WebhookTarget target = WebhookTarget.parse("ops=" + receiver.url()).target();
    notifier = new Notifier(List.of(target), new Notifier.Settings(Duration.ofMillis(1), Duration.ofHours(4), 2,
        Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
        InstantSource.fixed(T0));
  }

  @AfterEach
  void close() {
    if (watch != null) {
      watch.close();
    }
    notifier.close();
    receiver.close();
    store.close();
  }

  private AlertWatch watch(List<AlertRule> config, List<AlertSource> sources) {
    watch = new AlertWatch(store, config, notifier, null, sources, Duration.ofMinutes(1), InstantSource.fixed(T0));
    return watch;
  }

  private static AlertRule rule(String json) {
    try {
      return RuleParser.fromJson(json);
    } catch (RuleException e) {
      throw new AssertionError(e.problems());
    }
  }

  /** Writes one priced call on route /chat starting at {@code at}. */
  private void call(Instant at, String costUsd) {
    int n = ++seq;
    String trace = String.format("%032x", n);
    String span = String.format("%016x", n);
    long start = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    long end = start + 100_000_000L;
    Cost cost = new Cost(CostStatus.PRICED, new BigDecimal(costUsd), new BigDecimal(costUsd), null, null,
        BigDecimal.ZERO, null, "gpt-4o", null, null);
    LlmCall c = new LlmCall("openai", "chat", "gpt-4o", null, false, Usage.reported(100, 0, 0, 0, 20, 0),
        new Timing(start, end, null, null, null, null), cost,
        new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(trace, span, "chat-svc", "/chat", null, null, null, null, List.of()), Content.NONE);
    store.write(List.of(TelemetryBatch.ofSpans("test", List.of(new Span(trace, span, null, "chat", SpanKind.CLIENT,
        start, end, SpanStatus.OK, null, "chat-svc", "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM, c,
        List.of())))));
  }

  private static List<AlertState> states(WatchRound round, String ruleId) {
    return round.events().stream().filter(e -> e.ruleId().equals(ruleId)).map(AlertEvent::to).toList();
  }

  @Test
  void thresholdRuleGoesPendingFiringResolvedWithHistoryAndNotices() throws Exception {
    AlertRule spend = rule("""
        {"id":"chat-spend","name":"Chat spend","figure":"cost_per_hour","filter":{"route":"/chat"},"window":"10m",
         "condition":"> 10","for":"2m","severity":"critical"}""");
    watch(List.of(spend), List.of());
    call(T0.minusSeconds(60), "2.50"); // $2.50 in 10 min = $15/h

    WatchRound first = watch.runOnce(T0);
    assertThat(states(first, "chat-spend")).containsExactly(AlertState.PENDING);
    assertThat(watch.firing()).singleElement().satisfies(f -> assertThat(f.state()).isEqualTo(AlertState.PENDING));

    WatchRound second = watch.runOnce(T0.plus(Duration.ofMinutes(2)));
    assertThat(states(second, "chat-spend")).containsExactly(AlertState.FIRING);
    assertThat(watch.firing()).singleElement().satisfies(f -> {
      assertThat(f.state()).isEqualTo(AlertState.FIRING);
      assertThat(f.value()).isEqualByComparingTo("15");
      assertThat(f.severity()).isEqualTo("critical");
      assertThat(f.ruleName()).isEqualTo("Chat spend");
    });
    assertThat(watch.rules()).singleElement().satisfies(v -> {
      assertThat(v.source()).isEqualTo(AlertWatch.CONFIG);
      assertThat(v.state()).isEqualTo("firing");
      assertThat(v.firing()).isEqualTo(1);
    });
    JsonNode firing = receiver.next();
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    assertThat(firing.path("alerts").get(0).path("alertKey").asText()).isEqualTo("chat-spend");
    assertThat(firing.path("alerts").get(0).path("severity").asText()).isEqualTo("critical");

    WatchRound third = watch.runOnce(T0.plus(Duration.ofMinutes(15))); // the call has left the window
    assertThat(states(third, "chat-spend")).containsExactly(AlertState.RESOLVED);
    assertThat(watch.firing()).isEmpty();
    assertThat(receiver.next().path("status").asText()).isEqualTo("resolved");

    List<AlertRecord> history = store.alertHistory(new AlertHistoryQuery("chat-spend", null, null, null, 10));
    assertThat(history).extracting(AlertRecord::to).containsExactly("resolved", "firing", "pending");
    assertThat(history.get(1).value()).isEqualByComparingTo("15");
    assertThat(history.get(1).message()).contains("firing");
  }

  @Test
  void sourceSignalFiresAtOnceAndResolves() throws Exception {
    List<AlertSignal> signals = new ArrayList<>();
    watch(List.of(), List.of(now -> List.copyOf(signals)));
    signals.add(new AlertSignal("budget:chat", "Budget chat", "route=/chat", Severity.WARNING, true,
        new BigDecimal("41.5"), "Budget chat: $41.50 of $50.00 spent (83 %)"));

    WatchRound fired = watch.runOnce(T0);
    assertThat(states(fired, "budget:chat")).containsExactly(AlertState.FIRING);
    assertThat(fired.events().get(0).message()).isEqualTo("Budget chat: $41.50 of $50.00 spent (83 %)");
    JsonNode body = receiver.next();
    assertThat(body.path("alerts").get(0).path("summary").asText()).contains("$41.50 of $50.00");

    assertThat(watch.runOnce(T0.plusSeconds(60)).events()).isEmpty(); // still breached: no new transition

    signals.clear(); // no longer reported: resolves
    WatchRound resolved = watch.runOnce(T0.plusSeconds(120));
    assertThat(states(resolved, "budget:chat")).containsExactly(AlertState.RESOLVED);
    assertThat(receiver.next().path("status").asText()).isEqualTo("resolved");
    assertThat(store.alertHistory(new AlertHistoryQuery("budget:chat", null, null, null, 10)))
        .extracting(AlertRecord::to).containsExactly("resolved", "firing");
  }

  @Test
  void storedRuleThatNoLongerParsesIsReportedAndOthersStillRun() {
    store.saveRule(new StoredRule("broken", "{\"id\":\"broken\",\"figure\":\"no_such_figure\",\"window\":\"5m\","
        + "\"condition\":\"> 1\"}", T0));
    watch(List.of(), List.of());
    assertThat(watch.save("""
        {"id":"calls","figure":"calls","window":"10m","condition":">= 1"}""", null).status())
        .isEqualTo(RuleChange.Status.CREATED);
    call(T0.minusSeconds(30), "0.01");

    WatchRound round = watch.runOnce(T0);
    assertThat(round.problems()).anySatisfy(p -> assertThat(p).contains("stored rule broken").contains("figure"));
    assertThat(states(round, "calls")).containsExactly(AlertState.FIRING);
    assertThat(watch.rules()).anySatisfy(v -> {
      assertThat(v.id()).isEqualTo("broken");
      assertThat(v.rule()).isNull();
      assertThat(v.problems()).isNotEmpty();
    });
  }

  @Test
  void crudValidatesAndProtectsConfigRulesAndDeletedRulesResolve() {
    watch(List.of(rule("""
        {"id":"cfg","figure":"calls","window":"5m","condition":"> 1000"}""")), List.of());

    RuleChange invalid = watch.save("{\"id\":\"x\",\"figure\":\"calls\",\"window\":\"soon\"}", null);
    assertThat(invalid.status()).isEqualTo(RuleChange.Status.INVALID);
    assertThat(invalid.problems()).anySatisfy(p -> assertThat(p).startsWith("window"))
        .anySatisfy(p -> assertThat(p).startsWith("condition"));
    assertThat(watch.save("not json", null).status()).isEqualTo(RuleChange.Status.INVALID);

    RuleChange clash = watch.save("{\"id\":\"cfg\",\"figure\":\"calls\",\"window\":\"5m\",\"condition\":\"> 1\"}", null);
    assertThat(clash.status()).isEqualTo(RuleChange.Status.CONFLICT);
    assertThat(clash.message()).contains("config");
    assertThat(watch.delete("cfg").status()).isEqualTo(RuleChange.Status.CONFLICT);
    assertThat(watch.delete("nope").status()).isEqualTo(RuleChange.Status.NOT_FOUND);

    String any = "{\"id\":\"any\",\"figure\":\"calls\",\"window\":\"5m\",\"condition\":\">= 1\"}";
    assertThat(watch.save(any, null).status()).isEqualTo(RuleChange.Status.CREATED);
    assertThat(watch.save(any, null).status()).isEqualTo(RuleChange.Status.CONFLICT);
    assertThat(watch.save(any.replace(">= 1", ">= 2"), "any").status()).isEqualTo(RuleChange.Status.UPDATED);
    assertThat(watch.save(any, "other").status()).isEqualTo(RuleChange.Status.INVALID);
    assertThat(watch.rule("any")).get().satisfies(v -> {
      assertThat(v.source()).isEqualTo(AlertWatch.API);
      assertThat(v.rule().condition().toString()).isEqualTo(">= 2");
    });

    call(T0.minusSeconds(10), "0.01");
    call(T0.minusSeconds(20), "0.01");
    assertThat(states(watch.runOnce(T0), "any")).containsExactly(AlertState.FIRING);
    assertThat(watch.delete("any").status()).isEqualTo(RuleChange.Status.DELETED);
    assertThat(states(watch.runOnce(T0.plusSeconds(60)), "any")).containsExactly(AlertState.RESOLVED);
    assertThat(watch.rules()).extracting(RuleView::id).containsExactly("cfg");
  }
}
