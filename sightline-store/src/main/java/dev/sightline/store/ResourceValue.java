package dev.sightline.store;

/** One value of a resource attribute in a window: how many spans carried it, in how many traces. */
public record ResourceValue(String value, long spans, long traces) {}
