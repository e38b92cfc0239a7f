package dev.sightline.semconv;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical provider ids: lower-case, OTel GenAI's {@code gen_ai.provider.name} values where
 * one exists. Google is split the way OTel splits it: {@code gcp.gemini} for the Gemini Developer API
 * (AI Studio, generativelanguage.googleapis.com) and {@code gcp.vertex_ai} for Vertex AI, because
 * they are billed from different price lists.
 */
final class Providers {
  private static final Map<String, String> ALIASES = new HashMap<>();

  static {
    alias("openai", "openai", "openai.chat", "openai.responses", "openai.completion", "openai.embedding",
        "openai.image", "openai.transcription", "openai.speech");
    alias("anthropic", "anthropic", "anthropic.messages", "claude");
    alias("aws.bedrock", "aws.bedrock", "bedrock", "aws_bedrock", "amazon-bedrock", "amazon_bedrock",
        "amazon.bedrock", "awsbedrock");
    alias("gcp.gemini", "gcp.gemini", "gemini", "google-gla", "google_gla", "google.generative-ai",
        "google_genai", "google-genai", "google.genai", "google_ai_studio", "google", "googleai", "google_ai");
    alias("gcp.vertex_ai", "gcp.vertex_ai", "vertex_ai", "vertexai", "vertex ai", "vertex-ai", "google-vertex",
        "google.vertex", "google.vertex.chat", "vertex_ai_beta", "google_vertex");
    alias("gcp.gen_ai", "gcp.gen_ai");
    alias("azure.ai.openai", "azure.ai.openai", "az.ai.openai", "azure", "azure_openai", "azure-openai",
        "azure.openai", "azure.chat", "azure.responses", "azure.completion", "azure.embedding");
    alias("azure.ai.inference", "azure.ai.inference", "az.ai.inference", "azure_ai_inference");
    alias("mistral_ai", "mistral_ai", "mistralai", "mistral", "mistral.chat", "mistral.embedding");
    alias("cohere", "cohere", "cohere.chat", "cohere.embedding");
    alias("groq", "groq", "groq.chat");
    alias("deepseek", "deepseek", "deepseek.chat");
    alias("perplexity", "perplexity");
    alias("x_ai", "x_ai", "xai", "xai.chat", "x.ai", "grok");
    alias("ibm.watsonx.ai", "ibm.watsonx.ai", "watsonx", "watsonx.ai", "ibm_watsonx");
    alias("ollama", "ollama", "ollama.chat");
    alias("vllm", "vllm");
    alias("openrouter", "openrouter", "openrouter.chat");
    alias("together_ai", "together_ai", "together", "togetherai", "together.chat");
    alias("fireworks_ai", "fireworks_ai", "fireworks", "fireworks.chat");
    alias("huggingface", "huggingface", "hugging_face", "huggingface.chat");
  }

  private Providers() {}

  private static void alias(String canonical, String... names) {
    for (String n : names) {
      ALIASES.put(n, canonical);
    }
  }

  /**
   * The canonical id of a provider name as instrumentations write it; unknown names are kept,
   * lower-cased. Vercel-style ids ({@code openai.responses}, {@code mistral.chat}) map by their
   * first segment when the whole id is not known. Placeholders ({@code unknown}) give null.
   */
  static String canonical(String raw) {
    if (raw == null) {
      return null;
    }
    String n = raw.trim().toLowerCase(Locale.ROOT);
    if (n.isEmpty() || n.equals("unknown") || n.equals("none") || n.equals("null")) {
      return null;
    }
    String c = ALIASES.get(n);
    if (c != null) {
      return c;
    }
    int dot = n.indexOf('.');
    if (dot > 0) {
      c = ALIASES.get(n.substring(0, dot));
      if (c != null && !c.contains(".")) {
        return c;
      }
    }
    return n;
  }

  /** The provider that serves {@code host} (a {@code server.address}), or null when unknown. */
  static String fromServerAddress(String address, Long port) {
    if (address == null) {
      return null;
    }
    String h = address.trim().toLowerCase(Locale.ROOT);
    int scheme = h.indexOf("://");
    if (scheme >= 0) {
      h = h.substring(scheme + 3);
    }
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(':') == colon) {
      if (port == null) {
        port = Values.integer(h.substring(colon + 1));
      }
      h = h.substring(0, colon);
    }
    if (h.equals("api.openai.com")) {
      return "openai";
    }
    if (h.equals("api.anthropic.com")) {
      return "anthropic";
    }
    if (h.startsWith("bedrock-runtime.") || h.startsWith("bedrock.") || h.startsWith("bedrock-runtime-fips.")) {
      return h.endsWith(".amazonaws.com") || h.endsWith(".amazonaws.com.cn") ? "aws.bedrock" : null;
    }
    if (h.equals("generativelanguage.googleapis.com")) {
      return "gcp.gemini";
    }
    if (h.endsWith("aiplatform.googleapis.com")) {
      return "gcp.vertex_ai";
    }
    if (h.endsWith(".openai.azure.com")) {
      return "azure.ai.openai";
    }
    if (h.endsWith(".services.ai.azure.com") || h.equals("models.inference.ai.azure.com")
        || h.endsWith(".inference.ai.azure.com")) {
      return "azure.ai.inference";
    }
    return switch (h) {
      case "api.mistral.ai" -> "mistral_ai";
      case "api.cohere.com", "api.cohere.ai" -> "cohere";
      case "api.groq.com" -> "groq";
      case "api.deepseek.com" -> "deepseek";
      case "api.x.ai" -> "x_ai";
      case "api.perplexity.ai" -> "perplexity";
      case "openrouter.ai" -> "openrouter";
      case "api.together.xyz", "api.together.ai" -> "together_ai";
      case "api.fireworks.ai" -> "fireworks_ai";
      default -> port != null && port == 11434 ? "ollama" : null;
    };
  }
}
