package dev.sightline.engines;

import java.util.Locale;
import java.util.Optional;

/**
 * The self-hosted inference engines Sightline knows, with the prefix their metric names share and
 * the label that names the served model (null where the engine does not label its metrics by model).
 */
public enum EngineKind {
  VLLM("vllm:", "model_name"),
  SGLANG("sglang:", "model_name"),
  TGI("tgi_", null),
  LLAMACPP("llamacpp:", null),
  /** Ollama has no Prometheus page; the Ollama poller writes these names (one label {@code model}). */
  OLLAMA("ollama_", null);

  private final String prefix;
  private final String modelLabel;

  EngineKind(String prefix, String modelLabel) {
    this.prefix = prefix;
    this.modelLabel = modelLabel;
  }

  /** The name as the API writes it: {@code vllm}, {@code sglang}, {@code tgi}, {@code llamacpp}, {@code ollama}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String prefix() {
    return prefix;
  }

  /** The label that carries the served model, or null. */
  public String modelLabel() {
    return modelLabel;
  }

  /** The engine whose prefix the metric name starts with. */
  public static Optional<EngineKind> of(String metricName) {
    if (metricName != null) {
      for (EngineKind k : values()) {
        if (metricName.startsWith(k.prefix)) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }
}
