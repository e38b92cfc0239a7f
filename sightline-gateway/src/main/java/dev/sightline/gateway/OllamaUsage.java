package dev.sightline.gateway;

import static dev.sightline.gateway.ReportedUsage.count;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.model.Usage;
import java.util.Map;

/**
 * Usage from Ollama's native API: the final object of {@code /api/chat} and {@code /api/generate}
 * (the only one, when not streamed) reports {@code prompt_eval_count} (input tokens it evaluated)
 * and {@code eval_count} (output tokens), plus server-side durations in nanoseconds. Ollama has no
 * cache or reasoning split: thinking tokens are part of {@code eval_count}.
 */
final class OllamaUsage {
  /** Ollama's durations (ns) and the attribute each is recorded as (ms). */
  private static final String[][] DURATIONS = {
      {"total_duration", "ollama.total_duration_ms"},
      {"load_duration", "ollama.load_duration_ms"},
      {"prompt_eval_duration", "ollama.prompt_eval_duration_ms"},
      {"eval_duration", "ollama.eval_duration_ms"}};

  private OllamaUsage() {}

  static Usage of(JsonNode last) {
    if (last == null || !last.isObject()) {
      return Usage.NONE;
    }
    Long input = count(last, "prompt_eval_count");
    Long output = count(last, "eval_count");
    if (input == null && output == null) {
      return Usage.NONE;
    }
    long in = input == null ? 0 : input;
    long out = output == null ? 0 : output;
    if (in < 0 || out < 0) {
      return Usage.rejected("the provider reported a negative token count");
    }
    return Usage.reported(in, 0, 0, 0, out, 0);
  }

  /** Ollama's own timings of the call, in milliseconds, into {@code facts}. */
  static void durations(JsonNode last, Map<String, Object> facts) {
    for (String[] d : DURATIONS) {
      Long ns = count(last, d[0]);
      if (ns != null && ns >= 0) {
        facts.put(d[1], ns / 1e6);
      }
    }
  }
}
