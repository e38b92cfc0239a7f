package dev.sightline.model;

import java.util.List;

/**
 * Where a call sits: its trace and span, the service that made it, the route (the name of its
 * trace's root span), and who and what it was for.
 */
public record CallContext(
    String traceId,
    String spanId,
    String service,
    String route,
    String sessionId,
    String userId,
    String promptName,
    String promptVersion,
    List<String> tags) {

  public CallContext {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public CallContext withRoute(String route) {
    return new CallContext(traceId, spanId, service, route, sessionId, userId, promptName, promptVersion, tags);
  }
}
