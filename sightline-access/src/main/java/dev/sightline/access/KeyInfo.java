package dev.sightline.access;

import java.time.Instant;

/**
 * What is known about a key without its secret.
 *
 * @param id short random id, for listing and revoking
 * @param prefix the first characters of the secret, so that a user can tell their keys apart
 * @param target the provider key a {@link KeyKind#VIRTUAL} key stands for; null for other kinds
 */
public record KeyInfo(String id, String project, KeyKind kind, String label, String prefix, Instant created,
    VirtualTarget target) {}
