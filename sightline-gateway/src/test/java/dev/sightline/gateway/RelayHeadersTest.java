package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RelayHeadersTest {
  @Test
  void overheadMillisReadAsFormatWouldWriteThem() {
    for (long nanos : new long[] {0, 1, 499, 500, 1_499, 1_500, 9_999, 10_000, 99_500, 123_456, 1_000_000, 1_234_567,
        45_678_901_234L}) {
      assertThat(Relay.millis(nanos)).as("%d ns", nanos).isEqualTo(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
    }
  }

  @Test
  void hopByHopNamesAreFoundInAnyCaseAndOthersAreNot() {
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("Connection"))).isTrue();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("TRANSFER-ENCODING"))).isTrue();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("te"))).isTrue();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of(":status"))).isTrue();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("tex"))).isFalse();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("content-type"))).isFalse();
    assertThat(Relay.HopByHop.isHopByHop(AsciiString.of("x-keep-alive"))).isFalse();
  }
}
