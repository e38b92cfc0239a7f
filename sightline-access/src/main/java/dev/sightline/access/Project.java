package dev.sightline.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A project: the unit of isolation. Its data lives in its own store; its keys see only it.
 *
 * @param retention how long its data and its content are kept ({@link Retention#FOREVER}: the server's defaults)
 */
public record Project(String name, Instant created, Retention retention) {
  public Project {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    retention = retention == null ? Retention.FOREVER : retention;
  }
}
