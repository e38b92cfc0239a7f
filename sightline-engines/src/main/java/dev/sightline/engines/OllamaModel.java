package dev.sightline.engines;

import java.time.Instant;

/**
 * One model an Ollama server has: whether it is loaded now (in the latest poll of /api/ps), its size
 * and the part of it in GPU memory ({@code gpuShare} 0..1: below 1 part runs on the CPU), when it
 * unloads, how many cold loads the window saw, and its /api/tags details. Nulls where not reported.
 */
public record OllamaModel(String model, boolean loaded, Double sizeBytes, Double vramBytes, Double gpuShare,
    Double expiresInSeconds, Double coldLoads, boolean available, String family, String parameterSize,
    String quantization, Instant lastSeen) {}
