package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Token counts for calls whose provider reported none (an OpenAI-compatible server that ignores
 * {@code include_usage}, a stream the client cancelled before the usage came), counted with an
 * OpenAI BPE tokenizer (jtokkit) and marked {@code estimated}.
 *
 * <p>The encoding: {@code o200k_base} for the OpenAI models that use it (GPT-4o, GPT-4.1, GPT-4.5,
 * GPT-5, gpt-oss, o1/o3/o4), {@code cl100k_base} for everything else: GPT-4, GPT-3.5, the
 * embeddings models, and every non-OpenAI model, whose own tokenizer Sightline does not ship
 * (for Llama, Mistral, Qwen or Claude, cl100k lands within roughly 10–20% of the real count).
 *
 * <p>The prompt is every text of the request's messages / prompt / input / system / instructions
 * (tool definitions as their JSON), plus OpenAI's framing of a chat: 3 tokens per message and 3
 * to start the reply.
 */
final class TokenEstimate {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Pattern O200K = Pattern.compile(
      "(?:.*/)?(?:gpt-4o|chatgpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|gpt-oss|o[1-9](?:-|$)).*");
  /** Request fields that carry prompt text, across the OpenAI, Anthropic, Ollama and Bedrock bodies. */
  private static final String[] PROMPT_FIELDS = {"messages", "prompt", "input", "inputText", "system", "instructions"};
  static final int PER_MESSAGE = 3;
  static final int REPLY_PRIMING = 3;
  /** Text beyond this many characters is not tokenized but extrapolated from what was. */
  static final int MAX_CHARS = 1 << 20;

  private TokenEstimate() {}

  static EncodingType encodingFor(String model) {
    return model != null && O200K.matcher(model.toLowerCase(Locale.ROOT)).matches()
        ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
  }

  static long count(String text, EncodingType type) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    Encoding enc = REGISTRY.getEncoding(type);
    if (text.length() <= MAX_CHARS) {
      return enc.countTokensOrdinary(text);
    }
    long head = enc.countTokensOrdinary(text.substring(0, MAX_CHARS));
    return Math.round(head * ((double) text.length() / MAX_CHARS));
  }

  /** The prompt tokens of a request body (already parsed), or 0 when it carries no text we know. */
  static long prompt(JsonNode request, String model) {
    if (request == null || !request.isObject()) {
      return 0;
    }
    EncodingType type = encodingFor(model);
    StringBuilder text = new StringBuilder();
    long framing = 0;
    for (String field : PROMPT_FIELDS) {
      JsonNode v = request.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (field.equals("messages") && v.isArray()) {
        framing += (long) PER_MESSAGE * v.size() + REPLY_PRIMING;
        for (JsonNode m : v) {
          texts(m.get("content"), text);
          texts(m.get("tool_calls"), text);
        }
      } else {
        texts(v, text);
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      text.append(tools.toString()).append('\n');
    }
    return text.isEmpty() && framing == 0 ? 0 : count(text.toString(), type) + framing;
  }

  /** The tokens of the generated text in captured-output shape ({@link GenAiMessages#output}). */
  static long output(JsonNode genAiOutput, String model) {
    StringBuilder text = new StringBuilder();
    if (genAiOutput != null) {
      for (JsonNode msg : genAiOutput) {
        for (JsonNode part : msg.path("parts")) {
          JsonNode c = part.get("content");
          if (c != null && c.isTextual()) {
            text.append(c.asText());
          }
          JsonNode args = part.get("arguments");
          if (args != null && args.isTextual()) {
            text.append(args.asText());
          }
        }
      }
    }
    return count(text.toString(), encodingFor(model));
  }

  /** Every string inside {@code v} (message content as a string, or parts with text), one per line. */
  private static void texts(JsonNode v, StringBuilder out) {
    if (v == null || v.isNull() || out.length() > 4 * MAX_CHARS) {
      return;
    }
    if (v.isTextual()) {
      out.append(v.asText()).append('\n');
    } else if (v.isArray() || v.isObject()) {
      // image data and the like are not text the model reads as tokens of this encoding
      for (var it = v.fields(); it.hasNext(); ) {
        var f = it.next();
        String k = f.getKey();
        if (k.equals("type") || k.equals("id") || k.equals("image_url") || k.equals("source") || k.equals("images")
            || k.equals("cache_control") || k.equals("cachePoint") || k.equals("image")) {
          continue;
        }
        texts(f.getValue(), out);
      }
      if (v.isArray()) {
        for (JsonNode e : v) {
          texts(e, out);
        }
      }
    }
  }
}
