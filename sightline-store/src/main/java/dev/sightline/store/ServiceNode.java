package dev.sightline.store;

/**
 * One node of the service map. {@code kind} is {@code browser} (a service whose spans come from the
 * real-user agent), {@code service}, or {@code llm} (a provider; its spans are the calls made to it).
 * Latency is over the node's entry spans (roots and SERVER spans; all its spans if it has none), null
 * when there is none.
 */
public record ServiceNode(String name, String kind, long spans, long errors, Double p50Ms, Double p95Ms) {
  public static final String BROWSER = "browser";
  public static final String SERVICE = "service";
  public static final String LLM = "llm";

  /** Errors over spans, 0 when there are no spans. */
  public double errorRate() {
    return spans == 0 ? 0 : (double) errors / spans;
  }
}
