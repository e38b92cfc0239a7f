package dev.sightline.engines;

import dev.sightline.store.MetricName;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSample;
import dev.sightline.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the engines whose metrics are stored in a window: each service with names of an engine's
 * prefix is one engine of that kind, split by the model label where the engine has one (the models
 * are read off the latest samples of the alias table's names).
 */
final class EngineDetection {
  /** Most metric names of one engine prefix read; an engine exports a few dozen. */
  static final int MAX_NAMES = 2_000;
  /** Names per metric query (the store's limit). */
  static final int NAMES_PER_QUERY = 50;
  static final int MAX_SAMPLES = 10_000;

  private EngineDetection() {}

  static List<EngineRef> detect(Store store, Instant since, Instant until) {
    List<EngineRef> out = new ArrayList<>();
    for (EngineKind kind : EngineKind.values()) {
      Map<String, Set<String>> namesByService = new TreeMap<>();
      for (MetricName n : store.metricNames(kind.prefix(), null, since, until, MAX_NAMES)) {
        for (String service : n.services()) {
          if (service != null) {
            namesByService.computeIfAbsent(service, s -> new TreeSet<>()).add(n.name());
          }
        }
      }
      namesByService.forEach((service, names) -> out.addAll(split(store, kind, service, names, since, until)));
    }
    return out;
  }

  private static List<EngineRef> split(Store store, EngineKind kind, String service, Set<String> names,
      Instant since, Instant until) {
    if (kind.modelLabel() == null) {
      return List.of(new EngineRef(service, kind, null, names));
    }
    List<String> known = names.stream().filter(EngineCatalog.names(kind)::contains).toList();
    Set<String> models = new TreeSet<>();
    for (MetricSample s : latest(store, known, service, Map.of(), since, until)) {
      String m = s.labels().get(kind.modelLabel());
      if (m != null && !m.isBlank()) {
        models.add(m);
      }
    }
    if (models.isEmpty()) {
      return List.of(new EngineRef(service, kind, null, names));
    }
    return models.stream().map(m -> new EngineRef(service, kind, m, names)).toList();
  }

  /** The latest sample of every series of these names, in chunks the store accepts. */
  static List<MetricSample> latest(Store store, List<String> names, String service, Map<String, String> where,
      Instant since, Instant until) {
    List<MetricSample> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i += NAMES_PER_QUERY) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + NAMES_PER_QUERY));
      out.addAll(store.latestSamples(new MetricQuery(chunk, service, where, List.of(), since, until, null, null),
          MAX_SAMPLES));
    }
    return out;
  }
}
