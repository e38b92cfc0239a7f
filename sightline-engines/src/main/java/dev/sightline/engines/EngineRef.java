package dev.sightline.engines;

import java.util.Set;

/** A detected engine: its service, kind, served model (or null) and the metric names its service stored. */
record EngineRef(String service, EngineKind kind, String model, Set<String> names) {
  EngineRef {
    names = Set.copyOf(names);
  }

  String id() {
    return model == null ? service : service + ":" + model;
  }
}
