package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.attrs;
import static dev.sightline.semconv.Spans.chat;
import static dev.sightline.semconv.Spans.normalize;
import static dev.sightline.semconv.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeAndContextRulesTest {
  private static LlmCall call(SpanStatus status, List<SpanEvent> events, Object... kv) {
    Map<String, Object> a = attrs("gen_ai.operation.name", "chat");
    a.putAll(attrs(kv));
    return normalize(span(a, events, status)).llm();
  }

  @Test
  void errorFromSpanStatusErrorTypeOrHttpStatus() {
    assertThat(call(SpanStatus.UNSET, List.of()).outcome()).isEqualTo(Outcome.OK);
    assertThat(call(SpanStatus.ERROR, List.of()).outcome().status()).isEqualTo(CallStatus.ERROR);
    Outcome typed = call(SpanStatus.UNSET, List.of(), "error.type", "rate_limit_error").outcome();
    assertThat(typed.status()).isEqualTo(CallStatus.ERROR);
    assertThat(typed.errorType()).isEqualTo("rate_limit_error");
    Outcome http = call(SpanStatus.UNSET, List.of(), "http.response.status_code", 429L).outcome();
    assertThat(http.status()).isEqualTo(CallStatus.ERROR);
    assertThat(http.httpStatus()).isEqualTo(429);
    assertThat(http.errorType()).isEqualTo("429");
    Outcome old = call(SpanStatus.UNSET, List.of(), "http.status_code", "200").outcome();
    assertThat(old.status()).isEqualTo(CallStatus.OK);
    assertThat(old.httpStatus()).isEqualTo(200);
  }

  @Test
  void errorTypeFallsBackToTheExceptionEvent() {
    SpanEvent ex = new SpanEvent("exception", Spans.START, Map.of("exception.type", "TimeoutError"));
    assertThat(call(SpanStatus.ERROR, List.of(ex)).outcome().errorType()).isEqualTo("TimeoutError");
    assertThat(call(SpanStatus.ERROR, List.of(ex), "error.type", "timeout").outcome().errorType())
        .isEqualTo("timeout");
  }

  @Test
  void finishReasonsAsArrayJsonTextOrVercel() {
    assertThat(call(SpanStatus.UNSET, List.of(), "gen_ai.response.finish_reasons", List.of("stop", "length"))
        .outcome().finishReasons()).containsExactly("stop", "length");
    assertThat(call(SpanStatus.UNSET, List.of(), "gen_ai.response.finish_reasons", "[\"tool_calls\"]")
        .outcome().finishReasons()).containsExactly("tool_calls");
    assertThat(call(SpanStatus.UNSET, List.of(), "ai.response.finishReason", "stop").outcome().finishReasons())
        .containsExactly("stop");
  }

  @Test
  void streaming() {
    assertThat(call(SpanStatus.UNSET, List.of(), "gen_ai.request.stream", true).streaming()).isTrue();
    assertThat(call(SpanStatus.UNSET, List.of(), "llm.is_streaming", "false").streaming()).isFalse();
    assertThat(call(SpanStatus.UNSET, List.of(), "ai.operationId", "ai.streamText.doStream").streaming()).isTrue();
    assertThat(call(SpanStatus.UNSET, List.of()).streaming()).isNull();
  }

  @Test
  void sessionAndUserPrecedence() {
    CallContext c = call(SpanStatus.UNSET, List.of(), "gen_ai.conversation.id", "conv", "session.id", "s",
        "traceloop.association.properties.session_id", "t", "langfuse.session.id", "l",
        "user.id", "u", "enduser.id", "e", "traceloop.association.properties.user_id", "tu",
        "langfuse.user.id", "lu").context();
    assertThat(c.sessionId()).isEqualTo("conv");
    assertThat(c.userId()).isEqualTo("u");
    CallContext later = call(SpanStatus.UNSET, List.of(), "traceloop.association.properties.session_id", "t",
        "langfuse.session.id", "l", "langfuse.user.id", "lu", "traceloop.association.properties.user_id", "tu")
        .context();
    assertThat(later.sessionId()).isEqualTo("t");
    assertThat(later.userId()).isEqualTo("tu");
    assertThat(call(SpanStatus.UNSET, List.of(), "langfuse.session.id", "l", "langfuse.user.id", "lu").context())
        .extracting(CallContext::sessionId, CallContext::userId).containsExactly("l", "lu");
  }

  @Test
  void idsServicePromptAndTags() {
    CallContext c = call(SpanStatus.UNSET, List.of(), "langfuse.prompt.name", "greeter", "langfuse.prompt.version",
        3L, "langfuse.trace.tags", List.of("a", "b"), "tag.tags", "[\"b\",\"c\"]").context();
    assertThat(c.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(c.service()).isEqualTo("svc");
    assertThat(c.route()).isNull();
    assertThat(c.promptName()).isEqualTo("greeter");
    assertThat(c.promptVersion()).isEqualTo("3");
    assertThat(c.tags()).containsExactly("a", "b", "c");
    assertThat(call(SpanStatus.UNSET, List.of(), "traceloop.association.properties.prompt_name", "p").context()
        .promptName()).isEqualTo("p");
  }

  @Test
  void reportedCostIsKeptForThePricer() {
    var cost = call(SpanStatus.UNSET, List.of(), "llm.cost.total", 0.0123).cost();
    assertThat(cost.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(cost.reason()).isEqualTo("not priced yet");
    assertThat(cost.reportedUsd()).isEqualByComparingTo("0.0123");
    assertThat(call(SpanStatus.UNSET, List.of(), "gen_ai.usage.cost", "0.5").cost().reportedUsd())
        .isEqualByComparingTo(new BigDecimal("0.5"));
    assertThat(call(SpanStatus.UNSET, List.of(), "langfuse.observation.cost_details", "{\"total\": 0.002}").cost()
        .reportedUsd()).isEqualByComparingTo("0.002");
    assertThat(call(SpanStatus.UNSET, List.of(), "llm.cost.prompt", 0.1, "llm.cost.completion", 0.2).cost()
        .reportedUsd()).isEqualByComparingTo("0.3");
    assertThat(call(SpanStatus.UNSET, List.of()).cost()).isNull();
    assertThat(call(SpanStatus.UNSET, List.of(), "llm.cost.total", "NaN").cost()).isNull();
  }

  @Test
  void operationAndModels() {
    LlmCall c = call(SpanStatus.UNSET, List.of(), "gen_ai.request.model", "a", "llm.request.model_name", "b",
        "llm.model_name", "c", "gen_ai.response.model", "r", "llm.response.model_name", "s");
    assertThat(c.operation()).isEqualTo("chat");
    assertThat(c.requestModel()).isEqualTo("a");
    assertThat(c.responseModel()).isEqualTo("r");
    LlmCall oi = normalize(span(attrs("openinference.span.kind", "LLM", "llm.model_name", "m"))).llm();
    assertThat(oi.requestModel()).isEqualTo("m");
    assertThat(oi.responseModel()).isEqualTo("m");
    assertThat(oi.operation()).isEqualTo("chat");
    assertThat(normalize(span(attrs("llm.request.type", "completion"))).llm().operation())
        .isEqualTo("text_completion");
    assertThat(normalize(chat()).llm().operation()).isEqualTo("chat");
  }
}
