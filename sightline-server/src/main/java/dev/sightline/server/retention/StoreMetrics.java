package dev.sightline.server.retention;

import dev.sightline.store.StoreDiskUsage;
import java.util.List;
import java.util.Map;

/** The /metrics lines (Prometheus text format) of the stores' disk usage and of retention. */
public final class StoreMetrics {
  private StoreMetrics() {}

  /** One project's store usage, as read by {@code Store.diskUsage()}. */
  public record ProjectUsage(String project, StoreDiskUsage usage) {}

  /**
   * {@code sightline_store_disk_bytes{project,table}}, {@code sightline_store_file_bytes{project,kind}}
   * (kind db, wal, free: blocks inside the file that later writes reuse) and
   * {@code sightline_retention_deleted_total{project,kind}} from {@link RetentionJob#deletedTotals()}
   * (null or empty: no retention lines).
   */
  public static String render(List<ProjectUsage> usages, Map<String, Map<String, Long>> deleted) {
    StringBuilder b = new StringBuilder();
    b.append("# HELP sightline_store_disk_bytes Estimated bytes of each table in its project's database file"
        + " (checkpointed blocks).\n# TYPE sightline_store_disk_bytes gauge\n");
    for (ProjectUsage u : usages) {
      for (StoreDiskUsage.TableUsage t : u.usage().tables()) {
        b.append("sightline_store_disk_bytes{project=\"").append(dev.sightline.server.api.PrometheusLabels.escape(u.project())).append("\",table=\"")
            .append(dev.sightline.server.api.PrometheusLabels.escape(t.table())).append("\"} ").append(t.estimatedBytes()).append('\n');
      }
    }
    b.append("# HELP sightline_store_file_bytes Bytes of each project's database file (db), write-ahead log (wal),"
        + " and free blocks inside the file (free).\n# TYPE sightline_store_file_bytes gauge\n");
    for (ProjectUsage u : usages) {
      String p = dev.sightline.server.api.PrometheusLabels.escape(u.project());
      b.append("sightline_store_file_bytes{project=\"").append(p).append("\",kind=\"db\"} ")
          .append(u.usage().fileBytes()).append('\n');
      b.append("sightline_store_file_bytes{project=\"").append(p).append("\",kind=\"wal\"} ")
          .append(u.usage().walBytes()).append('\n');
      b.append("sightline_store_file_bytes{project=\"").append(p).append("\",kind=\"free\"} ")
          .append(u.usage().freeBytes()).append('\n');
    }
    if (deleted != null && !deleted.isEmpty()) {
      b.append("# HELP sightline_retention_deleted_total Rows deleted by retention per table, and rows whose content"
          + " it cleared (kind content_TABLE).\n# TYPE sightline_retention_deleted_total counter\n");
      deleted.forEach((project, kinds) -> kinds.forEach((kind, n) -> b.append("sightline_retention_deleted_total{project=\"")
          .append(dev.sightline.server.api.PrometheusLabels.escape(project)).append("\",kind=\"").append(dev.sightline.server.api.PrometheusLabels.escape(kind)).append("\"} ").append(n).append('\n')));
    }
    return b.toString();
  }

}
