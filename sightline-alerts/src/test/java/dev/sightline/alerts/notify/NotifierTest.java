package dev.sightline.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Notifier against a local receiver: bodies, grouping, de-duplication, repeats and resolves. */
class NotifierTest {

  static final Instant T0 = Instant.parse("2026-12-04T07:00:00Z");

  static Notifier.Settings fast(Duration groupWait) {
    return new Notifier.Settings(groupWait, Duration.ofHours(4), 4, Duration.ofSeconds(30),
        Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(3));
  }

  static Notice firing(String key) {
    return new Notice(key, "Cost per hour", "route=/chat", "critical", Notice.Status.FIRING, T0,
        "cost/h 9.8x baseline", Map.of("baseline", "1.20"));
  }

  static Notice resolved(String key) {
    return new Notice(key, "Cost per hour", "route=/chat", "critical", Notice.Status.RESOLVED, T0.plusSeconds(60),
        "back to normal", Map.of());
  }

  static Notifier notifier(WebhookTarget target, Notifier.Settings settings, InstantSource clock) {
    return new Notifier(List.of(target), settings, clock, new Random(42));
  }

  static List<Delivery> awaitDeliveries(Notifier n, Predicate<List<Delivery>> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (System.nanoTime() < deadline) {
      List<Delivery> d = n.deliveries();
      if (done.test(d)) {
        return d;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("deliveries did not settle within 8 s: " + n.deliveries());
  }

  static List<String> keys(JsonNode body) {
    List<String> keys = new ArrayList<>();
    body.get("alerts").forEach(a -> keys.add(a.get("alertKey").asText()));
    return keys;
  }

  @Test
  void genericBodyCarriesEveryFieldEscaped() throws Exception {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("route", "/chat \"quoted\"\n<!channel>");
    details.put("factor", "9.8");
    Notice n = new Notice("r1|route=/chat", "Cost \"spike\"", "route=/chat", "critical", Notice.Status.FIRING, T0,
        "line1\nline2 {\"json\":true}", details);
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofMillis(20)), InstantSource.fixed(T0.plusSeconds(5)))) {
      assertThat(notifier.notify(n)).isEqualTo(Notifier.Outcome.QUEUED);
      Receiver.Request r = receiver.next();
      JsonNode body = r.body();
      assertThat(body.get("version").asText()).isEqualTo("1");
      assertThat(body.get("status").asText()).isEqualTo("firing");
      assertThat(body.has("test")).isFalse();
      assertThat(body.get("sentAt").asText()).isEqualTo("2026-12-04T07:00:05Z");
      JsonNode a = body.get("alerts").get(0);
      assertThat(a.get("alertKey").asText()).isEqualTo("r1|route=/chat");
      assertThat(a.get("ruleName").asText()).isEqualTo("Cost \"spike\"");
      assertThat(a.get("group").asText()).isEqualTo("route=/chat");
      assertThat(a.get("severity").asText()).isEqualTo("critical");
      assertThat(a.get("status").asText()).isEqualTo("firing");
      assertThat(a.get("at").asText()).isEqualTo("2026-12-04T07:00:00Z");
      assertThat(a.get("summary").asText()).isEqualTo("line1\nline2 {\"json\":true}");
      assertThat(a.get("details").get("route").asText()).isEqualTo("/chat \"quoted\"\n<!channel>");
      assertThat(a.get("details").get("factor").asText()).isEqualTo("9.8");
      assertThat(r.headers().get("Authorization")).containsExactly("Bearer s3cret");
      assertThat(r.headers().get("Content-type")).containsExactly("application/json");

      List<Delivery> d = awaitDeliveries(notifier, l -> !l.isEmpty());
      assertThat(d.get(0).delivered()).isTrue();
      assertThat(d.get(0).statusCode()).isEqualTo(200);
      assertThat(d.get(0).target()).isEqualTo("ops");
      assertThat(d.get(0).alertKeys()).containsExactly("r1|route=/chat");
    }
  }

  @Test
  void slackBodyHasTextAndASectionPerAlertWithMentionsEscaped() throws Exception {
    Notice n = new Notice("r1", "Spend <!channel> & co", "user=<@U123>", "warning", Notice.Status.FIRING, T0,
        "cost/h 9.8x baseline", Map.of("cause", "route /chat gpt-4o-mini -> gpt-4o"));
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("chat", WebhookTarget.Format.SLACK),
             fast(Duration.ofMillis(20)), InstantSource.fixed(T0))) {
      notifier.notify(n);
      JsonNode body = receiver.next().body();
      assertThat(body.get("text").asText()).startsWith("[FIRING:1] Spend &lt;!channel&gt; &amp; co");
      assertThat(body.get("blocks")).hasSize(1);
      JsonNode block = body.get("blocks").get(0);
      assertThat(block.get("type").asText()).isEqualTo("section");
      assertThat(block.get("text").get("type").asText()).isEqualTo("mrkdwn");
      String text = block.get("text").get("text").asText();
      assertThat(text).contains("FIRING", "&lt;@U123&gt;", "warning", "cost/h 9.8x baseline",
          "cause: route /chat gpt-4o-mini -&gt; gpt-4o");
      assertThat(body.toString()).doesNotContain("<!channel>", "<@U123>");
    }
  }

  @Test
  void noticesWithinTheGroupWaitGoOutAsOneMessage() throws Exception {
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofSeconds(1)), InstantSource.fixed(T0))) {
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.QUEUED);
      assertThat(notifier.notify(firing("b"))).isEqualTo(Notifier.Outcome.QUEUED);
      assertThat(keys(receiver.next().body())).containsExactly("a", "b");
      List<Delivery> d = awaitDeliveries(notifier, l -> !l.isEmpty());
      assertThat(d).hasSize(1);
      assertThat(d.get(0).alertKeys()).containsExactly("a", "b");
      assertThat(receiver.count()).isEqualTo(1);
    }
  }

  @Test
  void theSameAlertAndStatusIsNotSentTwice() throws Exception {
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofMillis(20)), InstantSource.fixed(T0))) {
      notifier.notify(firing("a"));
      assertThat(keys(receiver.next().body())).containsExactly("a");
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.DUPLICATE);
      notifier.notify(firing("b"));
      // The next message holds only b: the repeated a was dropped, not queued behind it.
      assertThat(keys(receiver.next().body())).containsExactly("b");
      assertThat(receiver.count()).isEqualTo(2);
    }
  }

  @Test
  void aStillFiringAlertIsSentAgainAfterTheRepeatInterval() throws Exception {
    ManualClock clock = new ManualClock(T0);
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofMillis(20)), clock)) {
      notifier.notify(firing("a"));
      receiver.next();
      clock.advance(Duration.ofHours(4).minusSeconds(1));
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.DUPLICATE);
      clock.advance(Duration.ofSeconds(1));
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.QUEUED);
      JsonNode again = receiver.next().body();
      assertThat(keys(again)).containsExactly("a");
      assertThat(again.get("status").asText()).isEqualTo("firing");
      assertThat(again.get("sentAt").asText()).isEqualTo("2026-12-04T11:00:00Z");
    }
  }

  @Test
  void aResolveFollowsAFiringThatWasSentAndNeverOneThatWasNot() throws Exception {
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofMillis(20)), InstantSource.fixed(T0))) {
      assertThat(notifier.notify(resolved("never-fired"))).isEqualTo(Notifier.Outcome.NOTHING_TO_RESOLVE);
      notifier.notify(firing("a"));
      receiver.next();
      awaitDeliveries(notifier, l -> l.size() == 1);
      assertThat(notifier.notify(resolved("a"))).isEqualTo(Notifier.Outcome.QUEUED);
      JsonNode body = receiver.next().body();
      assertThat(body.get("status").asText()).isEqualTo("resolved");
      assertThat(body.get("alerts").get(0).get("status").asText()).isEqualTo("resolved");
      assertThat(body.get("alerts").get(0).get("summary").asText()).isEqualTo("back to normal");
      assertThat(notifier.notify(resolved("a"))).isEqualTo(Notifier.Outcome.DUPLICATE);
      // Firing again after a resolve is news, not a duplicate.
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.QUEUED);
    }
  }

  @Test
  void anAlertThatResolvesBeforeItsGroupIsSentIsNotSentAtAll() throws Exception {
    try (Receiver receiver = new Receiver();
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             fast(Duration.ofSeconds(30)), InstantSource.fixed(T0))) {
      assertThat(notifier.notify(firing("flap"))).isEqualTo(Notifier.Outcome.QUEUED);
      assertThat(notifier.notify(resolved("flap"))).isEqualTo(Notifier.Outcome.NOTHING_TO_RESOLVE);
      assertThat(notifier.notify(firing("flap"))).isEqualTo(Notifier.Outcome.QUEUED);
    }
  }

  @Test
  void incompleteNoticesAndNoticesAfterCloseAreRejectedWithAReason() throws Exception {
    try (Receiver receiver = new Receiver()) {
      Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
          fast(Duration.ofSeconds(30)), InstantSource.fixed(T0));
      assertThat(notifier.notify(null)).isEqualTo(Notifier.Outcome.REJECTED);
      assertThat(notifier.lastRejection()).contains("null");
      assertThat(notifier.notify(new Notice(" ", "r", null, null, Notice.Status.FIRING, T0, null, null)))
          .isEqualTo(Notifier.Outcome.REJECTED);
      assertThat(notifier.lastRejection()).contains("alertKey");
      notifier.notify(firing("a"));
      long start = System.nanoTime();
      notifier.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(notifier.notify(firing("b"))).isEqualTo(Notifier.Outcome.REJECTED);
      assertThat(notifier.lastRejection()).contains("closed");
    }
  }

  /** A clock the test moves by hand. */
  static final class ManualClock implements InstantSource {
    private volatile Instant now;

    ManualClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
