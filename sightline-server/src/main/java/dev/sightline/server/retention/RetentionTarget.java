package dev.sightline.server.retention;

import dev.sightline.store.Store;

/** One project's store and its retention in days (null: keep that kind forever). */
public record RetentionTarget(String project, Store store, Integer dataDays, Integer contentDays) {}
