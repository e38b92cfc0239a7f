package dev.sightline.gateway;

import static dev.sightline.gateway.ReportedUsage.count;
import static dev.sightline.gateway.ReportedUsage.orZero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Usage;

/**
 * An Anthropic Messages {@code usage} object as disjoint buckets (ARCHITECTURE.md §4). Anthropic's
 * {@code input_tokens} already excludes both cache buckets, so nothing is subtracted from it:
 * uncached = {@code input_tokens}, cache read = {@code cache_read_input_tokens}, and the cache
 * write {@code cache_creation_input_tokens} is split by TTL with
 * {@code cache_creation.ephemeral_5m_input_tokens} / {@code ephemeral_1h_input_tokens}. Any part
 * of the write whose TTL the split does not name counts as 5-minute, the API's default. Anthropic
 * does not report thinking tokens apart, so all output is text.
 */
final class AnthropicUsage {
  private static final String CACHE_CREATION = "cache_creation";

  private AnthropicUsage() {}

  static Usage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    Long input = count(usage, "input_tokens");
    Long output = count(usage, "output_tokens");
    Long read = count(usage, "cache_read_input_tokens");
    Long write = count(usage, "cache_creation_input_tokens");
    JsonNode split = usage.get(CACHE_CREATION);
    Long w5 = count(split, "ephemeral_5m_input_tokens");
    Long w1 = count(split, "ephemeral_1h_input_tokens");
    if (input == null && output == null && read == null && write == null && w5 == null && w1 == null) {
      return Usage.NONE;
    }
    long in = orZero(input);
    long out = orZero(output);
    long cacheRead = orZero(read);
    long fiveMin = orZero(w5);
    long oneHour = orZero(w1);
    if (in < 0 || out < 0 || cacheRead < 0 || fiveMin < 0 || oneHour < 0 || (write != null && write < 0)) {
      return Usage.rejected("the provider reported a negative token count");
    }
    if (write != null) {
      long named = fiveMin + oneHour;
      if (named > write) {
        return Usage.rejected("cache_creation's TTL split (" + named + ") exceeds cache_creation_input_tokens ("
            + write + ")");
      }
      fiveMin += write - named;
    }
    return Usage.reported(in, cacheRead, fiveMin, oneHour, out, 0);
  }

  /**
   * Folds one streamed {@code usage} object into {@code into}: {@code message_start} carries the
   * input side and a first output count, each {@code message_delta} the cumulative output count
   * (and, on newer API versions, the input side again). Later non-null values win.
   */
  static void merge(ObjectNode into, JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    usage.fields().forEachRemaining(f -> {
      JsonNode v = f.getValue();
      if (v == null || v.isNull()) {
        return;
      }
      if (f.getKey().equals(CACHE_CREATION) && v.isObject()) {
        JsonNode have = into.get(CACHE_CREATION);
        ObjectNode merged = have != null && have.isObject() ? (ObjectNode) have : into.putObject(CACHE_CREATION);
        v.fields().forEachRemaining(g -> {
          if (g.getValue() != null && !g.getValue().isNull()) {
            merged.set(g.getKey(), g.getValue());
          }
        });
        return;
      }
      into.set(f.getKey(), v);
    });
  }
}
