package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.store.ResourceFilter;
import dev.sightline.store.ResourceValue;
import dev.sightline.store.ServiceEdge;
import dev.sightline.store.ServiceMap;
import dev.sightline.store.ServiceMapQuery;
import dev.sightline.store.ServiceNode;
import dev.sightline.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The service map ({@code /api/v1/servicemap}: services, browser apps and LLM providers with the calls
 * between them) and the values of a resource attribute ({@code /api/v1/resources?key=}).
 */
public final class ServiceMapApi {
  /** Longest window these endpoints read: each reads every span of its window. */
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  private final Store store;
  private final Executor blocking;
  private final Clock clock;

  public ServiceMapApi(Store store, Executor blocking) {
    this.store = store;
    this.blocking = blocking;
    this.clock = Clock.systemUTC();
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/servicemap", ApiEndpoints.get(blocking, clock, this::serviceMap, Set.of("since", "until")));
    sb.service("/api/v1/resources", ApiEndpoints.get(blocking, clock, this::resources,
        Set.of("key", "since", "until", "limit")));
  }

  /** The window of {@code since} / {@code until}: the last hour by default, at most {@link #MAX_WINDOW}. */
  record Window(Instant since, Instant until) {
    static Window of(ApiRequest r) {
      Instant until = TimeParam.parse("until", r.param("until"), r.now());
      until = until == null ? r.now() : until;
      Instant since = TimeParam.parse("since", r.param("since"), r.now());
      since = since == null ? until.minus(Duration.ofHours(1)) : since;
      if (!since.isBefore(until)) {
        throw new ApiException(400, "invalid_parameter", "'since' (" + since + ") must be before 'until' (" + until + ")");
      }
      if (Duration.between(since, until).compareTo(MAX_WINDOW) > 0) {
        throw new ApiException(400, "invalid_parameter", "the window from " + since + " to " + until
            + " is longer than " + MAX_WINDOW.toDays() + " days; ask for a shorter one (such as since=-7d)");
      }
      return new Window(since, until);
    }

    void into(Map<String, Object> body) {
      body.put("since", since.toString());
      body.put("until", until.toString());
    }
  }

  private Object serviceMap(ApiRequest r) {
    Window w = Window.of(r);
    ServiceMap map = store.serviceMap(new ServiceMapQuery(w.since(), w.until()));
    Map<String, Object> body = new LinkedHashMap<>();
    w.into(body);
    List<Object> nodes = new ArrayList<>(map.nodes().size());
    for (ServiceNode n : map.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n.name());
      m.put("kind", n.kind());
      m.put("spans", n.spans());
      m.put("errors", n.errors());
      m.put("errorRate", n.spans() == 0 ? null : n.errorRate());
      m.put("p50Ms", n.p50Ms());
      m.put("p95Ms", n.p95Ms());
      nodes.add(m);
    }
    List<Object> edges = new ArrayList<>(map.edges().size());
    for (ServiceEdge e : map.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", e.source());
      m.put("target", e.target());
      m.put("calls", e.calls());
      m.put("errors", e.errors());
      m.put("errorRate", e.calls() == 0 ? null : e.errorRate());
      m.put("p50Ms", e.p50Ms());
      m.put("p95Ms", e.p95Ms());
      edges.add(m);
    }
    body.put("nodes", nodes);
    body.put("edges", edges);
    return body;
  }

  private Object resources(ApiRequest r) {
    String key = r.param("key");
    if (key == null) {
      throw new ApiException(400, "missing_parameter", "'key' is required: a resource attribute such as"
          + " k8s.pod.name, k8s.namespace.name, host.name or service.version");
    }
    ResourceFilter.checkKey(key); // IllegalArgumentException: 400 with the rule
    Window w = Window.of(r);
    int limit = limit(r.param("limit"));
    List<Object> values = new ArrayList<>();
    for (ResourceValue v : store.resourceValues(w.since(), w.until(), key, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("value", v.value());
      m.put("spans", v.spans());
      m.put("traces", v.traces());
      values.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", key);
    w.into(body);
    body.put("values", values);
    return body;
  }

  private static int limit(String l) {
    if (l == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(l);
      if (n >= 1 && n <= 10_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "invalid_parameter", "'limit' must be a whole number from 1 to 10000; got '" + l + "'");
  }
}
