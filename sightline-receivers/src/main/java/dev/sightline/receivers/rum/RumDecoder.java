package dev.sightline.receivers.rum;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.Span;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one RUM request body (docs/rum.md, the agent's wire format) into canonical spans: one per
 * event, its category left to the normalizer (which reads {@code rum.type}). A bad event is
 * rejected alone with its reason; the others are kept.
 */
final class RumDecoder {
  static final int MAX_STRING_CHARS = 2048;
  static final int MAX_STACK_CHARS = 8192;
  /** Clock differences up to this are left alone: they are within what the network adds. */
  static final double MAX_UNCORRECTED_SKEW_MS = 1000;
  static final String SCOPE = "sightline-rum";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MOBILE = Pattern.compile("Mobile");

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  /** One event that was not used, and why. */
  record Rejection(int index, String reason) {}

  /**
   * The spans made from one request.
   *
   * @param clockOffsetMs what was added to the agent's times (server receive time − sentAt), 0 when not corrected
   */
  record Result(List<Span> spans, List<Rejection> rejected, double clockOffsetMs) {}

  /** The request body as a JSON object. */
  static JsonNode parse(byte[] body) throws RumRequestException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RumRequestException(400, "malformed", "the body is not valid JSON (" + e.getOriginalMessage()
          + "); send one JSON object {\"session\":…,\"page\":{…},\"events\":[…]} (docs/rum.md)");
    } catch (IOException e) {
      throw new RumRequestException(400, "malformed", "the body could not be read (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new RumRequestException(400, "malformed", "the body must be one JSON object"
          + " {\"session\":…,\"page\":{…},\"events\":[…]} (docs/rum.md)");
    }
    return root;
  }

  /** The body's {@code key}, or null. */
  static String bodyKey(JsonNode root) {
    JsonNode k = root.get("key");
    return k != null && k.isTextual() ? k.asText() : null;
  }

  /** The body's {@code session}, or null (sessions are what sampling keeps or drops whole). */
  static String session(JsonNode root) {
    JsonNode s = root.get("session");
    return s != null && s.isTextual() && !s.asText().isEmpty() ? s.asText() : null;
  }

  /** The events array, checked for shape and count before any is decoded. */
  static JsonNode events(JsonNode root) throws RumRequestException {
    JsonNode events = root.get("events");
    if (events == null || !events.isArray()) {
      throw new RumRequestException(400, "malformed", "the body has no \"events\" array (docs/rum.md)");
    }
    if (events.size() > RumConfig.MAX_EVENTS) {
      throw new RumRequestException(413, "too_large", events.size() + " events in one request; at most "
          + RumConfig.MAX_EVENTS + " are accepted: send them in several requests (the agent flushes every 200)");
    }
    return events;
  }

  /**
   * Decodes every event of a parsed body.
   *
   * @param receivedAtMs the server's clock when the request arrived, Unix epoch ms
   */
  static Result decode(JsonNode root, RumApp app, String userAgent, double receivedAtMs) throws RumRequestException {
    JsonNode events = events(root);
    double offset = 0;
    JsonNode sentAt = root.get("sentAt");
    if (sentAt != null && sentAt.isNumber() && Double.isFinite(sentAt.asDouble()) && sentAt.asDouble() > 0) {
      double skew = receivedAtMs - sentAt.asDouble();
      if (Math.abs(skew) > MAX_UNCORRECTED_SKEW_MS) {
        offset = skew;
      }
    }
    Request r = new Request(root, app, userAgent, offset);
    List<Span> spans = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        spans.add(r.span(events.get(i)));
      } catch (BadEvent e) {
        rejected.add(new Rejection(i, e.getMessage()));
      }
    }
    return new Result(spans, rejected, offset);
  }

  /** What every span of one request shares: its page, session, user and resource. */
  private static final class Request {
    final RumApp app;
    final double offsetMs;
    final String route;
    final String pageUrl;
    final Map<String, Object> common = new LinkedHashMap<>();
    final Map<String, Object> resource = new LinkedHashMap<>();

    Request(JsonNode root, RumApp app, String userAgent, double offsetMs) {
      this.app = app;
      this.offsetMs = offsetMs;
      JsonNode page = root.path("page");
      this.pageUrl = text(page, "url");
      String r = text(page, "route");
      this.route = r != null && !r.isBlank() ? cut(r, MAX_STRING_CHARS) : pathOf(pageUrl, null);
      resource.put("service.name", app.name());
      String release = text(root, "release");
      if (release != null && !release.isBlank()) {
        resource.put("service.version", cut(release, MAX_STRING_CHARS));
      }
      resource.put("telemetry.sdk.name", SCOPE);
      if (userAgent != null && !userAgent.isEmpty()) {
        resource.put("user_agent.original", cut(userAgent, MAX_STRING_CHARS));
        if (MOBILE.matcher(userAgent).find()) {
          resource.put("browser.mobile", true);
        }
      }
      common.put("rum.app", app.name());
      putText(common, "session.id", text(root, "session"));
      putText(common, "user.id", text(root, "user"));
      putText(common, "rum.page_view_id", text(page, "view"));
      common.put("rum.route", route);
      putText(common, "url.full", pageUrl);
      putText(common, "rum.page.title", text(page, "title"));
      putText(common, "rum.page.referrer", text(page, "referrer"));
      if (offsetMs != 0) {
        common.put("rum.clock_offset_ms", round3(offsetMs));
      }
    }

    Span span(JsonNode ev) throws BadEvent {
      if (ev == null || !ev.isObject()) {
        throw new BadEvent("the event is not a JSON object");
      }
      JsonNode type = ev.get("type");
      if (type == null || !type.isTextual()) {
        throw new BadEvent("the event has no \"type\" (page_load, vitals, fetch or error)");
      }
      return switch (type.asText()) {
        case "page_load" -> pageLoad(ev);
        case "vitals" -> vitals(ev);
        case "fetch" -> fetch(ev);
        case "error" -> error(ev);
        default -> throw new BadEvent("unknown type '" + cut(type.asText(), 64)
            + "'; the types are page_load, vitals, fetch and error");
      };
    }

    private Map<String, Object> attrs(String type) {
      Map<String, Object> a = new LinkedHashMap<>(common);
      a.put("rum.type", type);
      return a;
    }

    private Span pageLoad(JsonNode ev) throws BadEvent {
      String traceId = hex(ev, "traceId", 32, true);
      String spanId = hex(ev, "spanId", 16, true);
      double start = time(ev, "start");
      double end = endOf(ev, start);
      Map<String, Object> a = attrs("page_load");
      JsonNode nav = ev.get("nav");
      if (nav != null && nav.isObject()) {
        for (String f : List.of("redirectMs", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "responseMs", "domInteractiveMs",
            "domContentLoadedMs", "loadMs")) {
          Double v = number(nav, f, "nav.");
          if (v != null) {
            a.put("rum.nav." + snake(f.substring(0, f.length() - 2)) + "_ms", round3(v));
          }
        }
        putText(a, "rum.nav.type", text(nav, "type"));
        Double bytes = number(nav, "transferBytes", "nav.");
        if (bytes != null) {
          a.put("rum.nav.transfer_bytes", (long) Math.max(0, bytes));
        }
      } else if (nav != null && !nav.isNull()) {
        throw new BadEvent("nav must be an object of timings");
      }
      return span(traceId, spanId, null, "page load " + route, SpanKind.INTERNAL, start, end, SpanStatus.UNSET, null, a);
    }

    private Span vitals(JsonNode ev) throws BadEvent {
      String traceId = hex(ev, "traceId", 32, true);
      String spanId = hex(ev, "spanId", 16, true);
      String parent = hex(ev, "parentSpanId", 16, false);
      double time = time(ev, "time");
      Map<String, Object> a = attrs("vitals");
      putNumber(a, "rum.lcp_ms", number(ev, "lcpMs", ""));
      putNumber(a, "rum.inp_ms", number(ev, "inpMs", ""));
      putNumber(a, "rum.cls", number(ev, "cls", ""));
      putNumber(a, "rum.fcp_ms", number(ev, "fcpMs", ""));
      return span(traceId, spanId, parent, "web vitals " + route, SpanKind.INTERNAL, time, time, SpanStatus.UNSET, null, a);
    }

    private Span fetch(JsonNode ev) throws BadEvent {
      String traceId = hex(ev, "traceId", 32, true);
      String spanId = hex(ev, "spanId", 16, true);
      double start = time(ev, "start");
      double end = endOf(ev, start);
      String method = text(ev, "method");
      method = method == null || method.isBlank() ? "GET" : cut(method.trim().toUpperCase(Locale.ROOT), 32);
      String url = text(ev, "url");
      if (url == null || url.isBlank()) {
        throw new BadEvent("fetch has no \"url\"");
      }
      URI resolved = resolve(url);
      Map<String, Object> a = attrs("fetch");
      // the request's URL takes url.full; the page's moves aside
      putText(a, "rum.page.url", pageUrl);
      a.put("url.full", cut(resolved != null ? resolved.toString() : url, MAX_STRING_CHARS));
      a.put("http.request.method", method);
      if (resolved != null && resolved.getHost() != null) {
        a.put("server.address", resolved.getHost());
      }
      Double status = number(ev, "status", "");
      if (status != null) {
        a.put("http.response.status_code", status.longValue());
      }
      putText(a, "rum.api", text(ev, "api"));
      JsonNode propagated = ev.get("propagated");
      if (propagated != null && propagated.isBoolean()) {
        a.put("rum.propagated", propagated.asBoolean());
      }
      String error = text(ev, "error");
      putText(a, "rum.fetch.error", error);
      JsonNode stream = ev.get("stream");
      if (stream != null && stream.isObject()) {
        Double firstByte = number(stream, "firstByte", "stream.");
        Double firstToken = number(stream, "firstToken", "stream.");
        Double lastToken = number(stream, "lastToken", "stream.");
        Double tokens = number(stream, "tokens", "stream.");
        Double chunks = number(stream, "chunks", "stream.");
        if (firstByte != null) {
          a.put("rum.first_byte_ms", round3(firstByte - start));
        }
        if (firstToken != null) {
          a.put("rum.first_token_ms", round3(firstToken - start));
          putText(a, "rum.ttft_source", text(stream, "source"));
        }
        if (tokens != null) {
          a.put("rum.stream.tokens", tokens.longValue());
        }
        if (chunks != null) {
          a.put("rum.stream.chunks", chunks.longValue());
        }
        if (tokens != null && tokens > 1 && firstToken != null && lastToken != null && lastToken > firstToken) {
          a.put("rum.tokens_per_s", round3((tokens - 1) / (lastToken - firstToken) * 1000));
        }
        if (lastToken != null) {
          a.put("rum.stream_ms", round3(lastToken - start));
        }
      } else if (stream != null && !stream.isNull()) {
        throw new BadEvent("stream must be an object {firstByte, firstToken, lastToken, tokens, chunks, source}");
      }
      boolean failed = status != null && (status == 0 || status >= 500) || error != null && !error.isBlank();
      String message = error != null && !error.isBlank() ? cut(error, MAX_STRING_CHARS)
          : failed ? (status == 0 ? "network error" : "HTTP " + status.longValue()) : null;
      String name = method + " " + pathOf(resolved != null ? resolved.toString() : url, url);
      return span(traceId, spanId, null, name, SpanKind.CLIENT, start, end,
          failed ? SpanStatus.ERROR : SpanStatus.UNSET, message, a);
    }

    private Span error(JsonNode ev) throws BadEvent {
      String traceId = hex(ev, "traceId", 32, true);
      String spanId = hex(ev, "spanId", 16, true);
      String parent = hex(ev, "parentSpanId", 16, false);
      double time = time(ev, "time");
      String message = text(ev, "message");
      message = message == null ? "" : message;
      Map<String, Object> a = attrs("error");
      putText(a, "exception.type", text(ev, "errorType"));
      putText(a, "exception.message", message.isEmpty() ? null : message);
      String stack = text(ev, "stack");
      if (stack != null && !stack.isEmpty()) {
        a.put("exception.stacktrace", cut(stack, MAX_STACK_CHARS));
      }
      putText(a, "rum.error.kind", text(ev, "kind"));
      putText(a, "code.filepath", text(ev, "source"));
      Double line = number(ev, "line", "");
      if (line != null) {
        a.put("code.lineno", line.longValue());
      }
      Double col = number(ev, "col", "");
      if (col != null) {
        a.put("code.column", col.longValue());
      }
      String shortMessage = message.length() > 80 ? message.substring(0, 80) : message;
      return span(traceId, spanId, parent, "error: " + shortMessage.replaceAll("\\s+", " ").trim(), SpanKind.INTERNAL,
          time, time, SpanStatus.ERROR, cut(message, MAX_STRING_CHARS), a);
    }

    private Span span(String traceId, String spanId, String parent, String name, SpanKind kind, double startMs,
        double endMs, SpanStatus status, String statusMessage, Map<String, Object> attributes) {
      return Span.received(traceId, spanId, parent, cut(name, MAX_STRING_CHARS), kind, nanos(startMs + offsetMs),
          nanos(endMs + offsetMs), status, statusMessage, app.name(), SCOPE, attributes, resource, List.of());
    }

    private URI resolve(String url) {
      try {
        URI u = new URI(url.trim());
        if (u.isAbsolute() || pageUrl == null) {
          return u;
        }
        return new URI(pageUrl).resolve(u);
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    }

    private double endOf(JsonNode ev, double start) throws BadEvent {
      double end = time(ev, "end");
      if (end < start) {
        throw new BadEvent("end (" + end + ") is before start (" + start + ")");
      }
      return end;
    }
  }

  /** The path of a URL (host and query dropped), or the raw text before any '?' when it does not parse. */
  static String pathOf(String url, String fallback) {
    if (url == null) {
      return "/";
    }
    try {
      String p = new URI(url.trim()).getRawPath();
      if (p != null && !p.isEmpty()) {
        return cut(p, MAX_STRING_CHARS);
      }
      if (p != null) {
        return "/";
      }
    } catch (java.net.URISyntaxException e) {
      // fall through to the raw text
    }
    String raw = fallback != null ? fallback : url;
    int q = raw.indexOf('?');
    return cut(q >= 0 ? raw.substring(0, q) : raw, MAX_STRING_CHARS);
  }

  private static String hex(JsonNode ev, String field, int length, boolean required) throws BadEvent {
    JsonNode n = ev.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new BadEvent(field + " is missing (" + length + " hex digits)");
      }
      return null;
    }
    String s = n.isTextual() ? n.asText().toLowerCase(Locale.ROOT) : "";
    if (s.length() != length || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')
        || s.chars().allMatch(c -> c == '0')) {
      throw new BadEvent(field + " must be " + length + " hex digits, not all zero (got " + cut(n.toString(), 64) + ")");
    }
    return s;
  }

  private static double time(JsonNode ev, String field) throws BadEvent {
    JsonNode n = ev.get(field);
    if (n == null || n.isNull()) {
      throw new BadEvent(field + " is missing (Unix epoch milliseconds)");
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() <= 0 || n.asDouble() > 1e14) {
      throw new BadEvent(field + " must be Unix epoch milliseconds (got " + cut(n.toString(), 64) + ")");
    }
    return n.asDouble();
  }

  private static Double number(JsonNode obj, String field, String prefix) throws BadEvent {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
      throw new BadEvent(prefix + field + " must be a number (got " + cut(n.toString(), 64) + ")");
    }
    return n.asDouble();
  }

  private static String text(JsonNode obj, String field) {
    JsonNode n = obj == null ? null : obj.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static void putText(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, cut(value, MAX_STRING_CHARS));
    }
  }

  private static void putNumber(Map<String, Object> m, String key, Double v) {
    if (v != null) {
      m.put(key, round3(v));
    }
  }

  /** The text cut to {@code max} characters, ending with a marker saying how much went. */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "…[truncated " + (s.length() - end) + " chars]";
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static long nanos(double epochMs) {
    long whole = (long) Math.floor(epochMs);
    return whole * 1_000_000L + Math.round((epochMs - whole) * 1_000_000);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  /** One event that cannot be used. */
  static final class BadEvent extends Exception {
    BadEvent(String message) {
      super(message, null, false, false);
    }
  }
}
