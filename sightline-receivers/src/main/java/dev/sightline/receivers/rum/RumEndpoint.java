package dev.sightline.receivers.rum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.receivers.IngestGate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code /rum/v1/events}: CORS preflight and the POST of a batch of events. Every refusal is a JSON
 * {@code {"error":{"code","message"}}} whose message says what to change; none is a 500.
 */
final class RumEndpoint implements HttpService {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OFF_MESSAGE = "RUM is off: start Sightline with --rum-app NAME=KEY,origin=https://your.site"
      + " (docs/rum.md)";

  private final RumConfig config;
  private final IngestGate gate;
  private final RumTraffic traffic;
  private final InstantSource clock;

  RumEndpoint(RumConfig config, IngestGate gate, RumTraffic traffic, InstantSource clock) {
    this.config = config;
    this.gate = gate;
    this.traffic = traffic;
    this.clock = clock;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (!config.enabled()) {
      return error(HttpStatus.NOT_FOUND, "rum_off", OFF_MESSAGE, null);
    }
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    String queryKey = queryKey(ctx);
    if (req.method() == HttpMethod.OPTIONS) {
      return preflight(queryKey, origin);
    }
    if (req.method() != HttpMethod.POST) {
      return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
          "send events with POST " + RumReceiver.PATH + "?key=APPKEY (OPTIONS answers CORS preflight)", null);
    }
    double receivedAtMs = epochMs(clock.instant());
    RumApp queryApp = null;
    if (queryKey != null) {
      queryApp = config.app(queryKey);
      if (queryApp == null) {
        return unknownKey(queryKey);
      }
      if (origin != null && !queryApp.allowsOrigin(origin)) {
        return originRefused(queryApp, origin);
      }
    }
    long declared = req.headers().contentLength();
    if (declared > config.maxBodyBytes()) {
      return tooLarge(queryApp, origin, declared + " bytes declared in Content-Length");
    }
    RumApp known = queryApp;
    CompletableFuture<HttpResponse> answer = req.aggregate().handle((agg, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ContentTooLargeException) {
          return CompletableFuture.completedFuture(tooLarge(known, origin, "the body passed the limit while it was read"));
        }
        return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST, "malformed",
            "the request body could not be read (" + cause.getClass().getSimpleName() + ")", cors(known, origin)));
      }
      return post(agg, known, origin, receivedAtMs);
    }).thenCompose(f -> f);
    return HttpResponse.of(answer);
  }

  private CompletableFuture<HttpResponse> post(AggregatedHttpRequest agg, RumApp queryApp, String origin,
      double receivedAtMs) {
    byte[] body = agg.content().array();
    gate.countRequest(RumReceiver.RECEIVER, body.length);
    if (body.length > config.maxBodyBytes()) {
      return done(tooLarge(queryApp, origin, body.length + " bytes received"));
    }
    JsonNode root;
    try {
      root = RumDecoder.parse(body);
    } catch (RumRequestException e) {
      return done(error(e, cors(queryApp, origin)));
    }
    RumApp app = queryApp;
    if (app == null) {
      String key = RumDecoder.bodyKey(root);
      if (key == null || key.isBlank()) {
        return done(error(HttpStatus.UNAUTHORIZED, "missing_key", "no ingest key: send it as " + RumReceiver.PATH
            + "?key=APPKEY or as \"key\" in the body (the key of a --rum-app NAME=KEY)", null));
      }
      app = config.app(key);
      if (app == null) {
        return done(unknownKey(key));
      }
      if (origin != null && !app.allowsOrigin(origin)) {
        return done(originRefused(app, origin));
      }
    }
    String userAgent = agg.headers().get(HttpHeaderNames.USER_AGENT);
    ResponseHeaders ok = headers(HttpStatus.ACCEPTED, cors(app, origin), 0);
    if (RumTraffic.isBot(userAgent)) {
      traffic.add(app.name(), "bot", eventCount(root));
      return done(json(ok, JSON.createObjectNode().put("accepted", 0).put("dropped", "bot")));
    }
    if (!RumTraffic.sampled(RumDecoder.session(root), app.sampleRate())) {
      traffic.add(app.name(), "sampled", eventCount(root));
      return done(json(ok, JSON.createObjectNode().put("accepted", 0).put("dropped", "sampled")));
    }
    RumDecoder.Result decoded;
    try {
      decoded = RumDecoder.decode(root, app, userAgent, receivedAtMs);
    } catch (RumRequestException e) {
      if (e.code.equals("too_large")) {
        traffic.add(app.name(), "too_large", 1);
      }
      return done(error(e, cors(app, origin)));
    }
    String appName = app.name();
    String allowOrigin = cors(app, origin);
    TelemetryBatch batch = TelemetryBatch.ofSpans(RumReceiver.RECEIVER, decoded.spans());
    return gate.submitSpans(batch, decoded.rejected().size(), app.project()).thenApply(outcome -> switch (outcome) {
      case IngestGate.Outcome.Committed c -> {
        traffic.add(appName, "accepted", decoded.spans().size());
        traffic.add(appName, "rejected", decoded.rejected().size());
        ObjectNode answer = JSON.createObjectNode().put("accepted", decoded.spans().size());
        ArrayNode rejected = answer.putArray("rejected");
        for (RumDecoder.Rejection r : decoded.rejected()) {
          rejected.addObject().put("index", r.index()).put("reason", r.reason());
        }
        if (decoded.clockOffsetMs() != 0) {
          answer.put("clockOffsetMs", decoded.clockOffsetMs());
        }
        yield json(ok, answer);
      }
      case IngestGate.Outcome.Saturated s -> error(HttpStatus.SERVICE_UNAVAILABLE, "saturated", s.message(),
          allowOrigin, s.retryAfterSeconds());
      case IngestGate.Outcome.Failed f -> error(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", f.message(),
          allowOrigin, f.retryAfterSeconds());
    });
  }

  private HttpResponse preflight(String key, String origin) {
    if (key == null || key.isBlank()) {
      return error(HttpStatus.UNAUTHORIZED, "missing_key", "the preflight has no ?key=: the agent sends to "
          + RumReceiver.PATH + "?key=APPKEY (the key of a --rum-app NAME=KEY)", null);
    }
    RumApp app = config.app(key);
    if (app == null) {
      return unknownKey(key);
    }
    if (origin == null) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT).set(HttpHeaderNames.ALLOW, "POST, OPTIONS")
          .build());
    }
    if (!app.allowsOrigin(origin)) {
      return originRefused(app, origin);
    }
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type")
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
        .set(HttpHeaderNames.VARY, "Origin")
        .build());
  }

  private HttpResponse unknownKey(String key) {
    return error(HttpStatus.UNAUTHORIZED, "unknown_key", "no app has the ingest key '" + RumDecoder.cut(key, 128)
        + "': use the key of a --rum-app NAME=KEY this Sightline was started with (docs/rum.md)", null);
  }

  private HttpResponse originRefused(RumApp app, String origin) {
    traffic.add(app.name(), "origin", 1);
    return error(HttpStatus.FORBIDDEN, "origin_not_allowed", "the origin " + RumDecoder.cut(origin, 256)
        + " may not send events for app " + app.name() + ": add it with --rum-app " + app.name() + "=" + app.key()
        + ",origin=" + RumDecoder.cut(origin, 256) + " (keep the app's other origins)", null);
  }

  private HttpResponse tooLarge(RumApp app, String origin, String detail) {
    traffic.add(app == null ? RumTraffic.UNKNOWN_APP : app.name(), "too_large", 1);
    return tooLargeBody(app, origin, detail).toHttpResponse();
  }

  private AggregatedHttpResponse tooLargeBody(RumApp app, String origin, String detail) {
    return errorBody(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "the body is larger than the RUM limit of "
        + config.maxBodyBytes() + " bytes (" + detail + "); the agent flushes smaller batches, or raise --rum-max-body",
        cors(app, origin), 0);
  }

  /** CORS headers for an allowed origin of a known app; null otherwise (no Origin, or not allowed). */
  private static String cors(RumApp app, String origin) {
    return app != null && origin != null && app.allowsOrigin(origin) ? origin : null;
  }

  private static String queryKey(ServiceRequestContext ctx) {
    String q = ctx.query();
    if (q == null) {
      return null;
    }
    String k = QueryParams.fromQueryString(q).get("key");
    return k == null || k.isBlank() ? null : k.trim();
  }

  private static long eventCount(JsonNode root) {
    JsonNode e = root.get("events");
    return e != null && e.isArray() ? e.size() : 0;
  }

  private static double epochMs(Instant t) {
    return t.getEpochSecond() * 1000.0 + t.getNano() / 1_000_000.0;
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static HttpResponse json(ResponseHeaders headers, ObjectNode body) {
    return HttpResponse.of(headers, HttpData.ofUtf8(body.toString()));
  }

  private static HttpResponse error(RumRequestException e, String allowOrigin) {
    return error(HttpStatus.valueOf(e.status), e.code, e.getMessage(), allowOrigin);
  }

  private static HttpResponse error(HttpStatus status, String code, String message, String allowOrigin) {
    return error(status, code, message, allowOrigin, 0);
  }

  private static HttpResponse error(HttpStatus status, String code, String message, String allowOrigin,
      int retryAfterSeconds) {
    return errorBody(status, code, message, allowOrigin, retryAfterSeconds).toHttpResponse();
  }

  private static AggregatedHttpResponse errorBody(HttpStatus status, String code, String message, String allowOrigin,
      int retryAfterSeconds) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", message);
    return AggregatedHttpResponse.of(headers(status, allowOrigin, retryAfterSeconds), HttpData.ofUtf8(root.toString()));
  }

  private static ResponseHeaders headers(HttpStatus status, String allowOrigin, int retryAfterSeconds) {
    ResponseHeadersBuilder b = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
    if (allowOrigin != null) {
      b.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin).set(HttpHeaderNames.VARY, "Origin");
    }
    if (retryAfterSeconds > 0) {
      b.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }
    return b.build();
  }

  /**
   * Armeria refuses a body over the route's limit itself (from its Content-Length, before
   * {@link #serve}); this gives that refusal the endpoint's own 413 body and CORS headers.
   */
  ServiceErrorHandler errorHandler() {
    return new ServiceErrorHandler() {
      @Override
      public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        boolean tooLarge = cause instanceof ContentTooLargeException || cause instanceof HttpStatusException e
            && e.httpStatus().code() == HttpStatus.REQUEST_ENTITY_TOO_LARGE.code();
        if (!tooLarge || !config.enabled()) {
          return null;
        }
        return tooLarge(appOf(ctx), ctx.request().headers().get(HttpHeaderNames.ORIGIN),
            "the body passed the limit while it was read");
      }

      @Override
      public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, RequestHeaders headers, HttpStatus status,
          String description, Throwable cause) {
        if (status.code() != HttpStatus.REQUEST_ENTITY_TOO_LARGE.code() || !config.enabled()) {
          return null;
        }
        RumApp app = ctx == null ? null : appOf(ctx);
        traffic.add(app == null ? RumTraffic.UNKNOWN_APP : app.name(), "too_large", 1);
        long declared = headers.contentLength();
        return tooLargeBody(app, headers.get(HttpHeaderNames.ORIGIN),
            declared > 0 ? declared + " bytes declared in Content-Length" : "the body passed the limit while it was read");
      }
    };
  }

  private RumApp appOf(ServiceRequestContext ctx) {
    String key = queryKey(ctx);
    return key == null ? null : config.app(key);
  }
}
