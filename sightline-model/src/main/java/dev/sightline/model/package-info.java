/**
 * Sightline's canonical records. Every receiver (OTLP, gateway, scrapers) produces these, every
 * processor transforms them, and the store persists them. Pure values: no I/O, no dependencies.
 *
 * <p>Attribute maps hold {@link java.lang.String}, {@link java.lang.Long}, {@link java.lang.Double},
 * {@link java.lang.Boolean}, {@code byte[]} (OTLP bytes values), {@link java.util.List} (arrays) and
 * {@link java.util.Map} (kvlists) values, in the order they arrived.
 */
package dev.sightline.model;
