package dev.sightline.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a Server-Sent Events byte stream into events as chunks arrive, however the chunks split
 * lines. Each completed event keeps its raw bytes (so it can be forwarded or left out whole) and
 * exposes its {@code event:} name and joined {@code data:} payload.
 */
final class SseSplitter {
  /**
   * One complete event: its bytes as received through the blank line that ends it ({@code raw},
   * null when the splitter does not keep them), its name, and its joined data.
   */
  record Event(byte[] raw, String name, byte[] data) {
    boolean isDone() {
      return data != null && data.length == 6 && new String(data, StandardCharsets.US_ASCII).equals("[DONE]");
    }
  }

  interface Sink {
    void onEvent(Event event);
  }

  /** Past this many bytes without an event boundary the stream is not SSE as we know it. */
  static final int MAX_EVENT_BYTES = 8 << 20;

  private byte[] buf = new byte[512];
  private int len;
  private int lineStart;
  private boolean lastCr;
  private String name;
  private byte[] data;
  private int dataLines;
  private boolean overflowed;
  private final boolean keepRaw;

  /** A splitter whose events keep their raw bytes. */
  SseSplitter() {
    this(true);
  }

  /** @param keepRaw whether events carry their raw bytes (a copy per event; needed only to re-emit them) */
  SseSplitter(boolean keepRaw) {
    this.keepRaw = keepRaw;
  }

  /** Feeds bytes; completed events go to {@code sink}. Returns false once the stream overflowed. */
  boolean feed(byte[] b, int off, int n, Sink sink) {
    if (overflowed) {
      return false;
    }
    int end = off + n;
    for (int i = off; i < end; i++) {
      // the bytes up to the next line ending are copied in one go, not byte by byte
      int run = i;
      while (run < end && b[run] != '\n' && b[run] != '\r') {
        run++;
      }
      if (run > i) {
        int take = Math.min(run - i, MAX_EVENT_BYTES + 1 - len);
        appendRun(b, i, take);
        lastCr = false;
        if (len > MAX_EVENT_BYTES) {
          overflowed = true;
          return false;
        }
        i = run;
        if (i == end) {
          break;
        }
      }
      byte c = b[i];
      if (lastCr && c == '\n') {
        lastCr = false;
        append(c);
        lineStart = len;
        continue;
      }
      lastCr = c == '\r';
      append(c);
      if (c == '\n' || c == '\r') {
        int lineEnd = len - 1;
        if (lineEnd == lineStart) {
          if (lastCr && i + 1 < off + n && b[i + 1] == '\n') {
            // keep CRLF of the blank line inside this event
            append(b[++i]);
            lastCr = false;
          }
          complete(sink);
        } else {
          line(lineStart, lineEnd);
          lineStart = len;
        }
      }
      if (len > MAX_EVENT_BYTES) {
        overflowed = true;
        return false;
      }
    }
    return true;
  }

  /** Bytes of the event in progress (not yet terminated by a blank line). */
  byte[] pending() {
    return Arrays.copyOf(buf, len);
  }

  boolean overflowed() {
    return overflowed;
  }

  private void line(int from, int to) {
    int colon = -1;
    for (int i = from; i < to; i++) {
      if (buf[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon == from) {
      return; // comment
    }
    int fieldEnd = colon < 0 ? to : colon;
    int v = colon < 0 ? to : colon + 1;
    if (v < to && buf[v] == ' ') {
      v++;
    }
    int fieldLen = fieldEnd - from;
    if (fieldLen == 4 && buf[from] == 'd' && buf[from + 1] == 'a' && buf[from + 2] == 't' && buf[from + 3] == 'a') {
      byte[] value = Arrays.copyOfRange(buf, v, to);
      if (dataLines++ == 0) {
        data = value;
      } else {
        byte[] joined = Arrays.copyOf(data, data.length + 1 + value.length);
        joined[data.length] = '\n';
        System.arraycopy(value, 0, joined, data.length + 1, value.length);
        data = joined;
      }
    } else if (fieldLen == 5 && new String(buf, from, 5, StandardCharsets.US_ASCII).equals("event")) {
      name = new String(buf, v, to - v, StandardCharsets.UTF_8);
    }
  }

  private void complete(Sink sink) {
    Event e = new Event(keepRaw ? Arrays.copyOf(buf, len) : null, name, data);
    len = 0;
    lineStart = 0;
    name = null;
    data = null;
    dataLines = 0;
    sink.onEvent(e);
  }

  private void appendRun(byte[] b, int from, int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    System.arraycopy(b, from, buf, len, n);
    len += n;
  }

  private void append(byte c) {
    if (len == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[len++] = c;
  }
}
