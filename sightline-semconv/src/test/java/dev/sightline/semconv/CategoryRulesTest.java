package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.attrs;
import static dev.sightline.semconv.Spans.normalize;
import static dev.sightline.semconv.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.SpanCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CategoryRulesTest {
  private static SpanCategory category(Object... kv) {
    return normalize(span(attrs(kv))).category();
  }

  @ParameterizedTest
  @CsvSource({
      "chat, LLM", "text_completion, LLM", "generate_content, LLM", "responses, LLM",
      "embeddings, EMBEDDING", "execute_tool, TOOL", "invoke_agent, AGENT", "create_agent, AGENT",
      "invoke_workflow, WORKFLOW", "retrieval, RETRIEVAL", "rerank, RERANK"})
  void genAiOperationName(String op, SpanCategory expected) {
    assertThat(category("gen_ai.operation.name", op)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "LLM, LLM", "EMBEDDING, EMBEDDING", "RETRIEVER, RETRIEVAL", "RERANKER, RERANK", "TOOL, TOOL",
      "AGENT, AGENT", "CHAIN, WORKFLOW", "GUARDRAIL, GUARDRAIL", "llm, LLM"})
  void openInferenceSpanKind(String kind, SpanCategory expected) {
    assertThat(category("openinference.span.kind", kind)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"workflow, WORKFLOW", "task, WORKFLOW", "agent, AGENT", "tool, TOOL"})
  void traceloopSpanKind(String kind, SpanCategory expected) {
    assertThat(category("traceloop.span.kind", kind)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"chat, LLM", "completion, LLM", "embedding, EMBEDDING", "rerank, RERANK"})
  void traceloopRequestType(String type, SpanCategory expected) {
    assertThat(category("llm.request.type", type)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"generation, LLM", "embedding, EMBEDDING", "agent, AGENT", "tool, TOOL", "chain, WORKFLOW",
      "retriever, RETRIEVAL", "guardrail, GUARDRAIL"})
  void langfuseObservationType(String type, SpanCategory expected) {
    assertThat(category("langfuse.observation.type", type)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"ai.generateText.doGenerate, LLM", "ai.streamText.doStream, LLM", "ai.embed.doEmbed, EMBEDDING",
      "ai.embedMany.doEmbed, EMBEDDING", "ai.toolCall, TOOL", "ai.generateText, WORKFLOW",
      "ai.streamText, WORKFLOW"})
  void vercelOperationId(String op, SpanCategory expected) {
    assertThat(category("ai.operationId", op)).isEqualTo(expected);
  }

  @Test
  void vercelWrapperSpansCarryNoCallSoTokensAreNotCountedTwice() {
    var s = normalize(span(attrs("ai.operationId", "ai.generateText", "ai.usage.promptTokens", 10L,
        "gen_ai.request.model", "gpt-4o", "gen_ai.system", "openai")));
    assertThat(s.category()).isEqualTo(SpanCategory.WORKFLOW);
    assertThat(s.llm()).isNull();
  }

  @Test
  void precedence_operationNameBeatsOpenInferenceBeatsTraceloop() {
    assertThat(category("openinference.span.kind", "TOOL", "gen_ai.operation.name", "chat"))
        .isEqualTo(SpanCategory.LLM);
    assertThat(category("traceloop.span.kind", "workflow", "openinference.span.kind", "AGENT"))
        .isEqualTo(SpanCategory.AGENT);
    // An unknown operation name falls through to the next convention.
    assertThat(category("gen_ai.operation.name", "something_new", "openinference.span.kind", "RETRIEVER"))
        .isEqualTo(SpanCategory.RETRIEVAL);
  }

  @Test
  void httpThenDbThenOther() {
    assertThat(category("http.request.method", "GET")).isEqualTo(SpanCategory.HTTP);
    assertThat(category("http.method", "POST")).isEqualTo(SpanCategory.HTTP);
    assertThat(category("db.system.name", "postgresql")).isEqualTo(SpanCategory.DB);
    assertThat(category("db.system", "redis")).isEqualTo(SpanCategory.DB);
    assertThat(category("http.request.method", "POST", "gen_ai.operation.name", "chat")).isEqualTo(SpanCategory.LLM);
    assertThat(category("foo", "bar")).isEqualTo(SpanCategory.OTHER);
    assertThat(category()).isEqualTo(SpanCategory.OTHER);
  }

  @Test
  void legacyGenAiSpanWithoutOperationNameIsAnLlmCall() {
    assertThat(category("gen_ai.system", "openai", "gen_ai.request.model", "gpt-4")).isEqualTo(SpanCategory.LLM);
  }

  @Test
  void onlyLlmAndEmbeddingSpansCarryACall() {
    assertThat(normalize(span(attrs("gen_ai.operation.name", "embeddings", "gen_ai.request.model", "e3")))
        .llm().operation()).isEqualTo("embeddings");
    assertThat(normalize(span(attrs("gen_ai.operation.name", "execute_tool"))).llm()).isNull();
    assertThat(normalize(span(attrs("gen_ai.operation.name", "invoke_agent", "gen_ai.usage.input_tokens", 5L)))
        .llm()).isNull();
  }
}
