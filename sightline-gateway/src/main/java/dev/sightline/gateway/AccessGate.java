package dev.sightline.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One route's side of {@link GatewayAccess}: asks it before anything is relayed, answers refusals
 * with 401, and puts the credential the decision names into the upstream's provider header. Keys
 * (virtual, provider, Sightline) never appear in what it answers.
 */
final class AccessGate {
  /** The Sightline ingest key a caller sends beside its own provider credentials. */
  static final String KEY_HEADER = "x-sightline-key";
  private static final AsciiString X_API_KEY = AsciiString.cached("x-api-key");
  private static final AsciiString API_KEY = AsciiString.cached("api-key");
  /** Sightline's key shapes (sl_vk_…, sl_ingest_…, sl_read_…), masked wherever a message might repeat one. */
  private static final Pattern SIGHTLINE_KEY = Pattern.compile("sl_(?:vk|ingest|read)_[A-Za-z0-9]+");
  static final String MASK = "[redacted]";

  private final GatewayAccess access;
  private final Route route;
  private final RefusalCounts refusals;

  AccessGate(GatewayAccess access, Route route, RefusalCounts refusals) {
    this.access = access;
    this.route = route;
    this.refusals = refusals;
  }

  /**
   * The decision for a request; a check that throws or answers nothing refuses it (fail closed:
   * unlike telemetry, access must never be granted by accident). Refusals are counted per route.
   */
  GatewayAccess.Decision decide(RequestHeaders h) {
    GatewayAccess.Decision d;
    try {
      d = access.check(name -> h.get(name), route.name());
    } catch (RuntimeException e) {
      d = new GatewayAccess.Decision(null, null, "the gateway could not check the caller's key ("
          + e.getClass().getSimpleName() + "); try again, and see the server's log");
    }
    if (d == null) {
      d = GatewayAccess.Decision.refuse("the gateway's access check gave no answer");
    }
    if (!d.allowed()) {
      refusals.refused(route.name());
    }
    return d;
  }

  /** The 401 a refused call gets: an OpenAI-style error that SDKs raise as an authentication error. */
  HttpResponse refusal(GatewayAccess.Decision d, RequestHeaders h) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", scrub(d.error(), h));
    error.put("type", "invalid_request_error");
    error.put("code", "sightline_unauthorized");
    return HttpResponse.of(HttpStatus.UNAUTHORIZED, MediaType.JSON_UTF_8, body.toString());
  }

  /**
   * Whether a client header is a credential the upstream must not get: any that carries a
   * Sightline key (the {@code x-sightline-*} headers are dropped elsewhere), and all of the
   * caller's credentials when the decision replaces them.
   */
  static boolean withheld(AsciiString name, String value, String upstreamKey) {
    boolean credential = name.contentEqualsIgnoreCase(HttpHeaderNames.AUTHORIZATION)
        || name.contentEqualsIgnoreCase(X_API_KEY) || name.contentEqualsIgnoreCase(API_KEY);
    if (!credential) {
      return false;
    }
    return upstreamKey != null || carriesSightlineKey(value);
  }

  /** Sets the decision's provider key in the header the route's provider reads (Bedrock is re-signed instead). */
  void credential(RequestHeadersBuilder b, String upstreamKey) {
    if (upstreamKey == null) {
      return;
    }
    switch (route.api()) {
      case ANTHROPIC -> b.set(X_API_KEY, upstreamKey); // anthropic-version and the rest stay as sent
      case OPENAI, OLLAMA -> b.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + upstreamKey);
      case BEDROCK -> { }
    }
  }

  private static boolean carriesSightlineKey(String value) {
    String v = value.strip();
    if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      v = v.substring(7).strip();
    }
    return v.startsWith("sl_vk_") || v.startsWith("sl_ingest_") || v.startsWith("sl_read_");
  }

  /** The message with every credential the request carried, and anything shaped like a Sightline key, masked. */
  static String scrub(String message, RequestHeaders h) {
    String out = message;
    for (String name : new String[] {"authorization", "x-api-key", "api-key", KEY_HEADER}) {
      String v = h.get(name);
      if (v == null) {
        continue;
      }
      String token = v.strip();
      if (token.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        token = token.substring(7).strip();
      }
      if (token.length() >= 4) { // shorter values would mask ordinary words, and are no secret
        out = out.replace(token, MASK);
      }
    }
    return SIGHTLINE_KEY.matcher(out).replaceAll(MASK);
  }
}
