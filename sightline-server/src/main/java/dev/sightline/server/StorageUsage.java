package dev.sightline.server;

import dev.sightline.server.projects.ProjectStores;
import dev.sightline.server.retention.StoreMetrics;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Disk use of each open project's store, read for /metrics and /api/v1/storage. */
final class StorageUsage {
  private static final Logger log = LoggerFactory.getLogger(StorageUsage.class);

  private StorageUsage() {}

  /** Disk use of each open project's store: /metrics and /api/v1/storage. */
  static List<StoreMetrics.ProjectUsage> of(ProjectStores stores) {
    List<StoreMetrics.ProjectUsage> out = new ArrayList<>();
    for (String project : stores.openProjects()) {
      try {
        out.add(new StoreMetrics.ProjectUsage(project, stores.store(project).diskUsage()));
      } catch (RuntimeException e) {
        log.debug("disk usage of project {}: {}", project, e.toString());
      }
    }
    return out;
  }

  /** Disk use of each open project's store, for /api/v1/storage. */
  static List<java.util.Map<String, Object>> json(ProjectStores stores) {
    List<java.util.Map<String, Object>> out = new ArrayList<>();
    for (StoreMetrics.ProjectUsage u : of(stores)) {
      java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
      p.put("project", u.project());
      p.put("fileBytes", u.usage().fileBytes());
      p.put("walBytes", u.usage().walBytes());
      p.put("freeBytes", u.usage().freeBytes());
      List<Object> tables = new ArrayList<>();
      for (var t : u.usage().tables()) {
        tables.add(java.util.Map.of("name", t.table(), "rows", t.rows(), "bytes", t.estimatedBytes()));
      }
      p.put("tables", tables);
      out.add(p);
    }
    return out;
  }
}
