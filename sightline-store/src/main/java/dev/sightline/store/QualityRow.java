package dev.sightline.store;

/**
 * One score name's figures over a group of calls: {@code evaluated} calls carry a verdict,
 * {@code notEvaluated} could not be judged (their reason is on the score), {@code flagged} of the
 * evaluated ones failed; {@code flaggedRate} is flagged / evaluated (null when none was
 * evaluated); {@code meanValue} averages the numeric values (null when none has one).
 *
 * @param key the group's key (model, route…), null when the query has no grouping
 */
public record QualityRow(String key, String name, long evaluated, long notEvaluated, long flagged,
    Double flaggedRate, Double meanValue) {}
