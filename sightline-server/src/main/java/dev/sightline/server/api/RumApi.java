package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.store.RumQuery;
import dev.sightline.store.RumSummary;
import dev.sightline.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What real users saw: {@code /api/v1/rum/summary} (Web Vitals per page route, and per API request the
 * TTFT the user saw beside the server's TTFT of the same trace).
 */
public final class RumApi {
  private final Store store;
  private final Executor blocking;
  private final Clock clock;

  public RumApi(Store store, Executor blocking) {
    this.store = store;
    this.blocking = blocking;
    this.clock = Clock.systemUTC();
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/rum/summary", ApiEndpoints.get(blocking, clock, this::summary, Set.of("since", "until")));
  }

  private Object summary(ApiRequest r) {
    ServiceMapApi.Window w = ServiceMapApi.Window.of(r);
    RumSummary s = store.realUsers(new RumQuery(w.since(), w.until()));
    Map<String, Object> body = new LinkedHashMap<>();
    w.into(body);
    RumSummary.Totals t = s.totals();
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("pageViews", t.pageViews());
    totals.put("lcpP75Ms", t.lcpP75Ms());
    totals.put("inpP75Ms", t.inpP75Ms());
    totals.put("clsP75", t.clsP75());
    totals.put("requests", t.requests());
    totals.put("userTtftP50Ms", t.userTtftP50Ms());
    totals.put("userTtftP95Ms", t.userTtftP95Ms());
    totals.put("serverTtftP50Ms", t.serverTtftP50Ms());
    totals.put("serverTtftP95Ms", t.serverTtftP95Ms());
    totals.put("gapP50Ms", t.gapP50Ms());
    totals.put("errors", t.errors());
    body.put("totals", totals);
    List<Object> pages = new ArrayList<>(s.pages().size());
    for (RumSummary.Page p : s.pages()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("route", p.route());
      m.put("views", p.views());
      m.put("lcpP75Ms", p.lcpP75Ms());
      m.put("inpP75Ms", p.inpP75Ms());
      m.put("clsP75", p.clsP75());
      m.put("loadP50Ms", p.loadP50Ms());
      m.put("errors", p.errors());
      pages.add(m);
    }
    body.put("pages", pages);
    List<Object> requests = new ArrayList<>(s.requests().size());
    for (RumSummary.Request q : s.requests()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("route", q.route());
      m.put("requests", q.requests());
      m.put("errors", q.errors());
      m.put("userTtftP50Ms", q.userTtftP50Ms());
      m.put("userTtftP95Ms", q.userTtftP95Ms());
      m.put("serverTtftP50Ms", q.serverTtftP50Ms());
      m.put("serverTtftP95Ms", q.serverTtftP95Ms());
      m.put("gapP50Ms", q.gapP50Ms());
      requests.add(m);
    }
    body.put("requests", requests);
    return body;
  }
}
