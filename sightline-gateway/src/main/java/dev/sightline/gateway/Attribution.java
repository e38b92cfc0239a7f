package dev.sightline.gateway;

import com.linecorp.armeria.common.RequestHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a proxied call belongs: the app's trace (from an incoming W3C {@code traceparent}, else a
 * new trace) and the optional {@code x-sightline-*} headers that name its session, user, route,
 * prompt and tags. Those headers are Sightline's own and never reach the upstream.
 */
record Attribution(
    String traceId,
    String spanId,
    String parentSpanId,
    String traceFlags,
    String service,
    String sessionId,
    String userId,
    String route,
    String promptName,
    String promptVersion,
    List<String> tags) {

  static final String HEADER_PREFIX = "x-sightline-";
  /** The service a call is attributed to when the app does not name itself in {@code x-sightline-service}. */
  static final String DEFAULT_SERVICE = "sightline-gateway";
  private static final int MAX_VALUE = 256;

  static Attribution of(RequestHeaders h) {
    String traceId = null;
    String parent = null;
    String flags = "01";
    String tp = h.get("traceparent");
    if (tp != null) {
      String[] p = tp.trim().split("-");
      if (p.length >= 4 && isHex(p[0], 2) && !p[0].equals("ff") && isHex(p[1], 32) && !isZero(p[1])
          && isHex(p[2], 16) && !isZero(p[2]) && isHex(p[3], 2) && (p.length == 4 || !p[0].equals("00"))) {
        traceId = p[1];
        parent = p[2];
        flags = p[3];
      }
    }
    if (traceId == null) {
      traceId = randomHex(32);
    }
    String service = value(h, "x-sightline-service");
    return new Attribution(traceId, randomHex(16), parent, flags, service == null ? DEFAULT_SERVICE : service,
        value(h, "x-sightline-session-id"), value(h, "x-sightline-user-id"), value(h, "x-sightline-route"),
        value(h, "x-sightline-prompt-name"), value(h, "x-sightline-prompt-version"), tags(h.get("x-sightline-tags")));
  }

  /** The traceparent the upstream gets: the app's trace, with the gateway's span as parent. */
  String childTraceparent() {
    return "00-" + traceId + "-" + spanId + "-" + traceFlags;
  }

  static boolean isSightlineHeader(AsciiString name) {
    return name.length() > HEADER_PREFIX.length() && name.toString().startsWith(HEADER_PREFIX);
  }

  private static String value(RequestHeaders h, String name) {
    String v = h.get(name);
    if (v == null) {
      return null;
    }
    v = v.trim();
    if (v.isEmpty()) {
      return null;
    }
    return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v;
  }

  private static List<String> tags(String header) {
    if (header == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String t : header.split(",")) {
      String s = t.trim();
      if (!s.isEmpty() && out.size() < 32) {
        out.add(s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s);
      }
    }
    return List.copyOf(out);
  }

  private static boolean isHex(String s, int len) {
    if (s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  static String randomHex(int len) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(len);
    while (sb.length() < len) {
      String part = HexFormat.of().toHexDigits(r.nextLong());
      sb.append(part, 0, Math.min(16, len - sb.length()));
    }
    String hex = sb.toString();
    return isZero(hex) ? randomHex(len) : hex.toLowerCase(Locale.ROOT);
  }
}
