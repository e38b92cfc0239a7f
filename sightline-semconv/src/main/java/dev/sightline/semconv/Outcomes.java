package dev.sightline.semconv;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanStatus;
import java.util.List;
import java.util.Map;

/**
 * How a call ended. It failed when the span's status is ERROR, when {@code error.type} is set, or
 * when the HTTP status is 400 or more.
 */
final class Outcomes {
  private Outcomes() {}

  static Outcome of(Span span, Map<String, Object> a, List<String> finishReasons) {
    Integer http = httpStatus(a);
    String errorType = Values.string(a.get(Keys.ERROR_TYPE));
    boolean error = span.status() == SpanStatus.ERROR || errorType != null || http != null && http >= 400;
    if (errorType == null && error) {
      errorType = exceptionType(span.events());
      if (errorType == null && http != null && http >= 400) {
        errorType = Integer.toString(http);
      }
    }
    return new Outcome(error ? CallStatus.ERROR : CallStatus.OK, http, errorType, finishReasons);
  }

  static Integer httpStatus(Map<String, Object> a) {
    for (String k : Keys.HTTP_STATUS) {
      Long v = Values.integer(a.get(k));
      if (v != null && v >= 100 && v <= 999) {
        return v.intValue();
      }
    }
    return null;
  }

  private static String exceptionType(List<SpanEvent> events) {
    for (SpanEvent e : events) {
      if ("exception".equals(e.name())) {
        String t = Values.string(e.attributes().get("exception.type"));
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

}
