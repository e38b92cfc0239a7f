package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sightline.model.TelemetryBatch;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes that are not a whole batch are refused with a BatchFormatException that says why, never another exception. */
class MalformedBatchTest {

  @Test
  void truncationAtEveryByteIsRefused() {
    byte[] whole = BatchCodec.encode(TestBatches.everything());
    for (int n = 0; n < whole.length; n++) {
      Throwable t = catchThrowable(decoding(Arrays.copyOf(whole, n)));
      assertThat(t).as("cut at %d of %d", n, whole.length).isInstanceOf(BatchFormatException.class);
      assertThat(t.getMessage()).isNotBlank();
    }
  }

  @Test
  void everySingleByteCorruptionGivesABatchOrAReason() {
    byte[] whole = BatchCodec.encode(TestBatches.everything());
    for (int i = 4; i < whole.length; i += 7) {
      for (int x : new int[] {0x01, 0x80, 0xFF}) {
        byte[] b = whole.clone();
        b[i] ^= (byte) x;
        Throwable t = catchThrowable(decoding(b));
        assertThat(t).as("byte %d ^ %02x", i, x).satisfiesAnyOf(
            e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(BatchFormatException.class));
      }
    }
  }

  @Test
  void aTruncatedBatchSaysWhereItEnds() {
    byte[] whole = BatchCodec.encode(TestBatches.everything());
    assertThatThrownBy(decoding(Arrays.copyOf(whole, whole.length - 3)))
        .isInstanceOf(BatchFormatException.class)
        .hasMessageStartingWith("truncated at byte " + (whole.length - 3) + ":")
        .hasMessageContaining("(in score 2)");
    assertThatThrownBy(decoding(new byte[] {'S', 'L'})).hasMessageContaining("truncated at byte 2");
  }

  @Test
  void otherBytesThanABatchAreNamed() {
    assertThatThrownBy(decoding("{\"resourceSpans\":[]}".getBytes()))
        .isInstanceOf(BatchFormatException.class)
        .hasMessage("not a Sightline bus batch: it starts with 0x7b2272, not the magic \"SLB\"");
    assertThatThrownBy(decoding(null)).isInstanceOf(BatchFormatException.class);
  }

  @Test
  void aNewerFormatVersionIsRefusedWithTheVersionsThisBuildReads() {
    byte[] b = BatchCodec.encode(TelemetryBatch.ofSpans("r", List.of()));
    b[3] = 2;
    assertThatThrownBy(decoding(b)).isInstanceOf(BatchFormatException.class)
        .hasMessageStartingWith("batch format version 2 is not one this build reads (it reads 1)");
    b[3] = 0;
    assertThatThrownBy(decoding(b)).hasMessageContaining("version 0 is not one");
  }

  @Test
  void bytesAfterTheBatchAreRefused() {
    byte[] b = BatchCodec.encode(TelemetryBatch.ofSpans("r", List.of()));
    byte[] longer = Arrays.copyOf(b, b.length + 2);
    assertThatThrownBy(decoding(longer)).hasMessageContaining("2 bytes after the end of the batch");
  }

  @Test
  void aCountLargerThanTheBytesLeftIsRefusedBeforeAllocating() {
    // receiver null, project null, then a span count of 2^62
    byte[] b = batch(0, 0, varint(1L << 62));
    assertThatThrownBy(decoding(b)).isInstanceOf(BatchFormatException.class)
        .hasMessageContaining("a span count of 4611686018427387904 is larger than the 0 bytes left could hold");
    assertThatThrownBy(decoding(batch(0, 0, varint(-1L))))
        .hasMessageContaining("span count of 18446744073709551615");
    // a string that claims more bytes than there are
    assertThatThrownBy(decoding(batch(varint(2L * 1_000_000_001))))
        .hasMessageContaining("truncated").hasMessageContaining("a string of 1000000000 bytes");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWithoutExhaustingTheStack() {
    // one log whose body is 100,000 nested lists of one element
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, 0, 0, 0, 1);
    write(out, new byte[8]);
    write(out, 0, 0, 0, 0, 0, 0);
    for (int i = 0; i < 100_000; i++) {
      write(out, Tags.LIST, 1);
    }
    assertThatThrownBy(decoding(withHeader(out.toByteArray()))).isInstanceOf(BatchFormatException.class)
        .hasMessageContaining("nested deeper than 128").hasMessageContaining("(in log record 0)");
  }

  @Test
  void referencesToStringsOrMapsNotYetReadAreRefused() {
    assertThatThrownBy(decoding(batch(varint(5 << 1 | 1))))
        .hasMessageContaining("string reference 5 points past the 0 strings read so far");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, 0, 0, 0, 1);
    write(out, new byte[8]);
    write(out, 0, 0, 0, 0, 0, 0, Tags.NULL, 0, 0);
    write(out, 3 << 1 | 1, 0, 0, 0);
    assertThatThrownBy(decoding(withHeader(out.toByteArray())))
        .hasMessageContaining("map reference 3 points past the 0 maps read so far");
  }

  @Test
  void unknownCodesAndTagsAreNamed() {
    byte[] whole = BatchCodec.encode(TelemetryBatch.ofSpans("r", List.of(dev.sightline.model.Span.received("t", "s",
        null, "n", dev.sightline.model.SpanKind.CLIENT, 0, 0, null, null, null, null, null, null, null))));
    // the span kind byte follows four one-byte strings: receiver "r" (2 bytes), project (8), count, 4 ids/names
    int kindAt = 4 + 2 + 8 + 1 + 2 + 2 + 1 + 2;
    assertThat(whole[kindAt]).isEqualTo((byte) 4);
    whole[kindAt] = 99;
    assertThatThrownBy(decoding(whole)).hasMessageContaining("unknown span kind code 99").hasMessageContaining("span 0");
  }

  @Test
  void recordsTheModelRefusesBecomeFormatErrors() {
    // a score with a blank name (the record's constructor refuses it)
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, 0, 0, 0, 0, 0, 1, 0, 0, 2 << 1, ' ', 0, 0, 0, 0, 0, 0, 0);
    write(out, new byte[8]);
    assertThatThrownBy(decoding(withHeader(out.toByteArray()))).isInstanceOf(BatchFormatException.class)
        .hasMessageContaining("a score without a name");
  }

  @Test
  void aRepeatedAttributeKeyIsRefused() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, 0, 0, 0, 1);
    write(out, new byte[8]);
    write(out, 0, 0, 0, 0, 0, 0, Tags.NULL, 0, 0);
    write(out, 2 << 1, 2 << 1, 'k', Tags.TRUE, 1, Tags.FALSE, 0);
    assertThatThrownBy(decoding(withHeader(out.toByteArray()))).hasMessageContaining("repeats a key");
  }

  private static org.assertj.core.api.ThrowableAssert.ThrowingCallable decoding(byte[] b) {
    return () -> BatchCodec.decode(b);
  }

  private static byte[] withHeader(byte[] body) {
    byte[] b = new byte[body.length + 4];
    b[0] = 'S';
    b[1] = 'L';
    b[2] = 'B';
    b[3] = 1;
    System.arraycopy(body, 0, b, 4, body.length);
    return b;
  }

  /** A header followed by the given ints (as bytes) and byte arrays. */
  private static byte[] batch(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof byte[] b) {
        write(out, b);
      } else {
        out.write((Integer) p);
      }
    }
    return withHeader(out.toByteArray());
  }

  private static void write(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(bytes);
  }

  private static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }
}
