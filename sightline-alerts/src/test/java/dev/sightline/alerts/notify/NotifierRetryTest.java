package dev.sightline.alerts.notify;

import static dev.sightline.alerts.notify.NotifierTest.T0;
import static dev.sightline.alerts.notify.NotifierTest.awaitDeliveries;
import static dev.sightline.alerts.notify.NotifierTest.firing;
import static dev.sightline.alerts.notify.NotifierTest.notifier;
import static dev.sightline.alerts.notify.NotifierTest.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failing receivers, retries, give-up, and the test button. */
class NotifierRetryTest {

  @Test
  void aReceiverThatFailsThenRecoversGetsTheMessageOnceAndEveryAttemptIsKept() throws Exception {
    try (Receiver receiver = new Receiver(n -> switch (n) {
      case 1 -> new Receiver.Reply(500, null);
      case 2 -> new Receiver.Reply(503, "1");
      default -> Receiver.Reply.ok();
    });
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             NotifierTest.fast(Duration.ofMillis(20)), InstantSource.system())) {
      notifier.notify(firing("a"));
      Receiver.Request first = receiver.next();
      Receiver.Request second = receiver.next();
      Receiver.Request third = receiver.next();
      List<Delivery> d = awaitDeliveries(notifier, l -> l.stream().anyMatch(Delivery::finalAttempt));
      assertThat(d).extracting(Delivery::attempt).containsExactly(1, 2, 3);
      assertThat(d).extracting(Delivery::statusCode).containsExactly(500, 503, 200);
      assertThat(notifier.attemptCounts()).isEqualTo(java.util.Map.of("ops", java.util.Map.of("retrying", 2L,
          "delivered", 1L)));
      assertThat(d).extracting(Delivery::delivered).containsExactly(false, false, true);
      assertThat(d).extracting(Delivery::finalAttempt).containsExactly(false, false, true);
      assertThat(d).extracting(Delivery::messageId).containsOnly(d.get(0).messageId());
      assertThat(d.get(0).error()).isEqualTo("HTTP 500");
      assertThat(d.get(2).error()).isNull();
      // Retry-After: 1 was honoured although the back-off alone would have retried within 100 ms.
      assertThat(Duration.ofNanos(third.receivedNanos() - second.receivedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(keys(first.body())).isEqualTo(keys(third.body()));
      assertThat(receiver.count()).isEqualTo(3);
      // Delivered means the alert was heard: its resolve is owed.
      assertThat(notifier.notify(resolved("a"))).isEqualTo(Notifier.Outcome.QUEUED);
    }
  }

  @Test
  void aReceiverThatNeverAnswersIsGivenUpOnAfterMaxAttempts() throws Exception {
    Notifier.Settings settings = new Notifier.Settings(Duration.ofMillis(20), Duration.ofHours(4), 2,
        Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(200));
    try (Receiver receiver = new Receiver(n -> null);
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON), settings,
             InstantSource.system())) {
      notifier.notify(firing("a"));
      List<Delivery> d = awaitDeliveries(notifier, l -> l.stream().anyMatch(Delivery::finalAttempt));
      assertThat(d).hasSize(2);
      assertThat(d).extracting(Delivery::attempt).containsExactly(1, 2);
      assertThat(notifier.attemptCounts()).isEqualTo(java.util.Map.of("ops", java.util.Map.of("retrying", 1L,
          "failed", 1L)));
      assertThat(d).allSatisfy(x -> {
        assertThat(x.delivered()).isFalse();
        assertThat(x.statusCode()).isZero();
        assertThat(x.error()).contains("timed out");
      });
      // The target never heard of it, so no resolve is owed, and a new firing is not a duplicate.
      assertThat(notifier.notify(resolved("a"))).isEqualTo(Notifier.Outcome.NOTHING_TO_RESOLVE);
      assertThat(notifier.notify(firing("a"))).isEqualTo(Notifier.Outcome.QUEUED);
    }
  }

  @Test
  void tooManyRequestsIsRetried() throws Exception {
    try (Receiver receiver = new Receiver(n -> n == 1 ? new Receiver.Reply(429, null) : Receiver.Reply.ok());
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.SLACK),
             NotifierTest.fast(Duration.ofMillis(20)), InstantSource.system())) {
      notifier.notify(firing("a"));
      List<Delivery> d = awaitDeliveries(notifier, l -> l.stream().anyMatch(Delivery::finalAttempt));
      assertThat(d).extracting(Delivery::statusCode).containsExactly(429, 200);
      assertThat(d.get(1).delivered()).isTrue();
    }
  }

  @Test
  void backOffDoublesWithJitterUpToTheCap() {
    Notifier.Settings s = new Notifier.Settings(Duration.ofMillis(20), Duration.ofHours(4), 10, Duration.ofMinutes(1),
        Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(1));
    WebhookSender sender = new WebhookSender(null, s, InstantSource.system(), null, new java.util.Random(7), d -> { });
    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      // Step k is min(cap, initial * 2^(k-1)); the wait lies between half the step and the step.
      assertThat(sender.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(sender.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(sender.backoff(40)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
      seen.add(sender.backoff(3));
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    try (Receiver receiver = new Receiver(n -> new Receiver.Reply(404, null));
         Notifier notifier = notifier(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON),
             NotifierTest.fast(Duration.ofMillis(20)), InstantSource.system())) {
      notifier.notify(firing("a"));
      List<Delivery> d = awaitDeliveries(notifier, l -> l.stream().anyMatch(Delivery::finalAttempt));
      assertThat(d).singleElement().satisfies(x -> {
        assertThat(x.statusCode()).isEqualTo(404);
        assertThat(x.error()).isEqualTo("HTTP 404");
      });
    }
  }

  @Test
  void testFireSendsAMarkedMessageAndReturnsItsDelivery() throws Exception {
    try (Receiver receiver = new Receiver();
         Notifier notifier = new Notifier(List.of(), NotifierTest.fast(Duration.ofMillis(20)), InstantSource.fixed(T0))) {
      Delivery d = notifier.testFire(receiver.target("ops", WebhookTarget.Format.GENERIC_JSON));
      assertThat(d.delivered()).isTrue();
      assertThat(d.test()).isTrue();
      assertThat(d.statusCode()).isEqualTo(200);
      JsonNode body = receiver.next().body();
      assertThat(body.get("test").asBoolean()).isTrue();
      assertThat(body.get("alerts").get(0).get("ruleName").asText()).isEqualTo("Sightline test notification");

      notifier.testFire(receiver.target("chat", WebhookTarget.Format.SLACK));
      assertThat(receiver.next().body().get("text").asText()).startsWith("[TEST]");
      assertThat(notifier.deliveries()).hasSize(2).allMatch(Delivery::test);
    }
  }

  @Test
  void testFireToADeadReceiverSaysWhy() throws Exception {
    WebhookTarget dead;
    try (Receiver receiver = new Receiver()) {
      dead = receiver.target("gone", WebhookTarget.Format.GENERIC_JSON);
    }
    try (Notifier notifier = new Notifier(List.of(), NotifierTest.fast(Duration.ofMillis(20)), InstantSource.fixed(T0))) {
      Delivery d = notifier.testFire(dead);
      assertThat(d.delivered()).isFalse();
      assertThat(d.statusCode()).isZero();
      assertThat(d.error()).isNotBlank();
    }
  }

  private static List<String> keys(JsonNode body) {
    return NotifierTest.keys(body);
  }
}
