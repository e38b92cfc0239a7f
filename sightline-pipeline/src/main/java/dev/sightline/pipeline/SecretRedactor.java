package dev.sightline.pipeline;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Masks credentials that instrumentations sometimes record as attributes (captured request headers
 * such as {@code http.request.header.authorization}, keys named like {@code password} or
 * {@code api_key}) before anything is stored (ARCHITECTURE.md §8: secrets never land on disk). The
 * key stays, so users can see that something was there; the value becomes {@value #MASK}.
 * Prompt and response content is not touched here: PII masking is a separate, later step.
 */
public final class SecretRedactor {
  public static final String MASK = "[redacted]";

  /** Header names whose values are credentials, as OTel records them after http.*.header. */
  private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "api-key", "x-goog-api-key", "x-amz-security-token", "x-amz-content-sha256",
      "x-auth-token", "x-sightline-api-key", "x-sightline-key");

  /** Last key segments that name a credential wherever they appear. */
  private static final Set<String> SECRET_NAMES = Set.of("password", "passwd", "api_key", "apikey", "api-key",
      "secret", "client_secret", "access_token", "refresh_token", "id_token", "authorization", "cookie",
      "private_key", "secret_access_key", "session_token");

  private SecretRedactor() {}

  /** Verdicts per attribute key: keys repeat endlessly, so each is judged once (bounded). */
  private static final Map<String, Boolean> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_VERDICTS = 50_000;

  /** Whether the attribute key names a credential. */
  static boolean isSecret(String key) {
    Boolean known = VERDICTS.get(key);
    if (known != null) {
      return known;
    }
    boolean verdict = judge(key);
    if (VERDICTS.size() < MAX_VERDICTS) {
      VERDICTS.put(key, verdict);
    }
    return verdict;
  }

  private static boolean judge(String key) {
    int dot = key.lastIndexOf('.');
    String last = (dot < 0 ? key : key.substring(dot + 1)).toLowerCase(Locale.ROOT);
    if (SECRET_NAMES.contains(last)) {
      return true;
    }
    if (SECRET_HEADERS.contains(last)) {
      String lower = key.toLowerCase(Locale.ROOT);
      return lower.startsWith("http.request.header.") || lower.startsWith("http.response.header.")
          || lower.startsWith("rpc.grpc.request.metadata.") || lower.startsWith("rpc.grpc.response.metadata.");
    }
    return false;
  }

  /** The map with secret values masked; the same instance when nothing needed masking. */
  static Map<String, Object> redact(Map<String, Object> attributes) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      if (e.getValue() != null && !MASK.equals(e.getValue()) && isSecret(e.getKey())) {
        if (out == null) {
          out = new LinkedHashMap<>(attributes);
        }
        out.put(e.getKey(), MASK);
      }
    }
    return out == null ? attributes : out;
  }

  public static Span redact(Span s) {
    Map<String, Object> attrs = redact(s.attributes());
    Map<String, Object> resource = redact(s.resourceAttributes());
    List<SpanEvent> events = mapUnlessSame(s.events(), e -> {
      Map<String, Object> ea = redact(e.attributes());
      return ea == e.attributes() ? e : new SpanEvent(e.name(), e.timeEpochNanos(), ea, e.body());
    });
    if (attrs == s.attributes() && resource == s.resourceAttributes() && events == s.events()) {
      return s;
    }
    return new Span(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), s.startEpochNanos(),
        s.endEpochNanos(), s.status(), s.statusMessage(), s.service(), s.scopeName(), attrs, resource, events,
        s.category(), s.llm(), s.unmappedAttributes());
  }

  /**
   * The batch with credentials masked in its spans and log records; the same instance when there
   * was nothing to mask (the common case allocates nothing).
   */
  public static TelemetryBatch redact(TelemetryBatch batch) {
    List<Span> spans = mapUnlessSame(batch.spans(), SecretRedactor::redact);
    List<LogRecord> logs = mapUnlessSame(batch.logs(), SecretRedactor::redact);
    return spans == batch.spans() && logs == batch.logs() ? batch
        : new TelemetryBatch(batch.receiver(), spans, logs, batch.metrics(), batch.scores(), batch.project());
  }

  /** {@code f} applied to every element; the same list when {@code f} returned every element itself. */
  static <T> List<T> mapUnlessSame(List<T> list, UnaryOperator<T> f) {
    List<T> out = null;
    for (int i = 0; i < list.size(); i++) {
      T before = list.get(i);
      T after = f.apply(before);
      if (after != before) {
        if (out == null) {
          out = new ArrayList<>(list);
        }
        out.set(i, after);
      }
    }
    return out == null ? list : out;
  }

  public static LogRecord redact(LogRecord r) {
    Map<String, Object> attrs = redact(r.attributes());
    Map<String, Object> resource = redact(r.resourceAttributes());
    if (attrs == r.attributes() && resource == r.resourceAttributes()) {
      return r;
    }
    return new LogRecord(r.timeEpochNanos(), r.observedEpochNanos(), r.traceId(), r.spanId(), r.severityNumber(),
        r.severityText(), r.eventName(), r.body(), r.service(), r.scopeName(), attrs, resource);
  }
}
