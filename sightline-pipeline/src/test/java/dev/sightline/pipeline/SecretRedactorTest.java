package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials recorded as attributes are masked before storage; everything else is untouched. */
class SecretRedactorTest {
  @Test
  void capturedCredentialHeadersAndSecretNamedKeysAreMasked() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("http.request.header.authorization", List.of("Bearer sk-live-123"));
    a.put("http.request.header.Cookie", "session=abc");
    a.put("http.response.header.set-cookie", List.of("id=1"));
    a.put("http.request.header.x-api-key", "sk-ant-xyz");
    a.put("db.connection.password", "hunter2");
    a.put("app.openai.api_key", "sk-proj-1");
    a.put("gen_ai.usage.input_tokens", 120L);      // "token" in a key is not a secret
    a.put("http.request.header.content-type", "application/json");
    a.put("user.id", "u1");
    Span s = Span.received("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, "POST /chat", SpanKind.SERVER,
        1, 2, SpanStatus.OK, null, "svc", null, a, Map.of("cloud.secret_access_key", "AKIA…"),
        List.of(new SpanEvent("ev", 1, Map.of("http.request.header.proxy-authorization", "Basic x"))));
    TelemetryBatch out = PipelineTest.PROCESSOR.process(new TelemetryBatch("test", List.of(s),
        List.of(new LogRecord(1, 1, null, null, 9, "INFO", null, "body", "svc", null,
            Map.of("password", "p"), Map.of())), List.of()));
    Map<String, Object> r = out.spans().get(0).attributes();
    assertThat(r.get("http.request.header.authorization")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("http.request.header.Cookie")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("http.response.header.set-cookie")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("http.request.header.x-api-key")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("db.connection.password")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("app.openai.api_key")).isEqualTo(SecretRedactor.MASK);
    assertThat(r.get("gen_ai.usage.input_tokens")).isEqualTo(120L);
    assertThat(r.get("http.request.header.content-type")).isEqualTo("application/json");
    assertThat(r.get("user.id")).isEqualTo("u1");
    assertThat(List.copyOf(r.keySet())).isEqualTo(List.copyOf(a.keySet())); // keys and order kept
    assertThat(out.spans().get(0).resourceAttributes().get("cloud.secret_access_key")).isEqualTo(SecretRedactor.MASK);
    assertThat(out.spans().get(0).events().get(0).attributes().get("http.request.header.proxy-authorization"))
        .isEqualTo(SecretRedactor.MASK);
    assertThat(out.logs().get(0).attributes().get("password")).isEqualTo(SecretRedactor.MASK);
  }

  @Test
  void aCleanSpanIsPassedThroughAsTheSameInstance() {
    Span s = Span.received("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, "x", SpanKind.INTERNAL, 1, 2,
        SpanStatus.OK, null, "svc", null, Map.of("http.request.method", "GET"), Map.of(), List.of());
    assertThat(SecretRedactor.redact(s)).isSameAs(s);
  }
}
