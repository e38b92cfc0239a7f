package dev.sightline.store;

import dev.sightline.model.TelemetryBatch;
import java.util.List;

/**
 * What a bus writer writes into: one {@link Store}, or several behind one face (a server's project
 * stores). Writes are exactly once per the positions the target keeps.
 */
public interface BusTarget {

  /**
   * Writes batches read from the ingest bus exactly once, and in the same commit records
   * {@code read.next()} as the group's positions (a position never goes back). A batch whose origin
   * lies below its partition's stored position is already stored and is left out, so a replayed
   * message never duplicates rows, whoever replays it.
   *
   * @throws IllegalArgumentException when {@code read.origins()} does not hold one origin per batch
   * @throws UnsupportedOperationException when the engine does not keep bus positions
   */
  void write(List<TelemetryBatch> batches, BusRead read);

  /**
   * The stored positions of a consumer group (the next offset to read of each partition it has
   * written from), by topic and partition; empty for a group that never wrote. A writer resumes there.
   */
  List<BusPosition> busPositions(String group);
}
