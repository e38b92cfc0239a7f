package dev.sightline.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every GET endpoint of the API shares: unknown parameters refused, the handler run on the
 * blocking executor (store reads never on the event loop), errors as JSON with the right status.
 */
final class ApiEndpoints {
  private static final Logger log = LoggerFactory.getLogger(ApiEndpoints.class);

  private ApiEndpoints() {}

  static HttpService get(Executor blocking, Clock clock, Function<ApiRequest, Object> handler, Set<String> allowed) {
    return (ctx, req) -> {
      if (!req.method().name().equals("GET") && !req.method().name().equals("HEAD")) {
        return json(405, ApiJson.error("method_not_allowed", req.method() + " is not supported here; use GET"));
      }
      QueryParams params = QueryParams.fromQueryString(ctx.query());
      for (String name : params.names()) {
        if (!allowed.contains(name)) {
          return json(400, ApiJson.error("unknown_parameter", "unknown query parameter '" + name + "'"
              + (allowed.isEmpty() ? "" : "; this endpoint takes " + String.join(", ", new java.util.TreeSet<>(allowed)))));
        }
      }
      ApiRequest r = new ApiRequest(ctx, params, clock.instant());
      CompletableFuture<HttpResponse> f = CompletableFuture.supplyAsync(() -> {
        try {
          return json(200, handler.apply(r));
        } catch (ApiException e) {
          return json(e.status, ApiJson.error(e.code, e.getMessage()));
        } catch (IllegalArgumentException e) {
          return json(400, ApiJson.error("invalid_parameter", e.getMessage()));
        } catch (RuntimeException e) {
          log.error("API request {} failed", ctx.path(), e);
          return json(500, ApiJson.error("internal", "Sightline failed to answer this request: " + e));
        }
      }, ctx.makeContextAware(blocking)); // the request (and its project) stays current there
      return HttpResponse.of(f);
    };
  }

  static HttpResponse json(int status, Object body) {
    return HttpResponse.of(HttpStatus.valueOf(status), MediaType.JSON_UTF_8, ApiJson.write(body));
  }
}
