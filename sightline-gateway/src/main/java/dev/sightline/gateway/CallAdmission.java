package dev.sightline.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Asked before the gateway relays a recorded call, with the call's attribution (service, route
 * and user from the {@code x-sightline-*} headers; route and user may be null): null lets it through,
 * a {@link Refusal} answers it with 429 without reaching the upstream.
 */
@FunctionalInterface
public interface CallAdmission {
  CallAdmission ADMIT_ALL = (service, route, user) -> null;

  Refusal admit(String service, String route, String user);

  /**
   * A spent budget: its name and scope, the USD amounts as decimal strings, when it frees up, how
   * long a client should wait (whole seconds, at least 1) and a sentence for the caller.
   */
  record Refusal(String budget, String scope, String scopeValue, String limitUsd, String spentUsd,
      Instant resetsAt, Duration retryAfter, String message) {

    public int status() {
      return 429;
    }

    /** The Retry-After header's value. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The response body: an OpenAI-style error object carrying the budget's fields. */
    public String json() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ObjectNode e = body.putObject("error");
      e.put("type", "budget_exceeded");
      e.put("code", "budget_exceeded");
      e.put("message", message);
      e.put("budget", budget);
      e.put("scope", scope);
      e.put("scope_value", scopeValue);
      e.put("limit_usd", limitUsd);
      e.put("spent_usd", spentUsd);
      e.put("resets_at", resetsAt.toString());
      return body.toString();
    }
  }
}
