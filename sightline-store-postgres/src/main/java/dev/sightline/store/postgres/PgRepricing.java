package dev.sightline.store.postgres;

import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.store.RepriceRequest;
import dev.sightline.store.RepriceResult;
import dev.sightline.store.Repricing;
import dev.sightline.store.Rollups;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.postgresql.PGConnection;

/**
 * {@link Repricing} on the shared PostgreSQL store, whose rollups every write keeps exact in its own
 * transaction (see {@link PgWriter#write}). Each chunk of whole hours is one transaction that
 * <ol>
 *   <li>locks {@code spans} and {@code llm_calls} against writes ({@code SHARE ROW EXCLUSIVE}, taken
 *       in the order writers take theirs): it waits for the writes in progress on any node to
 *       commit, and writes that start meanwhile wait for the chunk;</li>
 *   <li>reads the chunk's calls and prices them again (identified by partition and {@code ctid},
 *       which cannot change while the lock is held);</li>
 *   <li>adjusts the rollups by a delta per changed call (its old cost out, its new cost in, under
 *       the route it has now) and stores the new costs.</li>
 * </ol>
 * Deltas rather than rebuilt hours, because another node's write folds its calls into the same
 * hours' rollups concurrently, and additions commute. The lock is what makes the deltas exact: a
 * write that gives waiting calls their route moves their rollup counts with the cost it read, and
 * under the lock no write can have read a cost that the chunk then changes. Only one re-pricing
 * runs at a time (the lock conflicts with itself).
 *
 * <p>What a run guarantees while writers write: every call in the window committed before the
 * chunk of its hour starts is re-priced; a call committed later keeps the cost its ingest node gave
 * it, which is the new price when every node had the new price table before the run started (or
 * run it again afterwards: it changes only what still differs). Writers pause for each chunk, which
 * is why chunks hold at most {@link #MAX_CHUNK_CALLS} calls here.
 */
final class PgRepricing {
  private PgRepricing() {}

  /** Writers take spans, then llm_calls (COPY order); so does this, so that neither waits on the other in a cycle. */
  private static final String LOCK = "LOCK TABLE ONLY spans, ONLY llm_calls IN SHARE ROW EXCLUSIVE MODE";
  private static final String DECIMAL = "numeric(38,18)";
  private static final int CHANGE_COLUMNS = 11;

  /** The changed calls of the chunk, joined to their rows (bounds: the chunk's start range). */
  private static final String CHANGED = " FROM llm_calls c JOIN reprice_changes u"
      + " ON c.tableoid = u.toid::oid AND c.ctid = u.tid::tid WHERE c.start_ns >= ? AND c.start_ns < ?";

  /** Each changed call twice: its stored cost with sign −1, its new one with +1 (as {@link Rollups#insert} reads). */
  private static final String DELTA = "SELECT c.hour_ns, c.is_error, c.http_status, c.input_tokens, c.output_tokens,"
      + " c.input_cache_read, c.input_cache_write_5m, c.input_cache_write_1h, c.output_reasoning,"
      + " c.output_tokens_per_s, c.model, c.provider, c.service, c.route AS r, c.user_id, sg.sign,"
      + " CASE WHEN sg.sign < 0 THEN c.cost_status ELSE u.status END AS cost_status,"
      + " CASE WHEN sg.sign < 0 THEN c.cost_total ELSE u.total END AS cost_total"
      + CHANGED.replace(" WHERE", " CROSS JOIN (VALUES (-1), (1)) AS sg(sign) WHERE");

  /**
   * The most calls a chunk holds here, whatever the request asks (whole hours, so an hour with more
   * is one chunk): writers wait for each chunk, about 0.8 s for 20,000 calls whose costs all change.
   */
  static final int MAX_CHUNK_CALLS = 20_000;

  static RepriceResult run(Connection c, RepriceRequest asked, UnaryOperator<LlmCall> pricer) throws SQLException {
    RepriceRequest request = new RepriceRequest(asked.since(), asked.until(), asked.model(),
        Math.min(asked.chunkCalls(), MAX_CHUNK_CALLS), asked.progress(), asked.stop());
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE IF NOT EXISTS reprice_changes (toid bigint, tid text, status text,"
          + " total " + DECIMAL + ", input " + DECIMAL + ", cache_read " + DECIMAL + ", cache_write " + DECIMAL
          + ", output " + DECIMAL + ", reasoning " + DECIMAL + ", price_key text, reason text) ON COMMIT DELETE ROWS");
    }
    Connection escaped = PgText.escaping(c);
    return Repricing.run(escaped, request, (window, fromHour, toHour) -> PgConnections.transaction(c, LOCK, t -> {
      long examined = 0;
      int changed = 0;
      TreeSet<Long> hours = new TreeSet<>();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (BinaryCopyWriter out = new BinaryCopyWriter(bytes);
          PreparedStatement ps = escaped.prepareStatement(window.chunkQuery("tableoid::bigint, ctid::text"))) {
        CopyRows changes = new CopyRows(out, CHANGE_COLUMNS);
        window.bindChunk(ps, 1, fromHour, toHour);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            examined++;
            Cost cost = Repricing.newCost(rs, 3, pricer);
            if (cost != null) {
              changes.beginRow();
              changes.int8(rs.getLong(1));
              changes.text(rs.getString(2));
              Repricing.appendCost(changes, cost);
              changes.endRow();
              changed++;
              hours.add(Repricing.hour(rs, 3));
            }
          }
        }
      } catch (IOException e) {
        throw new SQLException("Could not encode the re-priced costs: " + e.getMessage(), e);
      }
      if (changed > 0) {
        store(t, bytes.toByteArray(), changed, fromHour, toHour);
      }
      return new Repricing.ChunkDone(examined, changed, hours.size());
    }));
  }

  /** Copies the chunk's new costs in, moves the rollups by their deltas and updates the calls. */
  private static void store(Connection t, byte[] changes, int changed, long fromHour, long toHour)
      throws SQLException {
    try {
      t.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY reprice_changes FROM STDIN (FORMAT binary)", new ByteArrayInputStream(changes));
    } catch (IOException e) {
      throw new SQLException("COPY of the re-priced costs failed: " + e.getMessage(), e);
    }
    try (PreparedStatement ps = t.prepareStatement(Rollups.insert(DELTA, "true"))) {
      ps.setLong(1, fromHour);
      ps.setLong(2, toHour);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = t.prepareStatement("UPDATE llm_calls AS c SET " + Repricing.SET_COST
        + " FROM reprice_changes u WHERE c.tableoid = u.toid::oid AND c.ctid = u.tid::tid"
        + " AND c.start_ns >= ? AND c.start_ns < ?")) {
      ps.setLong(1, fromHour);
      ps.setLong(2, toHour);
      int updated = ps.executeUpdate();
      if (updated != changed) {
        throw new SQLException("re-pricing updated " + updated + " rows for " + changed + " changed costs");
      }
    }
  }
}
