package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.access.KeyKind;
import dev.sightline.access.Retention;
import dev.sightline.server.config.AccessConfig;
import dev.sightline.server.config.RetentionConfig;
import dev.sightline.server.config.SightlineConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through the server: a project's own days win over the server-wide --retention, and
 * each project's store loses exactly its own old data.
 */
class ProjectRetentionTest {
  @TempDir Path dir;

  @Test
  void aProjectsOwnRetentionWinsOverTheServerWideOne() throws Exception {
    try (SightlineServer server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withAccess(AccessConfig.keys("correct-horse-battery")).withRetention(new RetentionConfig(30, null)))) {
      server.accessControl().createProject("short", new Retention(2, null));
      Instant now = Instant.now();
      for (String project : new String[] {"default", "short"}) {
        String key = server.accessControl().createKey(project, KeyKind.INGEST, "test", null).secret();
        // one call 5 days old, one 40 days old, one now
        send(server, key, now.minus(5, ChronoUnit.DAYS), now.minus(40, ChronoUnit.DAYS), now.minusSeconds(60));
      }
      for (String project : new String[] {"default", "short"}) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.stores().store(project).spanCount() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(server.stores().store(project).spanCount()).as(project).isEqualTo(3);
      }

      server.retention().runOnce();

      // default keeps 30 days (the 40-day-old span goes); short keeps 2 (only the recent one stays)
      assertThat(server.stores().store("default").spanCount()).isEqualTo(2);
      assertThat(server.stores().store("short").spanCount()).isEqualTo(1);
      assertThat(server.retention().deletedTotals().get("short").get("spans")).isEqualTo(2L);
      // a second round finds nothing more
      server.retention().runOnce();
      assertThat(server.stores().store("short").spanCount()).isEqualTo(1);
    }
  }

  private static void send(SightlineServer server, String key, Instant... starts) {
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "retention-test")))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").addHeader("x-sightline-key", key)
            .build()))
        .build()) {
      Tracer tracer = tracing.get("retention-test");
      for (Instant start : starts) {
        tracer.spanBuilder("chat").setNoParent().setStartTimestamp(start).setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.request.model", "gpt-4o-mini").setAttribute("gen_ai.provider.name", "openai")
            .startSpan().end(start.plusSeconds(1));
      }
      tracing.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }
}
