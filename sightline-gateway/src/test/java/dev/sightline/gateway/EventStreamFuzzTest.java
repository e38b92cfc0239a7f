package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.eventstream.HeaderValue;

/**
 * Coverage-guided fuzzing of the AWS event-stream decoder (docs/fuzzing.md): it never throws, gives at
 * most one message per 16 bytes (the smallest message), stops for good at the first bad message, and
 * gives the same messages and the same verdict however the stream is cut into chunks.
 */
@Tag("fuzz-event-stream")
class EventStreamFuzzTest {

  record Outcome(List<Map<String, String>> headers, List<String> payloads, boolean failed) {}

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void decode(byte[] stream) {
    Outcome whole = decodeInChunks(stream, Math.max(1, stream.length));
    assertThat(whole.payloads().size()).isLessThanOrEqualTo(stream.length / 16);
    assertThat(decodeInChunks(stream, 1)).isEqualTo(whole);
    assertThat(decodeInChunks(stream, stream.length == 0 ? 1 : 1 + (stream[0] & 0x3f))).isEqualTo(whole);
  }

  private static Outcome decodeInChunks(byte[] stream, int size) {
    List<EventStreamDecoder.Message> messages = new ArrayList<>();
    EventStreamDecoder decoder = new EventStreamDecoder();
    boolean readable = true;
    for (int at = 0; at < stream.length; at += size) {
      boolean more = decoder.feed(stream, at, Math.min(size, stream.length - at), messages::add);
      if (!readable) {
        assertThat(more).as("a stream that stopped being readable stays stopped").isFalse();
      }
      readable = more;
    }
    assertThat(readable).isEqualTo(decoder.error() == null);
    return new Outcome(messages.stream().map(EventStreamDecoder.Message::headers).toList(),
        messages.stream().map(m -> Arrays.toString(m.payload())).toList(), decoder.error() != null);
  }

  /** Streams written by the AWS SDK's own encoder: every header type, a metadata event, an empty message. */
  static Stream<byte[]> seeds() {
    Map<String, HeaderValue> chunk = new LinkedHashMap<>();
    chunk.put(":event-type", HeaderValue.fromString("chunk"));
    chunk.put(":message-type", HeaderValue.fromString("event"));
    chunk.put(":content-type", HeaderValue.fromString("application/json"));
    Map<String, HeaderValue> typed = new LinkedHashMap<>();
    typed.put("t", HeaderValue.fromBoolean(true));
    typed.put("f", HeaderValue.fromBoolean(false));
    typed.put("b", HeaderValue.fromByte((byte) 1));
    typed.put("s", HeaderValue.fromShort((short) 2));
    typed.put("l", HeaderValue.fromLong(3));
    typed.put("u", HeaderValue.fromUuid(new UUID(1, 2)));
    ByteArrayOutputStream bedrock = new ByteArrayOutputStream();
    bedrock.writeBytes(EventStreamDecoderTest.encode(chunk, "{\"bytes\":\"eyJ0eXBlIjoibWVzc2FnZV9zdGFydCJ9\"}"));
    bedrock.writeBytes(EventStreamDecoderTest.encode(Map.of(":event-type", HeaderValue.fromString("metadata")),
        "{\"usage\":{\"inputTokens\":12,\"outputTokens\":3}}"));
    return Stream.of(EventStreamDecoderTest.sample(), bedrock.toByteArray(),
        EventStreamDecoderTest.encode(typed, "{}"), EventStreamDecoderTest.encode(Map.of(), ""));
  }
}
