package dev.sightline.gateway;

import static dev.sightline.gateway.ReportedUsage.count;
import static dev.sightline.gateway.ReportedUsage.orZero;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.sightline.model.Usage;

/**
 * Bedrock's usage shapes as disjoint buckets (ARCHITECTURE.md §4).
 *
 * <ul>
 *   <li>Converse and ConverseStream's {@code metadata} event: {@code usage.inputTokens} counts only
 *       the uncached input; {@code cacheReadInputTokens} and {@code cacheWriteInputTokens} come on
 *       top of it (AWS's prompt-caching guide: total input = the three added up), like Anthropic's.
 *   <li>InvokeModel with an Anthropic model answers Anthropic's own body ({@link AnthropicUsage});
 *       every InvokeModel answer also carries {@code x-amzn-bedrock-input-token-count} /
 *       {@code -output-token-count} headers, and streamed chunks end with
 *       {@code amazon-bedrock-invocationMetrics} ({@code inputTokenCount}, {@code outputTokenCount}),
 *       used where the body has no usage of its own.
 * </ul>
 * A cache write whose TTL Bedrock does not say counts as 5-minute.
 */
final class BedrockUsage {
  static final String INPUT_HEADER = "x-amzn-bedrock-input-token-count";
  static final String OUTPUT_HEADER = "x-amzn-bedrock-output-token-count";
  static final String CACHE_READ_HEADER = "x-amzn-bedrock-cache-read-input-token-count";
  static final String CACHE_WRITE_HEADER = "x-amzn-bedrock-cache-write-input-token-count";

  private BedrockUsage() {}

  /** A Converse {@code usage} object. */
  static Usage converse(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    return of(count(usage, "inputTokens"), count(usage, "outputTokens"), count(usage, "cacheReadInputTokens"),
        count(usage, "cacheWriteInputTokens"));
  }

  /** The {@code amazon-bedrock-invocationMetrics} object at the end of an InvokeModelWithResponseStream. */
  static Usage invocationMetrics(JsonNode metrics) {
    if (metrics == null || !metrics.isObject()) {
      return Usage.NONE;
    }
    return of(count(metrics, "inputTokenCount"), count(metrics, "outputTokenCount"),
        count(metrics, "cacheReadInputTokenCount"), count(metrics, "cacheWriteInputTokenCount"));
  }

  /** The token-count headers of an InvokeModel answer. */
  static Usage headers(ResponseHeaders h) {
    return of(header(h, INPUT_HEADER), header(h, OUTPUT_HEADER), header(h, CACHE_READ_HEADER),
        header(h, CACHE_WRITE_HEADER));
  }

  private static Usage of(Long input, Long output, Long read, Long write) {
    if (input == null && output == null) {
      return Usage.NONE;
    }
    long in = orZero(input);
    long out = orZero(output);
    long cacheRead = orZero(read);
    long cacheWrite = orZero(write);
    if (in < 0 || out < 0 || cacheRead < 0 || cacheWrite < 0) {
      return Usage.rejected("the provider reported a negative token count");
    }
    return Usage.reported(in, cacheRead, cacheWrite, 0, out, 0);
  }

  private static Long header(ResponseHeaders h, String name) {
    String v = h.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
