package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.chat;
import static dev.sightline.semconv.Spans.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderRulesTest {
  private static String provider(Object... kv) {
    return normalize(chat(kv)).llm().provider();
  }

  @Test
  void precedence() {
    assertThat(provider("gen_ai.provider.name", "anthropic", "gen_ai.system", "openai", "llm.provider", "x",
        "llm.system", "y", "server.address", "api.groq.com")).isEqualTo("anthropic");
    assertThat(provider("gen_ai.system", "openai", "llm.provider", "cohere")).isEqualTo("openai");
    assertThat(provider("llm.provider", "cohere", "llm.system", "openai")).isEqualTo("cohere");
    assertThat(provider("llm.system", "openai", "server.address", "api.anthropic.com")).isEqualTo("openai");
    assertThat(provider("server.address", "api.anthropic.com")).isEqualTo("anthropic");
    assertThat(provider()).isNull();
  }

  @Test
  void placeholderProviderFallsThroughToServerAddress() {
    assertThat(provider("gen_ai.provider.name", "Unknown", "server.address", "api.openai.com")).isEqualTo("openai");
  }

  @ParameterizedTest
  @CsvSource({
      "openai, openai", "OpenAI, openai", "openai.responses, openai", "openai.chat, openai",
      "anthropic, anthropic", "Anthropic, anthropic", "anthropic.messages, anthropic",
      "aws.bedrock, aws.bedrock", "bedrock, aws.bedrock", "amazon-bedrock, aws.bedrock",
      "gcp.gemini, gcp.gemini", "gemini, gcp.gemini", "google-gla, gcp.gemini", "google.generative-ai, gcp.gemini",
      "gcp.vertex_ai, gcp.vertex_ai", "vertex_ai, gcp.vertex_ai", "google-vertex, gcp.vertex_ai",
      "google.vertex.chat, gcp.vertex_ai",
      "az.ai.openai, azure.ai.openai", "azure.ai.openai, azure.ai.openai", "azure, azure.ai.openai",
      "mistralai, mistral_ai", "mistral.chat, mistral_ai", "xai, x_ai", "ollama, ollama", "vllm, vllm",
      "groq.chat, groq", "SomethingNew, somethingnew"})
  void canonicalIds(String raw, String expected) {
    assertThat(provider("gen_ai.system", raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "api.openai.com, openai", "API.OPENAI.COM, openai", "api.anthropic.com, anthropic",
      "bedrock-runtime.us-east-1.amazonaws.com, aws.bedrock", "generativelanguage.googleapis.com, gcp.gemini",
      "us-central1-aiplatform.googleapis.com, gcp.vertex_ai", "my-res.openai.azure.com, azure.ai.openai",
      "api.mistral.ai, mistral_ai", "api.groq.com, groq", "api.deepseek.com, deepseek", "openrouter.ai, openrouter",
      "https://api.openai.com/v1, openai", "api.openai.com:443, openai", "localhost:11434, ollama"})
  void derivedFromServerAddress(String address, String expected) {
    assertThat(provider("server.address", address)).isEqualTo(expected);
  }

  @Test
  void serverPortIdentifiesOllama() {
    assertThat(provider("server.address", "127.0.0.1", "server.port", 11434L)).isEqualTo("ollama");
    assertThat(provider("server.address", "127.0.0.1", "server.port", 8080L)).isNull();
    assertThat(provider("server.address", "Unknown")).isNull();
    assertThat(provider("server.address", "bedrock-runtime.example.org")).isNull();
  }
}
