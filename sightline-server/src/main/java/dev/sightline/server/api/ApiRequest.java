package dev.sightline.server.api;

import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** One API request as a handler sees it: its context, query parameters and the time it arrived. */
record ApiRequest(ServiceRequestContext ctx, QueryParams params, Instant now) {

  /**
   * The parameter's value, trimmed; a value written {@code b64:} + base64url (of UTF-8) is decoded,
   * so that ids holding control characters, which no URL here may carry, can still be asked for.
   */
  String param(String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.startsWith("b64:")) {
      try {
        return new String(java.util.Base64.getUrlDecoder().decode(v.substring(4).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "invalid_parameter", "'" + name + "' starts with b64: but the rest is not"
            + " base64url; a b64: value is the base64url encoding of the UTF-8 text");
      }
    }
    return v.trim();
  }

  /** Every value of a repeatable parameter, trimmed, blanks left out. */
  java.util.List<String> params(String name) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String v : params.getAll(name)) {
      if (v != null && !v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }
}
