package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.server.config.SightlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The alert options from flags, the environment and the config file, and their mistakes. */
class AlertsConfigTest {
  @TempDir Path dir;

  private SightlineConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    return ((ServerCommand) r.subcommand().commandSpec().userObject()).options.toConfig();
  }

  @Test
  void defaults() {
    SightlineConfig d = parse(Map.of(), "server");
    assertThat(d.alerts().rules()).isEmpty();
    assertThat(d.alerts().webhooks()).isEmpty();
    assertThat(d.alerts().interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(d.alerts().costAnomalies()).isTrue();
  }

  @Test
  void repeatedConfigFileRuleLinesEachAddARuleKeepingEqualsAndSemicolons() throws Exception {
    Path file = dir.resolve("alerts.conf");
    Files.writeString(file, """
        alert-rule = id=5xx; figure=error_rate_5xx; groupBy=provider; window=5m; condition=> 0.05; for=2m
        alert-rule = id=spend; figure=cost_per_hour; filter.route=/chat; window=1h; condition=>= 10; severity=critical
        webhook = ops=http://127.0.0.1:9/hook chat=http://127.0.0.1:9/slack,slack
        alert-interval = 30s
        cost-anomalies = off
        """);
    SightlineConfig c = parse(Map.of(), "server", "--config", file.toString());
    assertThat(c.alerts().rules()).extracting(r -> r.id() + " " + r.condition())
        .containsExactly("5xx > 0.05", "spend >= 10");
    assertThat(c.alerts().rules().get(1).filter().values()).containsExactly("/chat");
    assertThat(c.alerts().webhooks()).extracting(w -> w.name() + " " + w.format())
        .containsExactly("ops GENERIC_JSON", "chat SLACK");
    assertThat(c.alerts().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.alerts().costAnomalies()).isFalse();

    SightlineConfig flags = parse(Map.of(), "server", "--alert-rule", "id=a; figure=calls; window=5m; condition=> 1",
        "--alert-rule", "id=b; figure=tokens; window=5m; condition=> 1");
    assertThat(flags.alerts().rules()).extracting(r -> r.id()).containsExactly("a", "b");
    SightlineConfig env = parse(Map.of("SIGHTLINE_ALERT_RULE", "id=e; figure=calls; window=5m; condition=> 1",
        "SIGHTLINE_WEBHOOK", "ops=http://127.0.0.1:9/hook"), "server");
    assertThat(env.alerts().rules()).extracting(r -> r.id()).containsExactly("e");
    assertThat(env.alerts().webhooks()).extracting(w -> w.name()).containsExactly("ops");
  }

  @Test
  void mistakesNameTheOption() {
    assertThatThrownBy(() -> parse(Map.of(), "server", "--alert-rule", "id=x; figure=nope; window=5m; condition=> 1"))
        .hasMessageContaining("--alert-rule").hasMessageContaining("figure");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--alert-rule", "id=x; figure=calls; window=5m; condition=> 1",
        "--alert-rule", "id=x; figure=tokens; window=5m; condition=> 1"))
        .hasMessageContaining("--alert-rule").hasMessageContaining("'x'");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--webhook", "ops"))
        .hasMessageContaining("--webhook");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--alert-interval", "0s"))
        .hasMessageContaining("--alert-interval");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--cost-anomalies", "maybe"))
        .hasMessageContaining("--cost-anomalies");
  }

  @Test
  void budgetsComeFromFlagsEnvironmentAndConfigFileAndMistakesNameTheOption() throws Exception {
    Path file = dir.resolve("budgets.conf");
    Files.writeString(file, """
        budget = all=project,1000/month
        budget = chat=route:/chat,50/month,soft=75%,hard alice=user:alice,5/24h,hard
        """);
    SightlineConfig c = parse(Map.of(), "server", "--config", file.toString());
    assertThat(c.alerts().budgets()).extracting(b -> b.name() + " " + b.scopeLabel() + " "
        + b.limitUsd().stripTrailingZeros().toPlainString() + "/" + b.period().wire() + " soft " + b.softPct() + (b.hard() ? " hard" : ""))
        .containsExactly("all project 1000/month soft 80", "chat route /chat 50/month soft 75 hard",
            "alice user alice 5/24h soft 80 hard");
    assertThat(parse(Map.of("SIGHTLINE_BUDGET", "svc=service:web,10/7d"), "server").alerts().budgets())
        .extracting(b -> b.name()).containsExactly("svc");
    assertThat(parse(Map.of(), "server", "--budget", "a=project,1/month", "--budget", "b=project,2/month")
        .alerts().budgets()).extracting(b -> b.name()).containsExactly("a", "b");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--budget", "chat=route:/chat,fifty/month"))
        .hasMessageContaining("--budget").hasMessageContaining("chat");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--budget", "k=key:sk-1,5/month"))
        .hasMessageContaining("--budget").hasMessageContaining("16");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--budget", "a=project,1/month a=project,2/month"))
        .hasMessageContaining("--budget").hasMessageContaining("twice");
  }
}
