package dev.sightline.semconv;

import dev.sightline.model.CallContext;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The normalize processor: reads a received span's attributes, whichever convention wrote them
 * (OTel GenAI in all its generations, OpenInference, OpenLLMetry, Langfuse, the Vercel AI SDK), and
 * derives its category, its canonical {@link LlmCall} and the attribute keys no mapping claimed.
 * Pure and thread-safe: one instance serves the whole pipeline. See docs/semconv.md.
 */
public final class SpanNormalizer {
  private static final SpanNormalizer INSTANCE = new SpanNormalizer();

  private SpanNormalizer() {}

  public static SpanNormalizer create() {
    return INSTANCE;
  }

  /** Returns raw.withNormalized(category, llmCallOrNull, unmappedKeys). Never throws on odd input. */
  public Span normalize(Span raw) {
    Map<String, Object> a = raw.attributes();
    SpanCategory category;
    try {
      category = Categories.of(a);
    } catch (RuntimeException e) {
      category = SpanCategory.OTHER;
    }
    LlmCall call = null;
    if (category == SpanCategory.LLM || category == SpanCategory.EMBEDDING) {
      try {
        call = llmCall(raw, a, category);
      } catch (RuntimeException | StackOverflowError e) {
        // A mapping bug must not lose the span: it is kept, with its category and no call.
        call = null;
      }
    }
    return raw.withNormalized(category, call, unmapped(a));
  }

  private static LlmCall llmCall(Span span, Map<String, Object> a, SpanCategory category) {
    String provider = provider(a);
    Conversation.Result conversation = Conversation.of(a, span.events());
    Usage usage = UsageBuckets.of(a, provider);
    return new LlmCall(
        provider,
        operation(a, category),
        Values.firstString(a, Keys.REQUEST_MODEL),
        Values.firstString(a, Keys.RESPONSE_MODEL),
        streaming(a),
        usage,
        FirstToken.timing(span.startEpochNanos(), span.endEpochNanos(), a, span.events()),
        reportedCost(a),
        Outcomes.of(span, a, conversation.finishReasons()),
        context(span, a),
        conversation.content(),
        serviceTier(a));
  }

  /**
   * The service tier, lower-cased: {@code openai.response.service_tier} →
   * {@code gen_ai.openai.response.service_tier} → {@code service_tier} in an OpenInference
   * {@code output.value} response (top level, as OpenAI sends it, or in {@code usage}, as Anthropic
   * does) → {@code openai.request.service_tier} → {@code gen_ai.openai.request.service_tier} →
   * {@code service_tier} in {@code llm.invocation_parameters}. Null when none says.
   */
  static String serviceTier(Map<String, Object> a) {
    String tier = Values.firstString(a, Keys.SERVICE_TIER_RESPONSE);
    if (tier == null) {
      tier = jsonServiceTier(a.get(Keys.OI_OUTPUT_VALUE));
    }
    if (tier == null) {
      tier = Values.firstString(a, Keys.SERVICE_TIER_REQUEST);
    }
    if (tier == null) {
      tier = jsonServiceTier(a.get(Keys.INVOCATION_PARAMETERS));
    }
    return tier == null || tier.isBlank() ? null : tier.trim().toLowerCase(Locale.ROOT);
  }

  private static String jsonServiceTier(Object value) {
    if (!(value instanceof String s) || !s.startsWith("{") || !s.contains("\"service_tier\"")
        || !(Json.parseOrNull(s) instanceof Map<?, ?> m)) {
      return null;
    }
    String tier = Values.string(m.get("service_tier"));
    if (tier == null && m.get("usage") instanceof Map<?, ?> usage) {
      tier = Values.string(usage.get("service_tier"));
    }
    return tier;
  }

  static String provider(Map<String, Object> a) {
    for (String k : Keys.PROVIDER) {
      String p = Providers.canonical(Values.string(a.get(k)));
      if (p != null) {
        return p;
      }
    }
    return Providers.fromServerAddress(Values.string(a.get(Keys.SERVER_ADDRESS)),
        Values.integer(a.get(Keys.SERVER_PORT)));
  }

  /**
   * {@code gen_ai.operation.name}, else what the instrumentation implies: OpenLLMetry's request type,
   * the Vercel provider id's suffix ({@code openai.responses}) or operation id, the object type of an
   * OpenInference raw response; else {@code chat} (or {@code embeddings}).
   */
  static String operation(Map<String, Object> a, SpanCategory category) {
    String op = Values.string(a.get(Keys.OPERATION));
    if (op != null) {
      return op.toLowerCase(Locale.ROOT);
    }
    if (category == SpanCategory.EMBEDDING) {
      return "embeddings";
    }
    String type = Values.lower(Values.string(a.get(Keys.LLM_REQUEST_TYPE)));
    if (type != null) {
      return switch (type) {
        case "completion" -> "text_completion";
        case "embedding" -> "embeddings";
        default -> type;
      };
    }
    String vercel = Values.lower(Values.firstString(a, Keys.VERCEL_PROVIDER, "gen_ai.system"));
    if (vercel != null && a.get(Keys.VERCEL_OPERATION) != null) {
      if (vercel.endsWith(".responses")) {
        return "responses";
      }
      if (vercel.endsWith(".completion")) {
        return "text_completion";
      }
      return "chat";
    }
    String output = Values.string(a.get(Keys.OI_OUTPUT_VALUE));
    if (output != null && output.startsWith("{")) {
      int i = output.indexOf("\"object\"");
      if (i >= 0) {
        String rest = output.substring(i, Math.min(output.length(), i + 40));
        if (rest.contains("\"response\"")) {
          return "responses";
        }
        if (rest.contains("\"text_completion\"")) {
          return "text_completion";
        }
      }
    }
    return "chat";
  }

  /** {@code gen_ai.request.stream} → {@code llm.is_streaming} → OpenInference invocation parameters → Vercel stream ops. */
  static Boolean streaming(Map<String, Object> a) {
    for (String k : Keys.STREAM) {
      Boolean b = Values.bool(a.get(k));
      if (b != null) {
        return b;
      }
    }
    Object params = a.get(Keys.INVOCATION_PARAMETERS);
    if (params instanceof String s && s.contains("\"stream\"")
        && Json.parseOrNull(s) instanceof Map<?, ?> m) {
      Boolean b = Values.bool(m.get("stream"));
      if (b != null) {
        return b;
      }
    }
    String opId = Values.string(a.get(Keys.VERCEL_OPERATION));
    if (opId != null && opId.startsWith("ai.")) {
      if (opId.startsWith("ai.stream")) {
        return Boolean.TRUE;
      }
      if (opId.startsWith("ai.generate") || opId.startsWith("ai.embed")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  private static CallContext context(Span span, Map<String, Object> a) {
    return new CallContext(span.traceId(), span.spanId(), span.service(), null,
        Values.firstString(a, Keys.SESSION), Values.firstString(a, Keys.USER),
        Values.firstString(a, Keys.PROMPT_NAME), Values.firstString(a, Keys.PROMPT_VERSION), tags(a));
  }

  private static List<String> tags(Map<String, Object> a) {
    Set<String> tags = null;
    for (String k : Keys.TAGS) {
      List<String> t = Values.strings(a.get(k));
      if (t != null) {
        if (tags == null) {
          tags = new LinkedHashSet<>();
        }
        tags.addAll(t);
      }
    }
    return tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * A cost the source reported, kept for the pricer to set beside its own: {@code llm.cost.total} →
   * {@code gen_ai.usage.cost} → pydantic-ai/Logfire's {@code operation.cost} → Langfuse's cost details
   * total → the sum of OpenInference's prompt and completion costs. Null when none is reported.
   */
  static Cost reportedCost(Map<String, Object> a) {
    BigDecimal reported = null;
    for (String k : Keys.REPORTED_COST) {
      reported = nonNegative(Values.money(a.get(k)));
      if (reported != null) {
        break;
      }
    }
    if (reported == null && a.get(Keys.LANGFUSE_COST_DETAILS) != null) {
      Object details = a.get(Keys.LANGFUSE_COST_DETAILS);
      Object parsed = details instanceof String s ? Json.parseOrNull(s) : details;
      if (parsed instanceof Map<?, ?> m) {
        reported = nonNegative(Values.money(m.get("total")));
      }
    }
    if (reported == null) {
      BigDecimal sum = null;
      for (String k : Keys.REPORTED_COST_PARTS) {
        BigDecimal part = nonNegative(Values.money(a.get(k)));
        if (part != null) {
          sum = sum == null ? part : sum.add(part);
        }
      }
      reported = sum;
    }
    return reported == null ? null : Cost.unpriced("not priced yet", reported);
  }

  private static BigDecimal nonNegative(BigDecimal d) {
    return d == null || d.signum() < 0 ? null : d;
  }

  private static List<String> unmapped(Map<String, Object> a) {
    if (a.isEmpty()) {
      return List.of();
    }
    List<String> out = null;
    for (String k : a.keySet()) {
      if (k != null && !Keys.isClaimed(k)) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(k);
      }
    }
    return out == null ? List.of() : out;
  }
}
