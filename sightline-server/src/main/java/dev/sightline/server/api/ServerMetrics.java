package dev.sightline.server.api;

import dev.sightline.gateway.Gateway;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.receivers.rum.RumReceiver;
import java.util.Map;
import java.util.TreeMap;

/** The /metrics families of the RUM endpoint, ingest memory and the gateway's access refusals. */
public final class ServerMetrics {
  private ServerMetrics() {}

  /** What the RUM endpoint did with the events, by app and outcome. */
  public static String rum(RumReceiver rum) {
    StringBuilder b = new StringBuilder();
    b.append("# HELP sightline_rum_events_total Real-user events by app and outcome (accepted, rejected, bot, sampled;"
        + " origin and too_large count requests).\n");
    b.append("# TYPE sightline_rum_events_total counter\n");
    for (RumReceiver.EventCount c : rum.eventCounts()) {
      b.append("sightline_rum_events_total{app=\"").append(PrometheusLabels.escape(c.app())).append("\",outcome=\"")
          .append(c.outcome()).append("\"} ").append(c.events()).append('\n');
    }
    return b.toString();
  }

  /** Ingest memory in use and refused, and the gateway's calls refused for want of a key. */
  public static String access(IngestMemory memory, Gateway gateway) {
    StringBuilder b = new StringBuilder();
    b.append("# HELP sightline_ingest_memory_bytes Bytes of ingest requests and their records held now, and the budget.\n");
    b.append("# TYPE sightline_ingest_memory_bytes gauge\n");
    b.append("sightline_ingest_memory_bytes{kind=\"reserved\"} ").append(memory.reservedBytes()).append('\n');
    b.append("sightline_ingest_memory_bytes{kind=\"budget\"} ").append(memory.budgetBytes()).append('\n');
    b.append("# HELP sightline_ingest_memory_refusals_total Requests refused (429) because the ingest memory budget"
        + " was spent.\n");
    b.append("# TYPE sightline_ingest_memory_refusals_total counter\n");
    b.append("sightline_ingest_memory_refusals_total ").append(memory.refusals()).append('\n');
    if (gateway == null) {
      return b.toString(); // no ingest role here
    }
    b.append("# HELP sightline_gateway_unauthorized_total Gateway calls refused (401) for want of a valid key, by route.\n");
    b.append("# TYPE sightline_gateway_unauthorized_total counter\n");
    for (Map.Entry<String, Long> e : new TreeMap<>(gateway.accessRefusals()).entrySet()) {
      b.append("sightline_gateway_unauthorized_total{route=\"").append(PrometheusLabels.escape(e.getKey()))
          .append("\"} ").append(e.getValue()).append('\n');
    }
    return b.toString();
  }
}
