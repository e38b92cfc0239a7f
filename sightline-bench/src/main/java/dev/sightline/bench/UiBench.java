package dev.sightline.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium over a store of millions of LLM calls: the time from
 * navigation until the overview has drawn every chart and table (stricter than first paint; the
 * first contentful paint is reported beside it), and until a 10,000-span trace view has drawn
 * its waterfall; then how long a frame takes while the waterfall scrolls through all its spans.
 */
public final class UiBench {
  static final String BIG_TRACE = "5151000000000000000000000000beef";

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(arg(args, "--calls", "10000000"));
    int runs = Integer.parseInt(arg(args, "--runs", "7"));
    int spans = Integer.parseInt(arg(args, "--trace-spans", "10000"));
    Path dataDir = Path.of(arg(args, "--data-dir", "bench-data/ui-" + calls));
    Report report = new Report("ui");
    SummaryBench.fill(report, dataDir, calls); // opening the store also migrates and rolls it up
    try (ServerProcess server = new ServerProcess(dataDir, Files.createTempFile("sightline-ui", ".log"),
        IngestBench.serverJvmArgs("-Xmx2g"))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.httpPort;
      if (http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/traces/" + BIG_TRACE)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 404) {
        sendBigTrace(http, server.otlpHttpPort, spans);
        report.line(String.format("sent a trace of %,d spans (%s)", spans, BIG_TRACE));
      }
      report.line("server RSS after start: " + Report.mib(server.rssBytes()));
      ChromeDriver driver = browser();
      try {
        JavascriptExecutor js = driver;
        for (String[] page : new String[][] {{"overview", "/overview?range=30d"}, {"trace", "/traces/" + BIG_TRACE}}) {
          double[] ready = new double[runs];
          double[] painted = new double[runs];
          double[] fcp = new double[runs];
          for (int i = 0; i < runs; i++) {
            driver.get("about:blank");
            driver.get(base + page[1]);
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
              String r = d.findElement(By.tagName("body")).getAttribute("data-ready");
              if (r != null && r.endsWith(":error")) {
                throw new IllegalStateException(d.findElement(By.tagName("main")).getText());
              }
              return page[0].equals(r);
            });
            ready[i] = Double.parseDouble(driver.findElement(By.tagName("body")).getAttribute("data-ready-at"));
            painted[i] = Double.parseDouble(driver.findElement(By.tagName("body")).getAttribute("data-painted-at"));
            Object p = js.executeScript("const e = performance.getEntriesByName('first-contentful-paint');"
                + " return e.length ? e[0].startTime : -1");
            fcp[i] = ((Number) p).doubleValue();
          }
          Object api = js.executeScript("const r = performance.getEntriesByType('resource')"
              + ".filter(e => e.name.includes('/api/')); if (!r.length) return '';"
              + " const slow = r.reduce((a, b) => a.duration > b.duration ? a : b);"
              + " return Math.round(Math.max(...r.map(e => e.responseEnd))) + ' ms; slowest ' + Math.round(slow.duration)"
              + " + ' ms ' + new URL(slow.name).pathname + new URL(slow.name).search + '; ' + r.length + ' requests'");
          report.line("  last load: API answers in at " + api);
          report.line("  last load, page: " + js.executeScript("const n = performance.getEntriesByType('navigation')[0];"
              + " const ui = performance.getEntriesByType('resource').filter(e => e.name.includes('/ui/'));"
              + " return 'HTML in ' + Math.round(n.responseEnd) + ' ms, DOM interactive ' + Math.round(n.domInteractive)"
              + " + ' ms, scripts and styles in ' + Math.round(Math.max(...ui.map(e => e.responseEnd)))"
              + " + ' ms (' + ui.length + ' files)'"));
          double[] s = Report.sorted(java.util.Arrays.copyOfRange(ready, 1, runs));
          double[] p = Report.sorted(java.util.Arrays.copyOfRange(painted, 1, runs));
          report.line(String.format("%-8s %s: figures and charts painted after %.0f ms on the first load, then median"
                  + " %.0f ms, max %.0f ms; every section complete: first %.0f ms, median %.0f ms, max %.0f ms (%d loads);"
                  + " first contentful paint median %.0f ms", page[0], page[1], painted[0], Report.percentile(p, 50),
              p[p.length - 1], ready[0], Report.percentile(s, 50), s[s.length - 1], s.length,
              Report.percentile(Report.sorted(fcp), 50)));
          if (page[0].equals("overview")) {
            report.line("  overview shows: " + driver.findElement(By.cssSelector("[data-kpi=requests] .value")).getText()
                + " requests, " + driver.findElements(By.cssSelector(".uplot canvas")).size() + " chart canvases");
          } else {
            report.line("  waterfall rows in the DOM: " + driver.findElements(By.cssSelector(".wf-row")).size()
                + " of " + spans + " spans (virtualised)");
            Object frame = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " const w = document.getElementById('waterfall'); const steps = 200; let i = 0;"
                + " const max = w.scrollHeight - w.clientHeight; const t0 = performance.now();"
                + " function step() { if (i > steps) { done((performance.now() - t0) / steps); return; }"
                + "   w.scrollTop = max * i / steps; i++; requestAnimationFrame(step); } step();");
            report.line(String.format("  scrolling the waterfall top to bottom: %.1f ms per frame (200 frames; 16.7 ms = 60 fps)",
                ((Number) frame).doubleValue()));
          }
        }
      } finally {
        driver.quit();
      }
      report.line("targets: overview under 1,000 ms over 10 M calls; 10,000-span trace view under 2,000 ms");
      report.line("server RSS after the loads: " + Report.mib(server.rssBytes()) + ", VmHWM "
          + Report.mib(server.peakRssBytes()) + " (JVM -Xmx2g)");
    }
    report.save();
  }

  private static ChromeDriver browser() throws Exception {
    String chromium = System.getenv().getOrDefault("SIGHTLINE_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = System.getenv().getOrDefault("SIGHTLINE_CHROMEDRIVER", "/usr/bin/chromedriver");
    if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
      throw new IllegalStateException("this benchmark needs Debian's chromium and chromium-driver:"
          + " apt-get install -y chromium chromium-driver");
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("sightline-ui-bench"));
    ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build(), o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    return d;
  }

  /**
   * A 10,000-span agent trace: a root, 100 steps (tool / retrieval / agent), each with 99 children
   * of which every third is an LLM call with usage and timing; sent over OTLP/HTTP in batches.
   */
  static void sendBigTrace(HttpClient http, int otlpPort, int spans) throws Exception {
    ByteString trace = ByteString.copyFrom(hex(BIG_TRACE));
    long now = System.currentTimeMillis() * 1_000_000L;
    long t0 = now - 600_000_000_000L;
    List<Span> all = new ArrayList<>();
    ByteString root = id(1);
    all.add(Span.newBuilder().setTraceId(trace).setSpanId(root).setName("POST /agent/run")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(t0).setEndTimeUnixNano(t0 + 590_000_000_000L)
        .addAttributes(str("http.request.method", "POST")).build());
    int steps = 100;
    int perStep = Math.max(1, (spans - 1 - steps) / steps);
    long n = 2;
    String[] kinds = {"TOOL", "RETRIEVER", "AGENT"};
    for (int s = 0; s < steps; s++) {
      long sStart = t0 + s * 5_800_000_000L;
      ByteString step = id(n++);
      all.add(Span.newBuilder().setTraceId(trace).setSpanId(step).setParentSpanId(root).setName("step " + s)
          .setStartTimeUnixNano(sStart).setEndTimeUnixNano(sStart + 5_700_000_000L)
          .addAttributes(str("openinference.span.kind", kinds[s % 3])).build());
      for (int c = 0; c < perStep && all.size() < spans; c++) {
        long cStart = sStart + c * 57_000_000L;
        Span.Builder b = Span.newBuilder().setTraceId(trace).setSpanId(id(n++)).setParentSpanId(step)
            .setStartTimeUnixNano(cStart).setEndTimeUnixNano(cStart + 50_000_000L);
        if (c % 3 == 0) {
          b.setName("chat gpt-4o-mini").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(str("gen_ai.operation.name", "chat")).addAttributes(str("gen_ai.provider.name", "openai"))
              .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
              .addAttributes(num("gen_ai.usage.input_tokens", 900 + c)).addAttributes(num("gen_ai.usage.output_tokens", 60))
              .addAttributes(KeyValue.newBuilder().setKey("gen_ai.response.time_to_first_chunk")
                  .setValue(AnyValue.newBuilder().setDoubleValue(0.012)));
        } else {
          b.setName(c % 3 == 1 ? "SELECT documents" : "tool call lookup").addAttributes(str("db.system.name", "postgresql"));
        }
        all.add(b.build());
      }
    }
    while (all.size() < spans) {
      all.add(Span.newBuilder().setTraceId(trace).setSpanId(id(n++)).setParentSpanId(root).setName("tail")
          .setStartTimeUnixNano(t0).setEndTimeUnixNano(t0 + 1_000_000L).build());
    }
    for (int i = 0; i < all.size(); i += 1000) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder().addAllSpans(all.subList(i, Math.min(all.size(), i + 1000)));
      byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(str("service.name", "agent-runner")))
          .addScopeSpans(scope)).build().toByteArray();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpPort + "/v1/traces"))
          .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("OTLP export failed: " + r.statusCode() + " " + r.body());
      }
    }
  }

  private static ByteString id(long n) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0x7700_0000_0000L + n).array());
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue num(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
