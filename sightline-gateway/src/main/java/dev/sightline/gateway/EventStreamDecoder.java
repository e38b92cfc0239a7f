package dev.sightline.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Cuts an AWS event stream ({@code application/vnd.amazon.eventstream}, what Bedrock's streaming
 * operations answer) into messages as chunks arrive, however the chunks split them. Each message
 * is a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), the headers, the
 * payload and a CRC32 of everything before it, all big-endian. The gateway only reads the stream
 * beside the bytes it forwards unchanged, so a message that fails its checks stops the reading,
 * never the forwarding.
 */
final class EventStreamDecoder {
  /** One decoded message: its string-valued headers ({@code :event-type}, {@code :message-type}…) and payload. */
  record Message(Map<String, String> headers, byte[] payload) {
    String header(String name) {
      return headers.get(name);
    }
  }

  interface Sink {
    void onMessage(Message m);
  }

  private static final int PRELUDE = 12;
  private static final int MIN_MESSAGE = PRELUDE + 4;
  /** The event stream format's own bound on one message. */
  static final int MAX_MESSAGE = 16 << 20;

  private byte[] buf = new byte[1024];
  private int len;
  private String error;

  /** Feeds bytes; complete messages go to {@code sink}. Returns false once the stream stopped being readable. */
  boolean feed(byte[] b, int off, int n, Sink sink) {
    if (error != null) {
      return false;
    }
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    System.arraycopy(b, off, buf, len, n);
    len += n;
    int pos = 0;
    while (len - pos >= PRELUDE) {
      int total = int32(buf, pos);
      int headersLength = int32(buf, pos + 4);
      if (crc(buf, pos, 8) != uint32(buf, pos + 8)) {
        return fail("an event stream prelude failed its CRC check");
      }
      if (total < MIN_MESSAGE || total > MAX_MESSAGE || headersLength < 0 || headersLength > total - MIN_MESSAGE) {
        return fail("an event stream prelude has impossible lengths (total " + total + ", headers " + headersLength + ")");
      }
      if (len - pos < total) {
        break;
      }
      if (crc(buf, pos, total - 4) != uint32(buf, pos + total - 4)) {
        return fail("an event stream message failed its CRC check");
      }
      Map<String, String> headers = headers(buf, pos + PRELUDE, pos + PRELUDE + headersLength);
      if (headers == null) {
        return fail("an event stream message has malformed headers");
      }
      byte[] payload = Arrays.copyOfRange(buf, pos + PRELUDE + headersLength, pos + total - 4);
      pos += total;
      sink.onMessage(new Message(headers, payload));
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
    }
    return true;
  }

  /** Why the stream stopped being read, or null while it reads fine. */
  String error() {
    return error;
  }

  /** Bytes of a message that never completed. */
  int pending() {
    return len;
  }

  private boolean fail(String why) {
    error = why;
    buf = new byte[0];
    len = 0;
    return false;
  }

  /** String-valued headers; other value types are skipped over. Null when the bytes do not parse. */
  private static Map<String, String> headers(byte[] b, int from, int to) {
    Map<String, String> out = new LinkedHashMap<>(4);
    int i = from;
    while (i < to) {
      int nameLength = b[i++] & 0xff;
      if (i + nameLength + 1 > to) {
        return null;
      }
      String name = new String(b, i, nameLength, StandardCharsets.UTF_8);
      i += nameLength;
      int type = b[i++];
      int size;
      switch (type) {
        case 0, 1 -> size = 0;             // true, false
        case 2 -> size = 1;                // byte
        case 3 -> size = 2;                // short
        case 4 -> size = 4;                // int
        case 5, 8 -> size = 8;             // long, timestamp
        case 9 -> size = 16;               // uuid
        case 6, 7 -> {                     // bytes, string: 2-byte length first
          if (i + 2 > to) {
            return null;
          }
          size = ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
          i += 2;
        }
        default -> {
          return null;
        }
      }
      if (i + size > to) {
        return null;
      }
      if (type == 7) {
        out.put(name, new String(b, i, size, StandardCharsets.UTF_8));
      }
      i += size;
    }
    return out;
  }

  private static long crc(byte[] b, int off, int n) {
    CRC32 c = new CRC32();
    c.update(b, off, n);
    return c.getValue();
  }

  private static int int32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  private static long uint32(byte[] b, int i) {
    return int32(b, i) & 0xffffffffL;
  }
}
