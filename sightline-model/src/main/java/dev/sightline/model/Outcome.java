package dev.sightline.model;

import java.util.List;

/**
 * How a call ended.
 *
 * @param httpStatus the provider's HTTP status, null when unknown
 * @param errorType e.g. {@code rate_limit_error}, an exception class, or the HTTP status as text
 */
public record Outcome(CallStatus status, Integer httpStatus, String errorType, List<String> finishReasons) {
  public Outcome {
    status = status == null ? CallStatus.OK : status;
    finishReasons = finishReasons == null ? List.of() : List.copyOf(finishReasons);
  }

  public static final Outcome OK = new Outcome(CallStatus.OK, null, null, List.of());
}
