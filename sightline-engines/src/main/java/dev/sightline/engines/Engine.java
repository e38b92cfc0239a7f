package dev.sightline.engines;

import java.time.Instant;
import java.util.List;

/**
 * One serving engine as the metrics show it: a scrape target ({@code service}) of one engine kind
 * and, where the engine labels its metrics by model, one served model. {@code id} is
 * {@code <service>:<model>}, or {@code <service>} without a model. {@code up} is the target's last
 * scrape result (false when stale, null when the service has no {@code up} samples); {@code stale}
 * is true when its newest sample is older than two scrape intervals. {@code cost} is null when the
 * service has no GPU price; {@code ollamaModels} is null except for Ollama.
 */
public record Engine(String id, String service, EngineKind kind, String model, Boolean up, Instant lastSeen,
    boolean stale, EngineFigures now, EngineCost cost, List<OllamaModel> ollamaModels) {}
