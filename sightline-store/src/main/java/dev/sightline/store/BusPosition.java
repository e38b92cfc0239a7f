package dev.sightline.store;

import java.util.Objects;

/**
 * A place on the ingest bus: a partition of a Kafka topic and an offset in it. As a batch's origin
 * it is the offset of the message the batch came in; as a stored position it is the next offset to
 * read (everything below it is stored).
 */
public record BusPosition(String topic, int partition, long offset) {
  public BusPosition {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException("a bus position has a partition and an offset of 0 or more, not "
          + partition + " / " + offset);
    }
  }
}
