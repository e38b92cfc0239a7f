package dev.sightline.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.access.AccessControl;
import dev.sightline.access.CreatedKey;
import dev.sightline.access.KeyInfo;
import dev.sightline.access.KeyKind;
import dev.sightline.access.Principal;
import dev.sightline.access.Project;
import dev.sightline.access.Retention;
import dev.sightline.access.VirtualTarget;
import dev.sightline.server.access.AccessGate;
import dev.sightline.server.projects.ProjectScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Logging in and out, who is asking, and the admin's projects and keys. A key's secret is in the
 * answer that creates it and nowhere else.
 */
public final class AccessApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final AccessGate gate;
  private final AccessControl access;
  private final Executor blocking;
  private final Supplier<List<Map<String, Object>>> storage;

  /** @param storage the disk use of each open project's store (for {@code /api/v1/storage}) */
  public AccessApi(AccessGate gate, Executor blocking, Supplier<List<Map<String, Object>>> storage) {
    this.gate = gate;
    this.access = gate.control();
    this.blocking = blocking;
    this.storage = storage;
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/auth/whoami", endpoint(Set.of("GET"), (m, ctx, body) -> whoami(ctx)));
    sb.service("/api/v1/auth/login", endpoint(Set.of("POST"), (m, ctx, body) -> login(body)));
    sb.service("/api/v1/auth/logout", endpoint(Set.of("POST"), (m, ctx, body) -> logout(ctx)));
    sb.service("/api/v1/projects", endpoint(Set.of("GET", "POST"), this::projects));
    sb.service("prefix:/api/v1/projects/", endpoint(Set.of("GET", "POST", "PUT"), this::project));
    sb.service("prefix:/api/v1/keys/", endpoint(Set.of("DELETE"), (m, ctx, body) -> revoke(ctx)));
    sb.service("/api/v1/storage", endpoint(Set.of("GET"), (m, ctx, body) -> storage(ctx)));
  }

  private interface Handler {
    HttpResponse handle(String method, ServiceRequestContext ctx, JsonNode body);
  }

  private HttpService endpoint(Set<String> methods, Handler handler) {
    return (ctx, req) -> {
      String m = req.method().name();
      if (!methods.contains(m)) {
        return ApiEndpoints.json(405, ApiJson.error("method_not_allowed", m + " is not supported here; use "
            + String.join(" or ", new java.util.TreeSet<>(methods))));
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> answer(m, ctx, agg, handler),
          ctx.makeContextAware(blocking)));
    };
  }

  private HttpResponse answer(String m, ServiceRequestContext ctx, AggregatedHttpRequest agg, Handler handler) {
    JsonNode body = null;
    if (m.equals("POST") || m.equals("PUT")) {
      if (agg.content().length() > MAX_BODY) {
        return ApiEndpoints.json(413, ApiJson.error("too_large", "the body is over 64 KiB"));
      }
      String text = agg.contentUtf8();
      if (!text.isBlank()) {
        try {
          body = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          return ApiEndpoints.json(400, ApiJson.error("invalid_json", "the body is not JSON: "
              + e.getOriginalMessage()));
        }
        if (body != null && !body.isObject()) {
          return ApiEndpoints.json(400, ApiJson.error("invalid_json", "the body must be one JSON object"));
        }
      }
    }
    try {
      return handler.handle(m, ctx, body);
    } catch (IllegalArgumentException e) {
      return ApiEndpoints.json(400, ApiJson.error("invalid_request", e.getMessage()));
    } catch (RuntimeException e) {
      // e.g. the access file cannot be written: a JSON 500 naming it, as the other endpoints answer
      org.slf4j.LoggerFactory.getLogger(AccessApi.class).error("API request {} failed", ctx.path(), e);
      return ApiEndpoints.json(500, ApiJson.error("internal", "Sightline failed to answer this request: " + e.getMessage()));
    }
  }

  private HttpResponse whoami(ServiceRequestContext ctx) {
    Principal who = ctx.attr(AccessGate.WHO);
    if (who == null) {
      return ApiEndpoints.json(401, ApiJson.error("unauthorized", "not logged in"));
    }
    return ApiEndpoints.json(200, whoBody(who, ctx.attr(ProjectScope.PROJECT)));
  }

  private Map<String, Object> whoBody(Principal who, String project) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", gate.keysRequired() ? "keys" : "open");
    out.put("admin", who.admin());
    out.put("project", project != null ? project : who.project());
    out.put("projects", who.admin() ? access.projects().stream().map(Project::name).toList() : null);
    return out;
  }

  private HttpResponse login(JsonNode body) {
    if (body == null) {
      return ApiEndpoints.json(400, ApiJson.error("invalid_request", "send {\"password\": \"…\"} or {\"key\": \"sl_read_…\"}"));
    }
    Principal who = null;
    if (body.hasNonNull("password")) {
      if (access.checkAdmin(body.get("password").asText())) {
        who = new Principal(dev.sightline.model.TelemetryBatch.DEFAULT_PROJECT, KeyKind.READ, null, true, null);
      }
    } else if (body.hasNonNull("key")) {
      Principal k = access.authenticate(body.get("key").asText().trim()).orElse(null);
      if (k != null && k.kind() == KeyKind.READ) {
        who = k;
      }
    } else {
      return ApiEndpoints.json(400, ApiJson.error("invalid_request", "send {\"password\": \"…\"} or {\"key\": \"sl_read_…\"}"));
    }
    if (who == null) {
      return ApiEndpoints.json(401, ApiJson.error("login_failed", body.hasNonNull("password")
          ? "wrong admin password" : "this is not a valid read key (unknown, revoked, or an ingest key)"));
    }
    String token = access.startSession(who);
    Cookie cookie = Cookie.secureBuilder(AccessGate.SESSION_COOKIE, token).secure(false).httpOnly(true)
        .sameSite("Strict").path("/").maxAge(Duration.ofHours(12).toSeconds()).build();
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
        .add(HttpHeaderNames.SET_COOKIE, cookie.toSetCookieHeader()).build(),
        com.linecorp.armeria.common.HttpData.ofUtf8(ApiJson.write(whoBody(who, who.project()))));
  }

  private HttpResponse logout(ServiceRequestContext ctx) {
    for (Cookie c : ctx.request().headers().cookies()) {
      if (c.name().equals(AccessGate.SESSION_COOKIE)) {
        access.endSession(c.value());
      }
    }
    Cookie gone = Cookie.secureBuilder(AccessGate.SESSION_COOKIE, "").secure(false).httpOnly(true)
        .sameSite("Strict").path("/").maxAge(0).build();
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT)
        .add(HttpHeaderNames.SET_COOKIE, gone.toSetCookieHeader()).build());
  }

  private HttpResponse projects(String m, ServiceRequestContext ctx, JsonNode body) {
    if (m.equals("GET")) {
      List<Object> out = new ArrayList<>();
      for (Project p : access.projects()) {
        out.add(projectJson(p));
      }
      return ApiEndpoints.json(200, Map.of("projects", out));
    }
    if (body == null || !body.hasNonNull("name")) {
      throw new IllegalArgumentException("send {\"name\": \"team-a\", \"retention\": {\"dataDays\": 365, \"contentDays\": 30}}");
    }
    Project p = access.createProject(body.get("name").asText(), retention(body.get("retention")));
    return ApiEndpoints.json(201, projectJson(p));
  }

  /** /api/v1/projects/{name}/keys (GET, POST) and /api/v1/projects/{name}/retention (PUT). */
  private HttpResponse project(String m, ServiceRequestContext ctx, JsonNode body) {
    String rest = ctx.path().substring("/api/v1/projects/".length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String what = slash < 0 ? "" : rest.substring(slash + 1);
    if (!gate.exists(name)) {
      return ApiEndpoints.json(404, ApiJson.error("unknown_project", "there is no project '" + name + "'"));
    }
    if (what.equals("retention") && m.equals("PUT")) {
      return ApiEndpoints.json(200, projectJson(access.setRetention(name, retention(body))));
    }
    if (what.equals("keys") && m.equals("GET")) {
      List<Object> out = new ArrayList<>();
      for (KeyInfo k : access.keys(name)) {
        out.add(keyJson(k));
      }
      return ApiEndpoints.json(200, Map.of("keys", out));
    }
    if (what.equals("keys") && m.equals("POST")) {
      if (body == null || !body.hasNonNull("kind")) {
        throw new IllegalArgumentException("send {\"kind\": \"ingest|read|virtual\", \"label\": \"…\"} (a virtual key also"
            + " needs \"provider\" and \"providerKeyEnv\")");
      }
      KeyKind kind;
      try {
        kind = KeyKind.valueOf(body.get("kind").asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("kind must be ingest, read or virtual, got '" + body.get("kind").asText() + "'");
      }
      VirtualTarget target = null;
      if (kind == KeyKind.VIRTUAL) {
        target = new VirtualTarget(text(body, "provider"), text(body, "providerKeyEnv"));
      }
      CreatedKey created = access.createKey(name, kind, text(body, "label"), target);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("key", keyJson(created.info()));
      out.put("secret", created.secret());
      return ApiEndpoints.json(201, out);
    }
    return ApiEndpoints.json(404, ApiJson.error("not_found", "no API endpoint at " + m + " " + ctx.path()
        + "; see docs/api.md"));
  }

  private HttpResponse revoke(ServiceRequestContext ctx) {
    String id = ctx.path().substring("/api/v1/keys/".length());
    if (!access.revokeKey(id)) {
      return ApiEndpoints.json(404, ApiJson.error("unknown_key", "there is no key '" + id + "'"));
    }
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private HttpResponse storage(ServiceRequestContext ctx) {
    Principal who = ctx.attr(AccessGate.WHO);
    List<Map<String, Object>> all = storage.get();
    if (who != null && !who.admin()) {
      all = all.stream().filter(p -> who.project().equals(p.get("project"))).toList();
    }
    return ApiEndpoints.json(200, Map.of("projects", all));
  }

  private static String text(JsonNode body, String field) {
    return body != null && body.hasNonNull(field) ? body.get(field).asText() : null;
  }

  private static Retention retention(JsonNode node) {
    if (node == null || node.isNull()) {
      return Retention.FOREVER;
    }
    return new Retention(days(node, "dataDays"), days(node, "contentDays"));
  }

  private static Integer days(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " must be a whole number of days or null (keep forever)");
    }
    return v.asInt();
  }

  private static Map<String, Object> projectJson(Project p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", p.name());
    out.put("created", p.created() != null ? p.created().toString() : null);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("dataDays", p.retention() != null ? p.retention().dataDays() : null);
    r.put("contentDays", p.retention() != null ? p.retention().contentDays() : null);
    out.put("retention", r);
    return out;
  }

  private static Map<String, Object> keyJson(KeyInfo k) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", k.id());
    out.put("project", k.project());
    out.put("kind", k.kind().name().toLowerCase(Locale.ROOT));
    out.put("label", k.label());
    out.put("prefix", k.prefix());
    out.put("created", k.created() != null ? k.created().toString() : null);
    out.put("provider", k.target() != null ? k.target().provider() : null);
    out.put("providerKeyEnv", k.target() != null ? k.target().keyEnv() : null);
    return out;
  }
}
