package dev.sightline.store;

/** Names one LLM call: the trace and span that carry it. */
public record CallRef(String traceId, String spanId) {}
