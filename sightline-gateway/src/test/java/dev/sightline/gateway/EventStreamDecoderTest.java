package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** The AWS event stream framing, checked against messages the AWS SDK's own encoder writes. */
class EventStreamDecoderTest {
  static byte[] encode(Map<String, HeaderValue> headers, String payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
    return out.toByteArray();
  }

  static byte[] sample() {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString("contentBlockDelta"));
    h.put(":date", HeaderValue.fromTimestamp(java.time.Instant.ofEpochSecond(1_700_000_000)));
    h.put("flag", HeaderValue.fromBoolean(true));
    h.put("n", HeaderValue.fromInteger(7));
    h.put("blob", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
    h.put(":message-type", HeaderValue.fromString("event"));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(encode(h, "{\"delta\":{\"text\":\"Hel\"}}"));
    all.writeBytes(encode(Map.of(":event-type", HeaderValue.fromString("messageStop")), "{\"stopReason\":\"end_turn\"}"));
    all.writeBytes(encode(Map.of(":event-type", HeaderValue.fromString("empty")), ""));
    return all.toByteArray();
  }

  @Test
  void messagesAreCutOutHoweverTheBytesArrive() {
    byte[] stream = sample();
    for (int step : new int[] {1, 3, 16, 57, stream.length}) {
      EventStreamDecoder d = new EventStreamDecoder();
      List<EventStreamDecoder.Message> got = new ArrayList<>();
      for (int i = 0; i < stream.length; i += step) {
        assertThat(d.feed(stream, i, Math.min(step, stream.length - i), got::add)).isTrue();
      }
      assertThat(got).as("chunks of %d bytes", step).hasSize(3);
      assertThat(got.get(0).headers()).containsExactly(Map.entry(":event-type", "contentBlockDelta"),
          Map.entry(":message-type", "event"));
      assertThat(new String(got.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"delta\":{\"text\":\"Hel\"}}");
      assertThat(got.get(1).header(":event-type")).isEqualTo("messageStop");
      assertThat(got.get(2).payload()).isEmpty();
      assertThat(d.pending()).isZero();
      assertThat(d.error()).isNull();
    }
  }

  @Test
  void aBrokenPreludeOrMessageStopsTheReading() {
    byte[] prelude = sample();
    prelude[9] ^= 0x01; // the prelude CRC of the first message
    EventStreamDecoder d = new EventStreamDecoder();
    List<EventStreamDecoder.Message> got = new ArrayList<>();
    assertThat(d.feed(prelude, 0, prelude.length, got::add)).isFalse();
    assertThat(got).isEmpty();
    assertThat(d.error()).contains("prelude").contains("CRC");
    assertThat(d.feed(prelude, 0, prelude.length, got::add)).isFalse();

    byte[] body = sample();
    body[20] ^= 0x01; // inside the first message's headers: its message CRC no longer matches
    EventStreamDecoder e = new EventStreamDecoder();
    assertThat(e.feed(body, 0, body.length, got::add)).isFalse();
    assertThat(e.error()).contains("message failed its CRC");

    byte[] lengths = sample();
    lengths[0] = 0x7f; // an absurd total length, with its prelude CRC recomputed
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(lengths, 0, 8);
    long c = crc.getValue();
    lengths[8] = (byte) (c >>> 24);
    lengths[9] = (byte) (c >>> 16);
    lengths[10] = (byte) (c >>> 8);
    lengths[11] = (byte) c;
    EventStreamDecoder f = new EventStreamDecoder();
    assertThat(f.feed(lengths, 0, lengths.length, got::add)).isFalse();
    assertThat(f.error()).contains("impossible lengths");
  }
}
