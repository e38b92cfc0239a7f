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

  /**
   * The bus writer's counters ({@code sightline_bus_*_total}): messages consumed, batches and records
   * stored, messages dead-lettered, store writes that failed and were retried; empty when null.
   */
  public static String bus(dev.sightline.bus.BusWriter.Counts c) {
    if (c == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    counter(b, "sightline_bus_messages_total", "Bus messages this writer consumed.", c.messages());
    counter(b, "sightline_bus_batches_total", "Batches this writer stored from the bus.", c.batches());
    counter(b, "sightline_bus_records_total", "Records this writer stored from the bus.", c.records());
    counter(b, "sightline_bus_dead_lettered_total", "Bus messages sent to the dead-letter topic.", c.deadLettered());
    counter(b, "sightline_bus_failed_writes_total", "Store writes of bus messages that failed and were retried.",
        c.failedWrites());
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value).append('\n');
  }
}
