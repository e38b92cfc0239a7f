package dev.sightline.server.access;

import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import dev.sightline.access.AccessControl;
import dev.sightline.access.KeyKind;
import dev.sightline.access.Principal;
import dev.sightline.access.Project;
import dev.sightline.gateway.GatewayAccess;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.IngestAuth;
import dev.sightline.server.api.ApiErrors;
import dev.sightline.server.projects.ProjectScope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may do what on Sightline's ports: ingest keys for the receivers and the gateway, read keys,
 * sessions or the admin login for the API and the dashboard; in open mode, everyone. Every request
 * that reads data leaves here with its project set on the request (see {@link ProjectScope}).
 */
public final class AccessGate {
  /** The session cookie set by the login. */
  public static final String SESSION_COOKIE = "sightline_session";
  /** The cookie (or, as a header, {@code x-sightline-project}) by which an admin picks a project. */
  public static final String PROJECT_COOKIE = "sightline_project";
  static final String PROJECT_HEADER = "x-sightline-project";
  /** Where an admin's or a read key's identity is kept on the request, for the access API. */
  public static final io.netty.util.AttributeKey<Principal> WHO =
      io.netty.util.AttributeKey.valueOf(AccessGate.class, "principal");

  private static final Set<String> PUBLIC_EXACT = Set.of("/login", "/favicon.ico", "/healthz", "/readyz",
      "/api/v1/auth/login", "/api/v1/auth/logout", "/api/openapi.json");
  private static final List<String> PUBLIC_PREFIXES = List.of("/ui/", "/rum/", "/gateway/");
  private static final List<String> SERVER_WIDE = List.of("/metrics", "/api/v1/alerts", "/api/v1/anomalies",
      "/api/v1/budgets", "/api/v1/scrape/");
  private static final List<String> ADMIN_ONLY = List.of("/api/v1/projects", "/api/v1/keys");

  private final AccessControl access;
  private final boolean keys;
  /** This process's own ingest key for its own gateway calls (the LLM judge): random, in memory only. */
  private final String internalKey;

  public AccessGate(AccessControl access, boolean keys) {
    this.access = access;
    this.keys = keys;
    byte[] random = new byte[24];
    new java.security.SecureRandom().nextBytes(random);
    this.internalKey = "sl_internal_" + java.util.HexFormat.of().formatHex(random);
  }

  /** The key Sightline's own components send its gateway (null in open mode, where none is needed). */
  public String internalKey() {
    return keys ? internalKey : null;
  }

  public boolean keysRequired() {
    return keys;
  }

  public AccessControl control() {
    return access;
  }

  /** The receivers' check: an ingest key names the project its data goes to. */
  public IngestAuth ingestAuth() {
    if (!keys) {
      return IngestAuth.OPEN;
    }
    return header -> {
      String presented = AccessControl.presentedKey(header);
      if (presented == null) {
        return IngestAuth.Decision.refuse("an ingest key is required: send 'Authorization: Bearer <ingest key>' or"
            + " 'x-sightline-key: <ingest key>' (create one with ./sightline keys create --project NAME --kind ingest;"
            + " docs/access.md)");
      }
      Optional<Principal> who = access.authenticate(presented);
      if (who.isEmpty()) {
        return IngestAuth.Decision.refuse("this key is unknown or revoked (docs/access.md)");
      }
      if (who.get().kind() != KeyKind.INGEST) {
        return IngestAuth.Decision.refuse("a " + wire(who.get().kind()) + " key cannot send data: use an ingest key");
      }
      return IngestAuth.Decision.allow(who.get().project());
    };
  }

  /**
   * The gateway's check: a virtual key stands for a provider key held in this server's environment;
   * otherwise the caller's own provider key goes upstream and an ingest key in {@code x-sightline-key}
   * names the project.
   */
  public GatewayAccess gatewayAccess() {
    if (!keys) {
      return GatewayAccess.OPEN;
    }
    return (header, provider) -> {
      String virtual = virtualKey(header);
      if (virtual != null) {
        Optional<Principal> who = access.authenticate(virtual);
        if (who.isEmpty() || who.get().kind() != KeyKind.VIRTUAL || who.get().target() == null) {
          return GatewayAccess.Decision.refuse("this virtual key is unknown or revoked (docs/access.md)");
        }
        if (!who.get().target().provider().equals(provider)) {
          return GatewayAccess.Decision.refuse("this virtual key is for " + who.get().target().provider()
              + ", not for " + provider);
        }
        String secret = System.getenv(who.get().target().keyEnv());
        if (secret == null || secret.isBlank()) {
          return GatewayAccess.Decision.refuse("the provider key of this virtual key is not set on the Sightline"
              + " server (environment variable " + who.get().target().keyEnv() + ")");
        }
        return GatewayAccess.Decision.allow(who.get().project(), secret);
      }
      String ingest = header.apply("x-sightline-key");
      if (ingest != null && java.security.MessageDigest.isEqual(ingest.trim().getBytes(StandardCharsets.UTF_8),
          internalKey.getBytes(StandardCharsets.UTF_8))) {
        return GatewayAccess.Decision.allow(TelemetryBatch.DEFAULT_PROJECT, null);
      }
      if (ingest == null || ingest.isBlank()) {
        return GatewayAccess.Decision.refuse("Sightline needs a key for this call: send 'x-sightline-key: <ingest key>'"
            + " beside your provider key, or use a virtual key as your API key (docs/access.md)");
      }
      Optional<Principal> who = access.authenticate(ingest.trim());
      if (who.isEmpty() || who.get().kind() != KeyKind.INGEST) {
        return GatewayAccess.Decision.refuse("the x-sightline-key is not a valid ingest key (unknown, revoked or of"
            + " another kind)");
      }
      return GatewayAccess.Decision.allow(who.get().project(), null);
    };
  }

  /** A virtual key given where the provider's SDK puts its API key. */
  private static String virtualKey(Function<String, String> header) {
    String auth = header.apply("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String k = auth.substring(7).trim();
      if (k.startsWith("sl_vk_")) {
        return k;
      }
    }
    String apiKey = header.apply("x-api-key");
    if (apiKey != null && apiKey.trim().startsWith("sl_vk_")) {
      return apiKey.trim();
    }
    return null;
  }

  /** The decorator of the HTTP port: checks the caller and sets the request's project. */
  public DecoratingHttpServiceFunction decorator() {
    return this::serve;
  }

  private HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    String path = ctx.path();
    if (isPublic(path)) {
      ctx.setAttr(ProjectScope.PROJECT, TelemetryBatch.DEFAULT_PROJECT);
      Principal known = identify(ctx, req);
      if (known != null) {
        ctx.setAttr(WHO, known);
      }
      return delegate.serve(ctx, req);
    }
    Principal who = identify(ctx, req);
    if (who == null) {
      if (isPage(path)) {
        String next = path + (ctx.query() != null ? "?" + ctx.query() : "");
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.FOUND, HttpHeaderNames.LOCATION,
            "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
      }
      return error(401, "unauthorized", keyProblem(req));
    }
    if (who.kind() == KeyKind.INGEST || who.kind() == KeyKind.VIRTUAL) {
      return error(403, "forbidden", "a " + wire(who.kind()) + " key cannot read data: use a read key"
          + " (./sightline keys create --project " + who.project() + " --kind read)");
    }
    boolean chooses = who.admin();
    String project;
    String asked = chosenProject(ctx, req);
    if (chooses) {
      project = asked == null ? TelemetryBatch.DEFAULT_PROJECT : asked;
      if (!exists(project)) {
        if (req.headers().contains(PROJECT_HEADER)) {
          return error(404, "unknown_project", "there is no project '" + project + "'");
        }
        // a cookie left from a project since deleted: show the default, whose whoami lets the UI reset it
        project = TelemetryBatch.DEFAULT_PROJECT;
      }
    } else {
      project = who.project();
      if (asked != null && !asked.equals(project) && req.headers().contains(PROJECT_HEADER)) {
        return error(403, "forbidden", "this key reads project '" + project + "' only");
      }
    }
    if (startsWithAny(path, ADMIN_ONLY) && !who.admin()) {
      return error(403, "forbidden", "managing projects and keys needs the admin login");
    }
    if (startsWithAny(path, SERVER_WIDE) && !who.admin() && !project.equals(TelemetryBatch.DEFAULT_PROJECT)) {
      return error(403, "forbidden", "alerts, budgets, scrape targets and /metrics belong to the whole server:"
          + " they need the admin login or a read key of the default project");
    }
    ctx.setAttr(WHO, who);
    ctx.setAttr(ProjectScope.PROJECT, project);
    return delegate.serve(ctx, req);
  }

  /** The caller, or null: open mode makes everyone an admin. */
  Principal identify(ServiceRequestContext ctx, HttpRequest req) {
    if (!keys) {
      return new Principal(TelemetryBatch.DEFAULT_PROJECT, KeyKind.READ, null, true, null);
    }
    for (Cookie c : req.headers().cookies()) {
      if (c.name().equals(SESSION_COOKIE)) {
        Optional<Principal> s = access.session(c.value());
        if (s.isPresent()) {
          return s.get();
        }
      }
    }
    String presented = AccessControl.presentedKey(name -> req.headers().get(name));
    if (presented == null) {
      return null;
    }
    return access.authenticate(presented).orElse(null);
  }

  private static String chosenProject(ServiceRequestContext ctx, HttpRequest req) {
    String h = req.headers().get(PROJECT_HEADER);
    if (h != null && !h.isBlank()) {
      return h.trim();
    }
    for (Cookie c : req.headers().cookies()) {
      if (c.name().equals(PROJECT_COOKIE) && !c.value().isBlank()) {
        return c.value().trim();
      }
    }
    return null;
  }

  public boolean exists(String project) {
    if (project.equals(TelemetryBatch.DEFAULT_PROJECT)) {
      return true;
    }
    for (Project p : access.projects()) {
      if (p.name().equals(project)) {
        return true;
      }
    }
    return false;
  }

  private static String keyProblem(HttpRequest req) {
    String presented = AccessControl.presentedKey(name -> req.headers().get(name));
    if (presented == null) {
      return "log in, or send a read key: 'Authorization: Bearer <read key>' or 'x-sightline-key: <read key>'"
          + " (docs/access.md)";
    }
    return "this key is unknown or revoked, or the session expired: log in again (docs/access.md)";
  }

  private static boolean isPublic(String path) {
    return PUBLIC_EXACT.contains(path) || startsWithAny(path, PUBLIC_PREFIXES);
  }

  /** Dashboard pages: a browser without a session is sent to the login page instead of a JSON 401. */
  private static boolean isPage(String path) {
    return !path.startsWith("/api/") && !path.equals("/metrics") && !path.startsWith("/v1/");
  }

  private static boolean startsWithAny(String path, List<String> prefixes) {
    for (String p : prefixes) {
      if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/") || path.startsWith(p + "?")) {
        return true;
      }
    }
    return false;
  }

  static String wire(KeyKind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  static HttpResponse error(int status, String code, String message) {
    return ApiErrors.of(status, code, message);
  }
}
