package dev.sightline.store;

/**
 * Calls from one service to another (a child span whose parent span belongs to another service), or
 * from a service to an LLM provider. Errors and latency are the callee's: the child span's status and
 * duration, or the LLM call's outcome and latency.
 */
public record ServiceEdge(String source, String target, long calls, long errors, Double p50Ms, Double p95Ms) {
  /** Errors over calls, 0 when there are no calls. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }
}
