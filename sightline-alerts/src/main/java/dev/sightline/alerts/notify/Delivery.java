package dev.sightline.alerts.notify;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one attempt to deliver one webhook message, kept so the API and UI can show it.
 *
 * @param messageId the message this attempt carried; retries of one message share it
 * @param target the target's name
 * @param alertKeys the alerts in the message (empty for a test message)
 * @param attempt 1 for the first try, 2 for the first retry, ...
 * @param statusCode the HTTP status the receiver answered, or 0 when there was no answer
 * @param error why the attempt failed (network error, timeout, HTTP status), or null when delivered
 * @param at when the attempt ended
 * @param delivered whether the receiver accepted the message (2xx)
 * @param finalAttempt whether no further attempt will follow (delivered, given up, or not retryable)
 * @param test whether this was a test message
 */
public record Delivery(long messageId, String target, List<String> alertKeys, int attempt, int statusCode,
                       String error, Instant at, boolean delivered, boolean finalAttempt, boolean test) {

  public Delivery {
    alertKeys = List.copyOf(alertKeys);
  }
}
