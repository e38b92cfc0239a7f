package dev.sightline.server.ui;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The web dashboard: static ES modules and CSS from the jar (no build step), uPlot from its WebJar,
 * and the single page shell for every dashboard path, so that each page's URL can be opened,
 * bookmarked and reloaded. Every UI response carries a Content-Security-Policy that allows scripts
 * from this origin only (no inline script, no eval) and styles from files only.
 */
public final class WebUi {
  /** Dashboard paths answered with the page shell; the client-side router renders each. */
  static final List<String> PAGES = List.of("/overview", "/traces", "/services", "/calls", "/models", "/engines", "/sessions", "/users",
      "/cost", "/alerts", "/login", "/projects");
  static final List<String> PAGE_PREFIXES = List.of("/traces/", "/calls/");

  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self';"
      + " frame-ancestors 'none'";

  private WebUi() {}

  public static void bind(ServerBuilder sb) {
    // -Dsightline.ui.dir=sightline-server/src/main/resources/ui serves the files from a folder,
    // uncached, for working on the dashboard without rebuilding the jar
    String devDir = System.getProperty("sightline.ui.dir");
    byte[] shell = devDir != null ? read(java.nio.file.Path.of(devDir, "index.html")) : resource("ui/index.html");
    HttpService page = (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(MediaType.HTML_UTF_8)
        .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .build(), com.linecorp.armeria.common.HttpData.wrap(shell));
    HttpService securedPage = secured(page);
    sb.service("/", securedPage);
    for (String p : PAGES) {
      sb.service(p, securedPage);
    }
    for (String p : PAGE_PREFIXES) {
      sb.service("prefix:" + p, securedPage);
    }
    ClassLoader cl = WebUi.class.getClassLoader();
    sb.serviceUnder("/ui/vendor/uplot/", secured(FileService.builder(cl,
        "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist").cacheControl("max-age=86400").build()));
    sb.serviceUnder("/ui/", secured(devDir != null
        ? FileService.builder(java.nio.file.Path.of(devDir)).maxCacheEntries(0).cacheControl("no-store").build()
        : FileService.builder(cl, "ui").cacheControl("no-cache").build()));
    sb.service("/favicon.ico", secured(HttpFile.of(cl, "ui/favicon.svg").asService()));
  }

  /** Adds the security headers to every response of {@code service}. */
  static HttpService secured(HttpService service) {
    return service.decorate((delegate, ctx, req) -> {
      ctx.mutateAdditionalResponseHeaders(h -> h
          .set("content-security-policy", CSP)
          .set("x-content-type-options", "nosniff")
          .set("referrer-policy", "no-referrer")
          .set("x-frame-options", "DENY")
          .set("cross-origin-opener-policy", "same-origin"));
      return delegate.serve(ctx, req);
    });
  }

  /** The uPlot version on the classpath, from its WebJar's Maven metadata. */
  static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = WebUi.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static byte[] read(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
