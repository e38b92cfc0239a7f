package dev.sightline.gateway;

import java.util.Arrays;

/**
 * Cuts a newline-delimited JSON stream (Ollama's {@code application/x-ndjson}) into lines as chunks
 * arrive, however the chunks split them. Lines are handed over without their line ending.
 */
final class LineSplitter {
  interface Sink {
    void onLine(byte[] line);
  }

  /** Past this many bytes without a newline the stream is not read any further (it is still forwarded). */
  static final int MAX_LINE_BYTES = 8 << 20;

  private byte[] buf = new byte[512];
  private int len;
  private boolean overflowed;

  /** Feeds bytes; complete lines go to {@code sink}. Returns false once a line grew past the limit. */
  boolean feed(byte[] b, int off, int n, Sink sink) {
    if (overflowed) {
      return false;
    }
    int start = off;
    for (int i = off; i < off + n; i++) {
      if (b[i] == '\n') {
        byte[] line;
        if (len == 0) {
          line = Arrays.copyOfRange(b, start, i);
        } else {
          append(b, start, i - start);
          line = Arrays.copyOf(buf, len);
          len = 0;
        }
        int end = line.length;
        if (end > 0 && line[end - 1] == '\r') {
          line = Arrays.copyOf(line, end - 1);
        }
        sink.onLine(line);
        start = i + 1;
      }
    }
    append(b, start, off + n - start);
    if (len > MAX_LINE_BYTES) {
      overflowed = true;
      buf = new byte[0];
      len = 0;
      return false;
    }
    return true;
  }

  /** The last line when the stream ended without a newline after it, or null. */
  byte[] rest() {
    return len == 0 ? null : Arrays.copyOf(buf, len);
  }

  private void append(byte[] b, int off, int n) {
    if (n <= 0) {
      return;
    }
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }
}
