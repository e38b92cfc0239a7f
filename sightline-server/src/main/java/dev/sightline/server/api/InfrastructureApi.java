package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.engines.Engine;
import dev.sightline.engines.EngineView;
import dev.sightline.engines.Gpu;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.store.Store;
import dev.sightline.store.TraceDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/traces/{traceId}/infrastructure}: the self-hosted engines that serve the models a
 * trace's LLM calls used, and the GPUs reporting around that time, so a trace links to their series.
 */
public final class InfrastructureApi {
  /** How far before the trace's start and after its end engines and GPUs are looked for. */
  static final Duration MARGIN = Duration.ofMinutes(5);
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");

  private final Store store;
  private final EngineView view;
  private final Executor blocking;
  private final Clock clock;

  public InfrastructureApi(Store store, Executor blocking) {
    this.store = store;
    // figures are not shown here, so no GPU price is needed
    this.view = new EngineView(store, Map.of());
    this.blocking = blocking;
    this.clock = Clock.systemUTC();
  }

  /**
   * Binds the exact-shape route; Armeria prefers it over RestApi's {@code prefix:/api/v1/traces/}
   * whatever the order of binding (InfrastructureApiTest checks it).
   */
  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/traces/{traceId}/infrastructure", ApiEndpoints.get(blocking, clock, this::infrastructure,
        Set.of()));
  }

  private Object infrastructure(ApiRequest r) {
    String raw = r.ctx().pathParam("traceId");
    String id = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
    if (!TRACE_ID.matcher(id).matches()) {
      throw new ApiException(400, "invalid_trace_id", "a trace id is 32 hexadecimal characters; got '" + raw + "'");
    }
    TraceDetail trace = store.trace(id, false).orElseThrow(() -> new ApiException(404, "trace_not_found",
        "no trace " + id + " is stored"));
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (Span s : trace.spans()) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
    }
    Instant since = nanos(start).minus(MARGIN);
    Instant until = nanos(Math.max(start, end)).plus(MARGIN);
    Duration window = Duration.between(since, until);
    List<Engine> engines = null;
    List<Object> calls = new ArrayList<>();
    boolean matched = false;
    for (Span s : trace.spans()) {
      LlmCall c = s.llm();
      if (c == null) {
        continue;
      }
      if (engines == null) {
        engines = view.engines(until, window);
      }
      List<Object> serving = new ArrayList<>();
      for (Engine e : engines) {
        if (serves(e.model(), c.responseModel()) || serves(e.model(), c.requestModel())) {
          serving.add(engine(e));
        }
      }
      matched |= !serving.isEmpty();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spanId", s.spanId());
      m.put("model", c.responseModel() != null ? c.responseModel() : c.requestModel());
      m.put("provider", c.provider());
      m.put("engines", serving);
      calls.add(m);
    }
    List<Object> gpus = new ArrayList<>();
    if (matched) {
      for (Gpu g : view.gpus(until, window)) {
        gpus.add(gpu(g));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("traceId", id);
    body.put("since", since.toString());
    body.put("until", until.toString());
    body.put("calls", calls);
    body.put("gpus", gpus);
    return body;
  }

  /**
   * Whether an engine serving {@code engineModel} served a call of {@code callModel}: the same name
   * in any case, or the same after dropping an organisation prefix ({@code meta-llama/Llama-3.1-8B}
   * is {@code Llama-3.1-8B}), since clients often name a served model without it.
   */
  static boolean serves(String engineModel, String callModel) {
    if (engineModel == null || callModel == null || engineModel.isBlank() || callModel.isBlank()) {
      return false;
    }
    String a = engineModel.trim().toLowerCase(Locale.ROOT);
    String b = callModel.trim().toLowerCase(Locale.ROOT);
    return a.equals(b) || a.substring(a.lastIndexOf('/') + 1).equals(b.substring(b.lastIndexOf('/') + 1));
  }

  private static Instant nanos(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  private static Map<String, Object> engine(Engine e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("service", e.service());
    m.put("kind", e.kind().wire());
    m.put("model", e.model());
    return m;
  }

  private static Map<String, Object> gpu(Gpu g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("service", g.service());
    m.put("host", g.host());
    m.put("gpu", g.gpu());
    m.put("uuid", g.uuid());
    m.put("model", g.model());
    m.put("pod", g.pod());
    m.put("namespace", g.namespace());
    return m;
  }
}
