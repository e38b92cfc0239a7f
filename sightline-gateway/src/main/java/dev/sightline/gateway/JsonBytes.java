package dev.sightline.gateway;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level look-ups in one streamed JSON chunk, so the stream loop can tell "does this chunk carry
 * generated content / usage / a model" without building a tree. Sound for JSON text: a quoted key
 * followed by a colon cannot occur inside a string value, where its quotes would be escaped.
 */
final class JsonBytes {
  private JsonBytes() {}

  static byte[] key(String name) {
    return ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Index of the first byte of the value of the first occurrence of {@code quotedKey} at or after
   * {@code from} (whitespace skipped), or -1.
   */
  static int valueOf(byte[] b, int from, int to, byte[] quotedKey) {
    int i = from;
    while (true) {
      int k = indexOf(b, i, to, quotedKey);
      if (k < 0) {
        return -1;
      }
      int p = skipWs(b, k + quotedKey.length, to);
      if (p < to && b[p] == ':') {
        p = skipWs(b, p + 1, to);
        return p < to ? p : -1;
      }
      i = k + 1;
    }
  }

  /** True when some occurrence of the key has a non-empty string value. */
  static boolean hasNonEmptyString(byte[] b, int from, int to, byte[] quotedKey) {
    int i = from;
    while (i < to) {
      int v = valueOf(b, i, to, quotedKey);
      if (v < 0) {
        return false;
      }
      if (b[v] == '"' && v + 1 < to && b[v + 1] != '"') {
        return true;
      }
      i = v;
    }
    return false;
  }

  /**
   * The string value of the first occurrence of the key, when it has no escapes (model ids, finish
   * reasons, event types); null otherwise.
   */
  static String simpleString(byte[] b, int from, int to, byte[] quotedKey) {
    int v = valueOf(b, from, to, quotedKey);
    if (v < 0 || b[v] != '"') {
      return null;
    }
    for (int i = v + 1; i < to && i - v < 512; i++) {
      if (b[i] == '\\') {
        return null;
      }
      if (b[i] == '"') {
        return new String(b, v + 1, i - v - 1, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static int indexOf(byte[] b, int from, int to, byte[] needle) {
    byte first = needle[0];
    int last = to - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (b[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int skipWs(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }
}
