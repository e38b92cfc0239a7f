package dev.sightline.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

  @Test
  void parsesNameUrlAndFormat() {
    WebhookTarget.Parsed generic = WebhookTarget.parse(" ops=https://hooks.example.com/a/b ");
    assertThat(generic.ok()).isTrue();
    assertThat(generic.target().name()).isEqualTo("ops");
    assertThat(generic.target().url().toString()).isEqualTo("https://hooks.example.com/a/b");
    assertThat(generic.target().format()).isEqualTo(WebhookTarget.Format.GENERIC_JSON);

    WebhookTarget.Parsed slack = WebhookTarget.parse("team-chat=http://10.0.0.1:8080/x,SLACK");
    assertThat(slack.target().format()).isEqualTo(WebhookTarget.Format.SLACK);
    assertThat(slack.target().url().getPort()).isEqualTo(8080);
  }

  @Test
  void commaInsideTheUrlQueryIsNotAFormat() {
    WebhookTarget.Parsed p = WebhookTarget.parse("q=https://h.example.com/hook?ids=1,2");
    assertThat(p.error()).isNull();
    assertThat(p.target().url().getQuery()).isEqualTo("ids=1,2");
    assertThat(p.target().format()).isEqualTo(WebhookTarget.Format.GENERIC_JSON);
  }

  @Test
  void badSpecsGetAReasonInsteadOfAnException() {
    assertThat(WebhookTarget.parse(null).error()).contains("empty");
    assertThat(WebhookTarget.parse("https://h.example.com").error()).contains("no '='");
    assertThat(WebhookTarget.parse("=https://h.example.com").error()).contains("webhook name ''");
    assertThat(WebhookTarget.parse("a b=https://h.example.com").error()).contains("webhook name 'a b'");
    assertThat(WebhookTarget.parse("ops=ftp://h.example.com/x").error()).contains("http:// or https://");
    assertThat(WebhookTarget.parse("ops=https:///nohost").error()).contains("no host");
    assertThat(WebhookTarget.parse("ops=https://h.example.com/x,teams").error()).contains("unknown format 'teams'");
    assertThat(WebhookTarget.parse("ops=https://h.example.com/a b").error()).contains("not a valid URL");
    assertThat(WebhookTarget.parse("ops=").error()).contains("must start with http");
  }

  @Test
  void headersSightlineSetsCannotBeOverridden() {
    assertThat(WebhookTarget.of("ops", "https://h.example.com/x", WebhookTarget.Format.SLACK,
        Map.of("Host", "evil")).error()).contains("header 'Host'");
    assertThat(WebhookTarget.of("ops", "https://h.example.com/x", WebhookTarget.Format.SLACK,
        Map.of("X-Token", "a\r\nInjected: 1")).error()).contains("one-line value");
    assertThat(WebhookTarget.of("ops", "https://h.example.com/x", WebhookTarget.Format.SLACK,
        Map.of("X-Token", "abc")).ok()).isTrue();
  }

  @Test
  void toStringHidesThePathAndHeaderValuesWhichHoldSecrets() {
    WebhookTarget t = WebhookTarget.of("ops", "https://hooks.slack.com/services/T000/B000/XXXSECRET",
        WebhookTarget.Format.SLACK, Map.of("Authorization", "Bearer tok123")).target();
    assertThat(t.toString()).contains("ops", "hooks.slack.com", "Authorization")
        .doesNotContain("XXXSECRET", "tok123");
  }
}
