package dev.sightline.gateway;

/**
 * The {@code "usage":null} member that OpenAI-compatible upstreams put in every chunk once usage is
 * asked for; the gateway asks on the client's behalf and takes the member out again.
 */
final class NullUsage {
  private static final byte[] USAGE = JsonBytes.key("usage");

  private NullUsage() {}

  /**
   * Leaves out the top-level {@code "usage":null} member that an upstream adds to every chunk once
   * usage is asked for, so a client that did not ask sees its chunks as the upstream would have sent them.
   */
  static byte[] strip(byte[] raw) {
    int i = 0;
    while (true) {
      int k = JsonBytes.indexOf(raw, i, raw.length, USAGE);
      if (k < 0) {
        return raw;
      }
      int p = JsonBytes.skipWs(raw, k + USAGE.length, raw.length);
      if (p < raw.length && raw[p] == ':') {
        int v = JsonBytes.skipWs(raw, p + 1, raw.length);
        if (v + 4 <= raw.length && raw[v] == 'n' && raw[v + 1] == 'u' && raw[v + 2] == 'l' && raw[v + 3] == 'l') {
          return cut(raw, k, v + 4);
        }
      }
      i = k + 1;
    }
  }

  /** Removes the member spanning [key, valueEnd) together with the comma that separates it. */
  private static byte[] cut(byte[] raw, int key, int valueEnd) {
    int from;
    int to = valueEnd;
    int before = key - 1;
    while (before >= 0 && (raw[before] == ' ' || raw[before] == '\t' || raw[before] == '\n' || raw[before] == '\r')) {
      before--;
    }
    if (before >= 0 && raw[before] == ',') {
      from = before;
    } else {
      int after = JsonBytes.skipWs(raw, to, raw.length);
      if (after < raw.length && raw[after] == ',') {
        from = key;
        to = after + 1;
      } else {
        return raw;
      }
    }
    byte[] out = new byte[raw.length - (to - from)];
    System.arraycopy(raw, 0, out, 0, from);
    System.arraycopy(raw, to, out, from, raw.length - to);
    return out;
  }
}
