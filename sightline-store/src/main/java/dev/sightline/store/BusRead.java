package dev.sightline.store;

import java.util.List;
import java.util.Objects;

/**
 * What a bus writer read for one {@link Store#write(List, BusRead)}: its consumer group, the
 * message each batch came in (one origin per batch, in the same order), and for every partition it
 * read the next offset to read, past messages that carried no batch (such as dead-lettered ones).
 * Every origin lies below its partition's next position.
 */
public record BusRead(String group, List<BusPosition> origins, List<BusPosition> next) {
  public BusRead {
    Objects.requireNonNull(group, "group");
    if (group.isEmpty() || group.length() > 255) {
      throw new IllegalArgumentException("a consumer group name is 1 to 255 chars");
    }
    origins = List.copyOf(origins);
    next = List.copyOf(next);
    for (BusPosition o : origins) {
      // an origin the read does not move past would be stored again by every replay
      if (next.stream().noneMatch(n -> n.topic().equals(o.topic()) && n.partition() == o.partition()
          && n.offset() > o.offset())) {
        throw new IllegalArgumentException("a bus read's next positions must pass each of its origins: "
            + o.topic() + "-" + o.partition() + "@" + o.offset() + " has none past it");
      }
    }
  }
}
