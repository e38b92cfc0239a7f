package dev.sightline.store;

import java.util.List;

/** Services, LLM providers and the calls between them in a window, built from the stored traces. */
public record ServiceMap(List<ServiceNode> nodes, List<ServiceEdge> edges) {
  public ServiceMap {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }
}
