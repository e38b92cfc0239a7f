package dev.sightline.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.server.config.AlertsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's alert settings: its own rules, budget and webhook only where the user gave none. */
class DemoAlertsTest {
  static final URI RECEIVER = URI.create("http://127.0.0.1:45678");

  @Test
  void withoutUserSettingsTheDemoRulesBudgetAndWebhookAreAdded() {
    AlertsConfig c = DemoCommand.demoAlerts(AlertsConfig.defaults(), RECEIVER);
    assertThat(c.rules()).extracting(AlertRule::id)
        .containsExactly("provider-5xx", "ttft-p95", "cost-per-hour", "cost-vs-yesterday");
    assertThat(c.budgets()).singleElement().satisfies(b -> {
      assertThat(b.name()).isEqualTo("demo-daily");
      assertThat(b.hard()).isFalse();
    });
    assertThat(c.webhooks()).singleElement().satisfies(w ->
        assertThat(w.url()).isEqualTo(URI.create("http://127.0.0.1:45678" + SimulatedUpstream.WEBHOOK_PATH)));
  }

  @Test
  void theUsersRulesAndBudgetsReplaceTheDemosAndTheirWebhooksStay() {
    AlertsConfig user = AlertsConfig.parse(List.of("id=mine; figure=calls; window=5m; condition=> 1"),
        List.of("ops=http://127.0.0.1:9/x"), Duration.ofSeconds(30), false, List.of("b=user:alice,5/24h,hard"));
    AlertsConfig c = DemoCommand.demoAlerts(user, RECEIVER);
    assertThat(c.rules()).extracting(AlertRule::id).containsExactly("mine");
    assertThat(c.budgets()).extracting(b -> b.name()).containsExactly("b");
    assertThat(c.webhooks()).extracting(w -> w.name()).containsExactly("ops", "demo");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.costAnomalies()).isFalse();
  }
}
