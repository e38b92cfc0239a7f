package dev.sightline.semconv;

import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.util.Map;

/**
 * Turns reported token counts into Sightline's disjoint buckets (ARCHITECTURE.md §4).
 *
 * <p>How the input count is read depends on where it came from:
 * <ul>
 *   <li>OTel GenAI ({@code gen_ai.usage.input_tokens}, legacy {@code prompt_tokens}): SHOULD include cache
 *       reads/writes, and output SHOULD include reasoning. When the cache (or reasoning) count is larger
 *       than the count that should contain it, the source obviously reported it apart: read it as
 *       exclusive and mark the usage {@code inferredExclusive}.
 *   <li>OpenAI-style ({@code llm.token_count.*}, {@code llm.usage.*}, {@code ai.usage.*}): inclusive,
 *       full stop; numbers that would make a bucket negative reject the usage.
 *   <li>Anthropic-native (provider {@code anthropic}, legacy prompt count, and cache counts under
 *       Anthropic's own names {@code cache_read_input_tokens} / {@code cache_creation_input_tokens}):
 *       exclusive, as Anthropic's API reports them.
 * </ul>
 */
final class UsageBuckets {
  private UsageBuckets() {}

  private enum Convention { SEMCONV, OPENAI_STYLE, ANTHROPIC }

  static Usage of(Map<String, Object> a, String provider) {
    Read input = read(a, Keys.INPUT);
    Read output = read(a, Keys.OUTPUT);
    Read cacheRead = read(a, Keys.CACHE_READ);
    Read cacheWrite = read(a, Keys.CACHE_WRITE);
    Read write5m = read(a, Keys.CACHE_WRITE_5M);
    Read write1h = read(a, Keys.CACHE_WRITE_1H);
    Read reasoning = read(a, Keys.REASONING);
    Read[] all = {input, output, cacheRead, cacheWrite, write5m, write1h, reasoning};
    boolean any = false;
    for (Read r : all) {
      if (r.bad != null) {
        return Usage.rejected(r.bad);
      }
      any |= r.key != null;
    }
    if (!any) {
      return Usage.NONE;
    }
    long in = input.value;
    long out = output.value;
    long read = cacheRead.value;
    long w1h = write1h.value;
    long w5m;
    if (cacheWrite.key != null) {
      if (w1h > cacheWrite.value) {
        return Usage.rejected("cache write 1h tokens (" + w1h + ") exceed cache write tokens ("
            + cacheWrite.value + ")");
      }
      w5m = cacheWrite.value - w1h;
    } else {
      w5m = write5m.value;
    }
    long cache = read + w5m + w1h;
    long reason = reasoning.value;

    Convention conv = convention(input.key, cacheRead.key, cacheWrite.key, provider);
    Convention outConv = output.key != null && output.key.startsWith("gen_ai.") ? Convention.SEMCONV
        : Convention.OPENAI_STYLE;
    boolean inferred = false;
    long uncached;
    if (conv == Convention.ANTHROPIC || input.key == null) {
      uncached = in;
    } else if (cache <= in) {
      uncached = in - cache;
    } else if (conv == Convention.SEMCONV) {
      uncached = in;
      inferred = true;
    } else {
      return Usage.rejected("cache tokens (" + cache + ") exceed input tokens (" + in + ") from "
          + input.key + ", which should include them");
    }
    long text;
    if (output.key == null) {
      text = 0;
    } else if (reason <= out) {
      text = out - reason;
    } else if (outConv == Convention.SEMCONV) {
      text = out;
      inferred = true;
    } else {
      return Usage.rejected("reasoning tokens (" + reason + ") exceed output tokens (" + out + ") from "
          + output.key + ", which should include them");
    }
    return new Usage(uncached, read, w5m, w1h, text, reason, UsageSource.REPORTED, inferred, null);
  }

  private static Convention convention(String inputKey, String readKey, String writeKey, String provider) {
    if (inputKey == null) {
      return Convention.SEMCONV;
    }
    boolean legacyPrompt = inputKey.equals("gen_ai.usage.prompt_tokens") || inputKey.equals("llm.usage.prompt_tokens");
    if (legacyPrompt && "anthropic".equals(provider)
        && (isAny(readKey, Keys.ANTHROPIC_CACHE_READ) || isAny(writeKey, Keys.ANTHROPIC_CACHE_WRITE))) {
      return Convention.ANTHROPIC;
    }
    if (inputKey.startsWith("gen_ai.")) {
      return Convention.SEMCONV;
    }
    return Convention.OPENAI_STYLE;
  }

  private static boolean isAny(String key, String[] keys) {
    if (key == null) {
      return false;
    }
    for (String k : keys) {
      if (k.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** One count: the key it came from (null when absent), its value, or why it is unusable. */
  private record Read(String key, long value, String bad) {
    static final Read ABSENT = new Read(null, 0, null);
  }

  private static Read read(Map<String, Object> a, String... keys) {
    for (String k : keys) {
      Object raw = a.get(k);
      if (raw == null || raw instanceof String s && s.isBlank()) {
        continue;
      }
      Long v = Values.integer(raw);
      if (v == null) {
        continue; // not a number: the next source may have one
      }
      if (v < 0) {
        return new Read(k, 0, "negative token count in " + k + " (" + v + ")");
      }
      if (v > Values.MAX_PLAUSIBLE_TOKENS) {
        return new Read(k, 0, "implausible token count in " + k + " (" + v + ")");
      }
      return new Read(k, v, null);
    }
    return Read.ABSENT;
  }

  private static Read read(Map<String, Object> a, String key) {
    return read(a, new String[] {key});
  }
}
