package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import java.util.Arrays;

/** The contract both OTLP fuzz targets check on every input. */
final class OtlpFuzzing {
  /** Small limits, so that the fuzzer reaches the attribute and value cuts with short inputs. */
  static final ReceiverLimits LIMITS = new ReceiverLimits(64 * 1024, 8, 64);

  interface Decode {
    Decoded apply(Signal signal, byte[] body) throws MalformedRequestException;
  }

  private OtlpFuzzing() {}

  /** The first byte picks the signal, the rest is the body. */
  static void check(byte[] input, Decode decode) {
    if (input.length == 0) {
      return;
    }
    Signal signal = Signal.values()[Math.floorMod(input[0], 3)];
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    Decoded decoded;
    try {
      decoded = decode.apply(signal, body);
    } catch (MalformedRequestException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    TelemetryBatch batch = decoded.batch();
    assertThat(decoded.rejected()).isNotNegative();
    // every record, kept or rejected, takes at least two bytes of the body (an empty message and its tag, or "{}")
    assertThat((long) batch.size() + decoded.rejected()).isLessThanOrEqualTo(body.length / 2 + 1);
    batch.spans().forEach(s -> assertThat(s.attributes().size()).isLessThanOrEqualTo(LIMITS.maxAttributesPerRecord() + 1));
    batch.logs().forEach(l -> assertThat(l.attributes().size()).isLessThanOrEqualTo(LIMITS.maxAttributesPerRecord() + 1));
    batch.metrics().forEach(m -> assertThat(m.attributes().size()).isLessThanOrEqualTo(LIMITS.maxAttributesPerRecord() + 1));
  }
}
