package dev.sightline.receivers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the OTLP/JSON decoder (docs/fuzzing.md): any body gives records or a
 * {@link MalformedRequestException}, nothing else, and never more records than the body could encode.
 */
@Tag("fuzz-otlp-json")
class OtlpJsonFuzzTest {
  private static final OtlpDecoder DECODER = new OtlpDecoder(OtlpFuzzing.LIMITS);

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void decode(byte[] input) {
    OtlpFuzzing.check(input, (signal, body) -> DECODER.decodeJson(signal, body, "fuzz"));
  }

  static Stream<byte[]> seeds() {
    return OtlpSeeds.json().stream();
  }
}
