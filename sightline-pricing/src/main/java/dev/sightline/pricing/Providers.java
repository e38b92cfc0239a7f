package dev.sightline.pricing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which LiteLLM {@code litellm_provider} values stand for a Sightline provider id. Sightline's ids
 * are OTel GenAI's {@code gen_ai.provider.name} values (and the older {@code gen_ai.system} ones);
 * an id not listed here is compared with {@code litellm_provider} as it is.
 */
final class Providers {

  /** A trailing {@code *} matches by prefix: Vertex AI's entries are split over many providers. */
  private static final Map<String, List<String>> LITELLM = Map.ofEntries(
      Map.entry("openai", List.of("openai", "text-completion-openai")),
      Map.entry("anthropic", List.of("anthropic")),
      Map.entry("aws.bedrock", List.of("bedrock", "bedrock_converse", "bedrock_mantle")),
      Map.entry("bedrock", List.of("bedrock", "bedrock_converse", "bedrock_mantle")),
      Map.entry("gcp.gemini", List.of("gemini")),
      Map.entry("gemini", List.of("gemini")),
      Map.entry("gcp.vertex_ai", List.of("vertex_ai*")),
      Map.entry("vertex_ai", List.of("vertex_ai*")),
      Map.entry("gcp.gen_ai", List.of("gemini", "vertex_ai*")),
      Map.entry("azure.ai.openai", List.of("azure", "azure_text")),
      Map.entry("az.ai.openai", List.of("azure", "azure_text")),
      Map.entry("azure", List.of("azure", "azure_text")),
      Map.entry("azure.ai.inference", List.of("azure_ai")),
      Map.entry("az.ai.inference", List.of("azure_ai")),
      Map.entry("mistral_ai", List.of("mistral", "codestral", "text-completion-codestral")),
      Map.entry("mistral", List.of("mistral", "codestral", "text-completion-codestral")),
      Map.entry("x_ai", List.of("xai")),
      Map.entry("ibm.watsonx.ai", List.of("watsonx")),
      Map.entry("cohere", List.of("cohere", "cohere_chat")),
      Map.entry("together", List.of("together_ai")),
      Map.entry("fireworks", List.of("fireworks_ai", "fireworks_ai-embedding-models")),
      Map.entry("fireworks_ai", List.of("fireworks_ai", "fireworks_ai-embedding-models")));

  /**
   * Engines people run themselves: a public API's price says nothing about what their tokens cost,
   * so these are only priced from entries of their own provider (or the user's price file).
   */
  private static final Set<String> SELF_HOSTED = Set.of("vllm", "ollama", "llama.cpp", "llama_cpp",
      "llamacpp", "lmstudio", "lm_studio", "tgi", "huggingface_tgi", "text-generation-inference",
      "sglang", "localai", "triton", "tensorrt_llm", "openllm");

  private Providers() {}

  /** The call's provider as the catalog needs it; {@code provider} may be null (unknown). */
  static Providers.Preference of(String provider) {
    if (provider == null || provider.isBlank()) {
      return Preference.ANY;
    }
    String id = provider.trim().toLowerCase(Locale.ROOT);
    return new Preference(id, LITELLM.getOrDefault(id, List.of(id)), SELF_HOSTED.contains(id));
  }

  static boolean isSelfHosted(String provider) {
    return provider != null && SELF_HOSTED.contains(provider.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * @param id the Sightline provider id, lower-cased; null when unknown
   * @param litellm the {@code litellm_provider} values that agree with it
   * @param selfHosted whether entries of other providers must not price it
   */
  record Preference(String id, List<String> litellm, boolean selfHosted) {

    static final Preference ANY = new Preference(null, List.of(), false);

    boolean known() {
      return id != null;
    }

    boolean agrees(ModelPrice price) {
      String p = price.litellmProvider();
      if (p == null) {
        return false;
      }
      for (String want : litellm) {
        if (want.endsWith("*") ? p.startsWith(want.substring(0, want.length() - 1)) : p.equals(want)) {
          return true;
        }
      }
      return false;
    }
  }
}
