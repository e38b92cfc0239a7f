package dev.sightline.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pages that are broken or oversized give points and messages, never an exception. */
class HostileInputTest {
  static final long NOW = 1L;

  @Test
  void binaryGarbage() {
    byte[] bytes = new byte[64 * 1024];
    new Random(13).nextBytes(bytes);
    PrometheusText.Parsed r = PrometheusText.parse(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1),
        NOW, "svc");
    assertThat(r.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(PrometheusText.MAX_ERRORS + 1);
    assertThat(PrometheusText.parse(null, NOW, "svc").errors()).isNotEmpty();
  }

  @Test
  void aOneMebibyteLabelValueStopsAtTheLabelLimit() {
    String page = "first 1\nbig{v=\"" + "x".repeat(1 << 20) + "\"} 1\nafter 2\n";
    PrometheusText.Parsed r = PrometheusText.parse(page, NOW, "svc");
    assertThat(r.errors()).singleElement().asString().startsWith("line 2: more than 1048576 characters of labels");
    assertThat(r.points()).extracting(m -> m.name()).containsExactly("first");
  }

  @Test
  void aOneMebibyteLineOfJunkIsOneError() {
    PrometheusText.Parsed r = PrometheusText.parse("ok 1\n" + "{".repeat(1 << 20) + "\n", NOW, "svc");
    assertThat(r.errors()).singleElement().asString().startsWith("line 2: ");
    assertThat(r.errors().get(0).length()).isLessThan(200);
    assertThat(r.points()).hasSize(1);
  }

  @Test
  void twoHundredThousandSamplesStopAtTheSampleLimit() {
    StringBuilder b = new StringBuilder("# a page of unlabelled series, so that the label limit is not reached first\n");
    for (int i = 0; i < 200_000; i++) {
      b.append("s").append(i).append(' ').append(i).append('\n');
    }
    PrometheusText.Parsed r = PrometheusText.parse(b.toString(), NOW, "svc");
    assertThat(r.points()).hasSize(PrometheusText.MAX_SAMPLES);
    assertThat(r.errors()).containsExactly(
        "line 100002: more than 100000 samples; the rest of the page was not read");
  }

  @Test
  void absurdNumbersAndTimestamps() {
    PrometheusText.Parsed r = PrometheusText.parse("""
        a 1e9999
        b 1 99999999999999999999
        c 0x1p3
        d 1 1700000000000
        """, NOW, "svc");
    assertThat(r.errors()).extracting(e -> e.substring(0, 7)).containsExactly("line 2:", "line 3:");
    assertThat(r.points()).extracting(m -> m.name()).containsExactly("a", "d");
    assertThat(r.points().get(0).value()).isInfinite();
  }
}
