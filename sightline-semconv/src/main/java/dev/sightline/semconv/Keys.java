package dev.sightline.semconv;

import java.util.Set;

/**
 * Every attribute key a mapping reads, grouped by the field it feeds, in precedence order
 * (ARCHITECTURE.md §4). The arrays are the precedence tables; {@link #isClaimed} answers which
 * keys are not unmapped.
 */
final class Keys {
  private Keys() {}

  static final String OPERATION = "gen_ai.operation.name";
  static final String OPENINFERENCE_KIND = "openinference.span.kind";
  static final String TRACELOOP_KIND = "traceloop.span.kind";
  static final String LLM_REQUEST_TYPE = "llm.request.type";
  static final String LANGFUSE_TYPE = "langfuse.observation.type";
  static final String VERCEL_OPERATION = "ai.operationId";
  static final String VERCEL_PROVIDER = "ai.model.provider";

  static final String[] PROVIDER = {"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system",
      VERCEL_PROVIDER};
  static final String SERVER_ADDRESS = "server.address";
  static final String SERVER_PORT = "server.port";

  static final String[] REQUEST_MODEL = {"gen_ai.request.model", "llm.request.model_name", "llm.model_name",
      "ai.model.id", "langfuse.observation.model.name"};
  static final String[] RESPONSE_MODEL = {"gen_ai.response.model", "llm.response.model_name", "llm.model_name",
      "ai.response.model"};

  static final String[] INPUT = {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
      "llm.token_count.prompt", "llm.usage.prompt_tokens", "ai.usage.inputTokens", "ai.usage.promptTokens"};
  static final String[] OUTPUT = {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
      "llm.token_count.completion", "llm.usage.completion_tokens", "ai.usage.outputTokens",
      "ai.usage.completionTokens"};
  /** Names that copy Anthropic's own usage fields ({@code cache_read_input_tokens}…). */
  static final String[] ANTHROPIC_CACHE_READ = {"gen_ai.usage.cache_read_input_tokens",
      "llm.usage.cache_read_input_tokens"};
  static final String[] ANTHROPIC_CACHE_WRITE = {"gen_ai.usage.cache_creation_input_tokens",
      "llm.usage.cache_creation_input_tokens"};
  static final String[] CACHE_READ = {"gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read",
      "llm.usage.cache_read_input_tokens", "ai.usage.cachedInputTokens"};
  static final String[] CACHE_WRITE = {"gen_ai.usage.cache_write.input_tokens",
      "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
      "llm.token_count.prompt_details.cache_write", "llm.usage.cache_creation_input_tokens"};
  static final String CACHE_WRITE_5M = "gen_ai.usage.cache_creation.ephemeral_5m_input_tokens";
  static final String CACHE_WRITE_1H = "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens";
  static final String[] REASONING = {"gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
      "llm.usage.reasoning_tokens", "llm.token_count.completion_details.reasoning",
      "gen_ai.usage.details.reasoning_tokens", "gen_ai.usage.details.thoughts_tokens",
      "ai.usage.reasoningTokens"};
  /** Totals are derived from the buckets, never read; listed so they are not reported unmapped. */
  static final String[] TOTALS = {"gen_ai.usage.total_tokens", "llm.token_count.total", "llm.usage.total_tokens",
      "ai.usage.totalTokens"};

  static final String[] SESSION = {"gen_ai.conversation.id", "session.id",
      "traceloop.association.properties.session_id", "langfuse.session.id", "ai.telemetry.metadata.sessionId"};
  static final String[] USER = {"user.id", "enduser.id", "traceloop.association.properties.user_id",
      "langfuse.user.id", "ai.telemetry.metadata.userId"};
  static final String[] PROMPT_NAME = {"gen_ai.prompt.name", "langfuse.prompt.name",
      "langfuse.observation.prompt.name", "traceloop.association.properties.prompt_name", "traceloop.prompt.key"};
  static final String[] PROMPT_VERSION = {"gen_ai.prompt.version", "langfuse.prompt.version",
      "langfuse.observation.prompt.version", "traceloop.association.properties.prompt_version",
      "traceloop.prompt.version"};
  static final String[] TAGS = {"langfuse.trace.tags", "tag.tags", "ai.telemetry.metadata.tags"};

  static final String TTFT_SECONDS = "gen_ai.response.time_to_first_chunk";
  static final String[] COMPLETION_START = {"langfuse.observation.completion_start_time", "completion_start_time"};
  static final String VERCEL_MS_TO_FIRST_CHUNK = "ai.response.msToFirstChunk";

  static final String[] STREAM = {"gen_ai.request.stream", "llm.is_streaming"};
  /** The tier that served the call (response), before the one asked for (request). */
  static final String[] SERVICE_TIER_RESPONSE = {"openai.response.service_tier", "gen_ai.openai.response.service_tier"};
  static final String[] SERVICE_TIER_REQUEST = {"openai.request.service_tier", "gen_ai.openai.request.service_tier"};
  static final String INVOCATION_PARAMETERS = "llm.invocation_parameters";

  static final String[] HTTP_STATUS = {"http.response.status_code", "http.status_code"};
  static final String ERROR_TYPE = "error.type";
  static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
  static final String VERCEL_FINISH_REASON = "ai.response.finishReason";

  static final String[] REPORTED_COST = {"llm.cost.total", "gen_ai.usage.cost", "operation.cost"};
  static final String[] REPORTED_COST_PARTS = {"llm.cost.prompt", "llm.cost.completion"};
  static final String LANGFUSE_COST_DETAILS = "langfuse.observation.cost_details";

  static final String INPUT_MESSAGES = "gen_ai.input.messages";
  static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
  static final String LEGACY_PROMPT = "gen_ai.prompt";
  static final String LEGACY_COMPLETION = "gen_ai.completion";
  static final String OI_INPUT_MESSAGES = "llm.input_messages.";
  static final String OI_OUTPUT_MESSAGES = "llm.output_messages.";
  static final String OI_TOOLS = "llm.tools.";
  static final String LEGACY_PROMPT_PREFIX = "gen_ai.prompt.";
  static final String LEGACY_COMPLETION_PREFIX = "gen_ai.completion.";
  static final String TRACELOOP_FUNCTIONS = "llm.request.functions.";
  static final String VERCEL_PROMPT_MESSAGES = "ai.prompt.messages";
  static final String VERCEL_PROMPT = "ai.prompt";
  static final String VERCEL_TOOLS = "ai.prompt.tools";
  static final String VERCEL_RESPONSE_TEXT = "ai.response.text";
  static final String VERCEL_RESPONSE_TOOL_CALLS = "ai.response.toolCalls";
  static final String OI_INPUT_VALUE = "input.value";
  static final String OI_OUTPUT_VALUE = "output.value";

  /** Set on every span the RUM receiver makes from a browser event ({@code page_load}, {@code fetch}…). */
  static final String RUM_TYPE = "rum.type";

  static final String[] HTTP_METHOD = {"http.request.method", "http.method"};
  static final String[] DB_SYSTEM = {"db.system.name", "db.system"};

  private static final Set<String> CLAIMED = buildClaimed();
  private static final String[] CLAIMED_PREFIXES = {OI_INPUT_MESSAGES, OI_OUTPUT_MESSAGES, OI_TOOLS,
      TRACELOOP_FUNCTIONS, "llm.cost.", "rum."};

  private static Set<String> buildClaimed() {
    java.util.HashSet<String> s = new java.util.HashSet<>();
    String[][] groups = {PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, INPUT, OUTPUT,
        ANTHROPIC_CACHE_READ, ANTHROPIC_CACHE_WRITE, CACHE_READ, CACHE_WRITE, REASONING, TOTALS, SESSION, USER,
        PROMPT_NAME, PROMPT_VERSION, TAGS, COMPLETION_START, STREAM, HTTP_STATUS, REPORTED_COST,
        REPORTED_COST_PARTS, HTTP_METHOD, DB_SYSTEM, SERVICE_TIER_RESPONSE, SERVICE_TIER_REQUEST};
    for (String[] g : groups) {
      s.addAll(java.util.List.of(g));
    }
    s.addAll(java.util.List.of(OPERATION, OPENINFERENCE_KIND, TRACELOOP_KIND, LLM_REQUEST_TYPE, LANGFUSE_TYPE,
        VERCEL_OPERATION, SERVER_ADDRESS, SERVER_PORT, CACHE_WRITE_5M,
        CACHE_WRITE_1H, TTFT_SECONDS, VERCEL_MS_TO_FIRST_CHUNK, INVOCATION_PARAMETERS, ERROR_TYPE, FINISH_REASONS,
        VERCEL_FINISH_REASON, LANGFUSE_COST_DETAILS, INPUT_MESSAGES, OUTPUT_MESSAGES, SYSTEM_INSTRUCTIONS,
        TOOL_DEFINITIONS, LEGACY_PROMPT, LEGACY_COMPLETION, VERCEL_PROMPT_MESSAGES, VERCEL_PROMPT, VERCEL_TOOLS,
        VERCEL_RESPONSE_TEXT, VERCEL_RESPONSE_TOOL_CALLS, OI_INPUT_VALUE, OI_OUTPUT_VALUE, "input.mime_type",
        "output.mime_type"));
    return Set.copyOf(s);
  }

  /** Whether some mapping reads this key (so it is not reported as unmapped). */
  static boolean isClaimed(String key) {
    if (CLAIMED.contains(key)) {
      return true;
    }
    for (String p : CLAIMED_PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return indexedUnder(key, LEGACY_PROMPT_PREFIX) || indexedUnder(key, LEGACY_COMPLETION_PREFIX)
        || OpenInferenceFeedback.isFeedbackKey(key);
  }

  /** {@code gen_ai.prompt.0.content} is under {@code gen_ai.prompt.}; {@code gen_ai.prompt.name} is not. */
  static boolean indexedUnder(String key, String prefix) {
    return key.length() > prefix.length() && key.startsWith(prefix)
        && Character.isDigit(key.charAt(prefix.length()));
  }
}
