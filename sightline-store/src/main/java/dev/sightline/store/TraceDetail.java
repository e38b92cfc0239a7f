package dev.sightline.store;

import dev.sightline.model.Span;
import java.util.List;

/** A whole trace: its spans ordered by start time, each with its LLM call if it is one. */
public record TraceDetail(String traceId, List<Span> spans) {}
