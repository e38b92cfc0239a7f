package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.model.Usage;

/**
 * An OpenAI-style {@code usage} object as disjoint buckets (ARCHITECTURE.md §4). Chat Completions
 * and Completions report {@code prompt_tokens} including {@code prompt_tokens_details.cached_tokens}
 * and {@code completion_tokens} including {@code completion_tokens_details.reasoning_tokens}; the
 * Responses API says the same with {@code input_tokens} / {@code output_tokens}; embeddings report
 * only {@code prompt_tokens}.
 */
final class ReportedUsage {
  private ReportedUsage() {}

  static Usage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    Long input = count(usage, "prompt_tokens");
    JsonNode inputDetails = usage.get("prompt_tokens_details");
    Long output = count(usage, "completion_tokens");
    JsonNode outputDetails = usage.get("completion_tokens_details");
    if (input == null && output == null) {
      input = count(usage, "input_tokens");
      inputDetails = usage.get("input_tokens_details");
      output = count(usage, "output_tokens");
      outputDetails = usage.get("output_tokens_details");
    }
    if (input == null && output == null) {
      return Usage.NONE;
    }
    long in = input == null ? 0 : input;
    long out = output == null ? 0 : output;
    long cached = orZero(count(inputDetails, "cached_tokens"));
    long reasoning = orZero(count(outputDetails, "reasoning_tokens"));
    if (in < 0 || out < 0 || cached < 0 || reasoning < 0) {
      return Usage.rejected("the provider reported a negative token count");
    }
    if (cached > in) {
      return Usage.rejected("cached_tokens (" + cached + ") exceed the input tokens (" + in + ") they are part of");
    }
    if (reasoning > out) {
      return Usage.rejected("reasoning_tokens (" + reasoning + ") exceed the output tokens (" + out
          + ") they are part of");
    }
    return Usage.reported(in - cached, cached, 0, 0, out - reasoning, reasoning);
  }

  /** An integral token count from a provider's usage object, or null when absent. */
  static Long count(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isIntegralNumber() ? v.asLong() : null;
  }

  static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
