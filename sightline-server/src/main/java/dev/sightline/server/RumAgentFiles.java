package dev.sightline.server;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The browser agent, served to any site's pages: {@code /rum/sightline-rum.js} as a classic script
 * and {@code /rum/sightline-rum.mjs} as an ES module (the same text with exports appended, so there
 * is one source and no build step).
 */
final class RumAgentFiles {
  static final String SCRIPT_PATH = "/rum/sightline-rum.js";
  static final String MODULE_PATH = "/rum/sightline-rum.mjs";
  static final String MODULE_EXPORTS = "\nexport default SightlineRum;\nexport {SightlineRum};\n";
  private static final MediaType JAVASCRIPT = MediaType.parse("application/javascript; charset=utf-8");

  private RumAgentFiles() {}

  static void bind(ServerBuilder sb) {
    String script = read("rum/sightline-rum.js");
    sb.service(SCRIPT_PATH, (ctx, req) -> answer(script));
    sb.service(MODULE_PATH, (ctx, req) -> answer(script == null ? null : script + MODULE_EXPORTS));
  }

  private static HttpResponse answer(String text) {
    if (text == null) {
      return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8,
          "the RUM agent is missing from this build (resource rum/sightline-rum.js)");
    }
    // pages on other origins load it with a plain <script> or import(); * lets module imports and SRI checks read it
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(JAVASCRIPT)
        .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .build(), HttpData.ofUtf8(text));
  }

  private static String read(String resource) {
    try (InputStream in = RumAgentFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
