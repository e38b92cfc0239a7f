package dev.sightline.semconv;

import dev.sightline.model.SpanCategory;
import java.util.Locale;
import java.util.Map;

/**
 * What a span does, from the first convention that says: OTel GenAI's operation name, OpenInference's
 * span kind, OpenLLMetry's span kind and request type, Langfuse's observation type, the Vercel AI
 * SDK's operation id, then HTTP and database conventions; spans from the browser agent are {@code browser}.
 */
final class Categories {
  private Categories() {}

  static SpanCategory of(Map<String, Object> a) {
    // spans made from the browser agent's events say so; their http.* keys describe the fetch
    if (a.get(Keys.RUM_TYPE) != null) {
      return SpanCategory.BROWSER;
    }
    SpanCategory c = fromOperation(Values.string(a.get(Keys.OPERATION)));
    if (c == null) {
      c = fromOpenInference(Values.string(a.get(Keys.OPENINFERENCE_KIND)));
    }
    if (c == null) {
      c = fromTraceloop(Values.string(a.get(Keys.TRACELOOP_KIND)));
    }
    if (c == null) {
      c = fromRequestType(Values.string(a.get(Keys.LLM_REQUEST_TYPE)));
    }
    if (c == null) {
      c = fromLangfuse(Values.string(a.get(Keys.LANGFUSE_TYPE)));
    }
    if (c == null) {
      c = fromVercel(Values.string(a.get(Keys.VERCEL_OPERATION)));
    }
    if (c == null && looksLikeGenAiCall(a)) {
      c = SpanCategory.LLM;
    }
    if (c == null && Values.first(a, Keys.HTTP_METHOD) != null) {
      c = SpanCategory.HTTP;
    }
    if (c == null && Values.first(a, Keys.DB_SYSTEM) != null) {
      c = SpanCategory.DB;
    }
    return c == null ? SpanCategory.OTHER : c;
  }

  /** Legacy GenAI spans (before {@code gen_ai.operation.name}) still name a model and a provider. */
  private static boolean looksLikeGenAiCall(Map<String, Object> a) {
    return a.get("gen_ai.request.model") != null
        && (a.get("gen_ai.system") != null || a.get("gen_ai.provider.name") != null);
  }

  static SpanCategory fromOperation(String op) {
    if (op == null) {
      return null;
    }
    return switch (op.toLowerCase(Locale.ROOT)) {
      case "chat", "text_completion", "completion", "generate_content", "responses", "response" ->
          SpanCategory.LLM;
      case "embeddings", "embedding", "embed" -> SpanCategory.EMBEDDING;
      case "execute_tool" -> SpanCategory.TOOL;
      case "invoke_agent", "create_agent" -> SpanCategory.AGENT;
      case "invoke_workflow", "workflow" -> SpanCategory.WORKFLOW;
      case "retrieval", "retrieve", "search" -> SpanCategory.RETRIEVAL;
      case "rerank" -> SpanCategory.RERANK;
      case "guardrail", "apply_guardrail" -> SpanCategory.GUARDRAIL;
      default -> null;
    };
  }

  static SpanCategory fromOpenInference(String kind) {
    if (kind == null) {
      return null;
    }
    return switch (kind.toUpperCase(Locale.ROOT)) {
      case "LLM" -> SpanCategory.LLM;
      case "EMBEDDING" -> SpanCategory.EMBEDDING;
      case "RETRIEVER" -> SpanCategory.RETRIEVAL;
      case "RERANKER" -> SpanCategory.RERANK;
      case "TOOL" -> SpanCategory.TOOL;
      case "AGENT" -> SpanCategory.AGENT;
      case "CHAIN" -> SpanCategory.WORKFLOW;
      case "GUARDRAIL" -> SpanCategory.GUARDRAIL;
      default -> null;
    };
  }

  static SpanCategory fromTraceloop(String kind) {
    if (kind == null) {
      return null;
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "workflow", "task" -> SpanCategory.WORKFLOW;
      case "agent" -> SpanCategory.AGENT;
      case "tool" -> SpanCategory.TOOL;
      default -> null;
    };
  }

  static SpanCategory fromRequestType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "chat", "completion" -> SpanCategory.LLM;
      case "embedding" -> SpanCategory.EMBEDDING;
      case "rerank" -> SpanCategory.RERANK;
      default -> null;
    };
  }

  static SpanCategory fromLangfuse(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "generation" -> SpanCategory.LLM;
      case "embedding" -> SpanCategory.EMBEDDING;
      case "agent" -> SpanCategory.AGENT;
      case "tool" -> SpanCategory.TOOL;
      case "chain" -> SpanCategory.WORKFLOW;
      case "retriever" -> SpanCategory.RETRIEVAL;
      case "guardrail" -> SpanCategory.GUARDRAIL;
      default -> null;
    };
  }

  /**
   * Vercel's inner {@code do*} spans are the provider calls; the outer {@code ai.generateText} /
   * {@code ai.streamText} spans wrap them (and repeat their usage), so they are workflows, never LLM
   * calls, to keep tokens from being counted twice.
   */
  static SpanCategory fromVercel(String operationId) {
    if (operationId == null || !operationId.startsWith("ai.")) {
      return null;
    }
    if (operationId.equals("ai.toolCall")) {
      return SpanCategory.TOOL;
    }
    if (operationId.endsWith(".doEmbed")) {
      return SpanCategory.EMBEDDING;
    }
    if (operationId.endsWith(".doGenerate") || operationId.endsWith(".doStream")) {
      return SpanCategory.LLM;
    }
    return SpanCategory.WORKFLOW;
  }
}
