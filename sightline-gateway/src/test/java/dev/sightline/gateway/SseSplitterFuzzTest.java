package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the SSE splitter (docs/fuzzing.md): it never throws, gives at most one
 * event per line ending, loses and invents no byte (the events' raw bytes and the pending ones are the
 * stream), and gives the same events however the stream is cut into chunks.
 */
@Tag("fuzz-sse")
class SseSplitterFuzzTest {

  /** What an event means, without its raw bytes, which may start at a different byte when chunks split a CRLF. */
  record Meaning(String name, String data) {}

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void split(byte[] stream) {
    List<SseSplitter.Event> whole = new ArrayList<>();
    SseSplitter splitter = new SseSplitter();
    assertThat(splitter.feed(stream, 0, stream.length, whole::add)).isTrue();

    ByteArrayOutputStream replay = new ByteArrayOutputStream();
    whole.forEach(e -> replay.writeBytes(e.raw()));
    replay.writeBytes(splitter.pending());
    assertThat(replay.toByteArray()).isEqualTo(stream);
    assertThat(whole.size()).isLessThanOrEqualTo(lineEndings(stream));

    List<Meaning> expected = meanings(whole);
    int chunk = stream.length == 0 ? 1 : 1 + (stream[0] & 0x0f);
    assertThat(meanings(chunked(stream, 1, true))).isEqualTo(expected);
    assertThat(meanings(chunked(stream, chunk, false))).isEqualTo(expected);
  }

  private static List<SseSplitter.Event> chunked(byte[] stream, int size, boolean keepRaw) {
    List<SseSplitter.Event> events = new ArrayList<>();
    SseSplitter splitter = new SseSplitter(keepRaw);
    for (int at = 0; at < stream.length; at += size) {
      // a chunk is a slice of a larger buffer, as the relay hands them over
      splitter.feed(stream, at, Math.min(size, stream.length - at), events::add);
    }
    return events;
  }

  private static List<Meaning> meanings(List<SseSplitter.Event> events) {
    return events.stream().map(e -> new Meaning(e.name(),
        e.data() == null ? null : new String(e.data(), StandardCharsets.ISO_8859_1))).toList();
  }

  private static int lineEndings(byte[] stream) {
    int n = 0;
    for (byte b : stream) {
      if (b == '\n' || b == '\r') {
        n++;
      }
    }
    return n;
  }

  static Stream<byte[]> seeds() {
    return Stream.of(
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n",
        "event: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n: keep-alive\r\n\r\n",
        "event: content_block_delta\rdata: a\rdata: b\r\rid: 7\nretry: 10\ndata\n\n",
        "data:no-space\n\ndata:  two spaces\n\nevent:\n\n")
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
  }
}
