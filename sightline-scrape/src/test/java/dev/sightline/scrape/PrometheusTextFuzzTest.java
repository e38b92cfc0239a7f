package dev.sightline.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the Prometheus / OpenMetrics text parser (docs/fuzzing.md). The parser
 * promises never to throw, and it turns its own defects into a "could not be read" error so that the
 * scrape loop survives them: the target treats that error as a finding, since it hides a bug.
 */
@Tag("fuzz-prometheus-text")
class PrometheusTextFuzzTest {

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void parse(byte[] input) {
    String page = new String(input, StandardCharsets.UTF_8);
    for (boolean openMetrics : new boolean[] {false, true}) {
      PrometheusText.Parsed parsed = PrometheusText.parse(page, 1_700_000_000_000_000_000L, "fuzz", openMetrics);
      assertThat(parsed.errors()).noneMatch(e -> e.startsWith("line 0: the page could not be read"));
      assertThat(parsed.errors()).hasSizeLessThanOrEqualTo(PrometheusText.MAX_ERRORS + 1);
      // a sample line gives at most two points (a summary quantile: the summary and its quantile gauge)
      assertThat(parsed.points()).hasSizeLessThanOrEqualTo(2 * lines(page));
    }
    PrometheusText.parse(page, 0L, "fuzz");
  }

  private static int lines(String page) {
    int n = 1;
    for (int i = 0; i < page.length(); i++) {
      if (page.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  static Stream<byte[]> seeds() {
    return Stream.of(PrometheusSeeds.PAGES).map(p -> p.getBytes(StandardCharsets.UTF_8));
  }
}
