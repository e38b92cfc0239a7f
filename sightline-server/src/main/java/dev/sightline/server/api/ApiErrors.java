package dev.sightline.server.api;

import com.linecorp.armeria.common.HttpResponse;

/** The API's error answer, {@code {"error":{"code","message"}}}, for code outside this package. */
public final class ApiErrors {
  private ApiErrors() {}

  public static HttpResponse of(int status, String code, String message) {
    return ApiEndpoints.json(status, ApiJson.error(code, message));
  }
}
