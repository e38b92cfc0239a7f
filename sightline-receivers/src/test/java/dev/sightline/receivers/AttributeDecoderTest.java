package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values are cut on a character boundary at the byte limit, with a marker saying how much went. */
class AttributeDecoderTest {
  private final ReceiverLimits limits = new ReceiverLimits(1 << 20, 8, 100);
  private final AttributeDecoder decoder = new AttributeDecoder(limits);

  @Test
  void shortValuesAreUntouched() {
    DecodeReport report = new DecodeReport(limits);
    assertThat(decoder.limit("x".repeat(100), report)).hasSize(100);
    assertThat(report.message("span(s)")).isNull();
  }

  @Test
  void cutNeverSplitsASurrogatePairOrAMultiByteCharacter() {
    DecodeReport report = new DecodeReport(limits);
    String emoji = "a" + "😀".repeat(40); // 1 + 160 bytes
    String cut = decoder.limit(emoji, report);
    String kept = cut.substring(0, cut.indexOf('…'));
    assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(97);
    assertThat(kept).isEqualTo("a" + "😀".repeat(24));
    assertThat(cut).endsWith("…[truncated 64 bytes]");
    assertThat(report.message("span(s)")).contains("1 value(s) longer than 100 bytes were truncated");
  }
}
