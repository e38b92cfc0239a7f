package dev.sightline.receivers.rum;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.receivers.IngestGate;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * The real-user monitoring endpoint {@code POST /rum/v1/events}: browsers' page loads, web vitals,
 * fetches and errors from Sightline's agent become spans of the app's service, committed through
 * the pipeline like OTLP spans. CORS, keys, limits, bots and sampling are described in docs/rum.md.
 */
public final class RumReceiver {
  /** The receiver's name in {@link IngestCounters} and on the batches. */
  public static final String RECEIVER = "rum";
  public static final String PATH = "/rum/v1/events";

  /**
   * Events (or, for {@code origin} and {@code too_large}, requests: their events are not read) by
   * app and outcome: {@code accepted}, {@code rejected}, {@code bot}, {@code sampled}, {@code origin},
   * {@code too_large}.
   */
  public record EventCount(String app, String outcome, long events) {}

  private final RumConfig config;
  private final RumTraffic traffic = new RumTraffic();
  private final RumEndpoint endpoint;

  public RumReceiver(Ingest ingest, IngestCounters counters, RumConfig config) {
    this(ingest, counters, config, InstantSource.system());
  }

  RumReceiver(Ingest ingest, IngestCounters counters, RumConfig config, InstantSource clock) {
    this.config = Objects.requireNonNull(config, "config");
    IngestGate gate = new IngestGate(Objects.requireNonNull(ingest, "ingest"), Objects.requireNonNull(counters, "counters"));
    this.endpoint = new RumEndpoint(config, gate, traffic, clock);
  }

  /** Binds {@code /rum/v1/events} (answering 404 {@code rum_off} when no app is configured). */
  public void bind(ServerBuilder sb) {
    sb.route()
        .path(PATH)
        .maxRequestLength(config.maxBodyBytes())
        .errorHandler(endpoint.errorHandler())
        .build(endpoint);
  }

  public RumConfig config() {
    return config;
  }

  /** What was done with the events so far, sorted by app and outcome (for /metrics). */
  public List<EventCount> eventCounts() {
    return traffic.snapshot();
  }
}
