package dev.sightline.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The DuckDB schema as an ordered list of migrations. A database records each applied version in
 * {@code schema_version}; opening applies the missing ones, each in its own transaction, and
 * refuses a database that a newer Sightline has already migrated past what this code knows.
 * Migrations are append-only: never edit one that has shipped, add the next version instead.
 */
final class Schema {
  private Schema() {}

  record Migration(int version, String description, List<String> statements) {}

  static final String DECIMAL = "DECIMAL(38,18)";

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "spans, llm_calls, logs, metric_points", List.of(
          """
          CREATE TABLE spans (
            seq BIGINT NOT NULL,
            trace_id VARCHAR NOT NULL,
            span_id VARCHAR NOT NULL,
            parent_span_id VARCHAR,
            name VARCHAR,
            kind VARCHAR,
            start_ns BIGINT NOT NULL,
            end_ns BIGINT NOT NULL,
            status VARCHAR,
            status_message VARCHAR,
            service VARCHAR,
            scope_name VARCHAR,
            attributes VARCHAR,
            resource_attributes VARCHAR,
            events VARCHAR,
            category VARCHAR,
            unmapped_attributes VARCHAR,
            has_llm BOOLEAN NOT NULL
          )""",
          """
          CREATE TABLE llm_calls (
            seq BIGINT NOT NULL,
            trace_id VARCHAR NOT NULL,
            span_id VARCHAR NOT NULL,
            start_ns BIGINT NOT NULL,
            hour_ns BIGINT NOT NULL,
            provider VARCHAR,
            operation VARCHAR,
            request_model VARCHAR,
            response_model VARCHAR,
            model VARCHAR,
            streaming BOOLEAN,
            input_uncached BIGINT NOT NULL,
            input_cache_read BIGINT NOT NULL,
            input_cache_write_5m BIGINT NOT NULL,
            input_cache_write_1h BIGINT NOT NULL,
            output_text BIGINT NOT NULL,
            output_reasoning BIGINT NOT NULL,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            usage_source VARCHAR NOT NULL,
            inferred_exclusive BOOLEAN NOT NULL,
            usage_rejected_reason VARCHAR,
            has_timing BOOLEAN NOT NULL,
            timing_start_ns BIGINT,
            timing_end_ns BIGINT,
            ttft_ns BIGINT,
            ttft_source VARCHAR,
            last_token_ns BIGINT,
            max_gap_ns BIGINT,
            latency_ms DOUBLE NOT NULL,
            ttft_ms DOUBLE,
            tpot_ms DOUBLE,
            output_tokens_per_s DOUBLE,
            latency_bin SMALLINT NOT NULL,
            ttft_bin SMALLINT,
            tpot_bin SMALLINT,
            has_cost BOOLEAN NOT NULL,
            cost_status VARCHAR,
            cost_total DECIMAL(38,18),
            cost_input DECIMAL(38,18),
            cost_cache_read DECIMAL(38,18),
            cost_cache_write DECIMAL(38,18),
            cost_output DECIMAL(38,18),
            cost_reasoning DECIMAL(38,18),
            price_key VARCHAR,
            cost_reason VARCHAR,
            cost_reported DECIMAL(38,18),
            status VARCHAR NOT NULL,
            is_error BOOLEAN NOT NULL,
            http_status INTEGER,
            error_type VARCHAR,
            finish_reasons VARCHAR,
            has_context BOOLEAN NOT NULL,
            ctx_trace_id VARCHAR,
            ctx_span_id VARCHAR,
            ctx_service VARCHAR,
            service VARCHAR,
            route VARCHAR,
            session_id VARCHAR,
            user_id VARCHAR,
            prompt_name VARCHAR,
            prompt_version VARCHAR,
            tags VARCHAR,
            content_input VARCHAR,
            content_output VARCHAR,
            content_system VARCHAR,
            content_tools VARCHAR
          )""",
          """
          CREATE TABLE logs (
            seq BIGINT NOT NULL,
            time_ns BIGINT NOT NULL,
            observed_ns BIGINT NOT NULL,
            trace_id VARCHAR,
            span_id VARCHAR,
            severity_number INTEGER NOT NULL,
            severity_text VARCHAR,
            event_name VARCHAR,
            body VARCHAR,
            service VARCHAR,
            scope_name VARCHAR,
            attributes VARCHAR,
            resource_attributes VARCHAR
          )""",
          """
          CREATE TABLE metric_points (
            seq BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            description VARCHAR,
            unit VARCHAR,
            type VARCHAR,
            time_ns BIGINT NOT NULL,
            start_ns BIGINT NOT NULL,
            service VARCHAR,
            attributes VARCHAR,
            value DOUBLE,
            count BIGINT,
            sum DOUBLE,
            bucket_bounds VARCHAR,
            bucket_counts VARCHAR,
            monotonic BOOLEAN NOT NULL
          )""")),
      new Migration(2, "hourly LLM call rollups for the summary", List.of(
          // one row per hour, grouping dimension (0 model, 1 provider, 2 service, 3 route) and key;
          // several partial rows per key may exist between compactions: readers sum them
          """
          CREATE TABLE call_rollup (
            hour_ns BIGINT NOT NULL,
            dim TINYINT NOT NULL,
            key VARCHAR,
            calls BIGINT NOT NULL,
            errors BIGINT NOT NULL,
            unpriced BIGINT NOT NULL,
            input_tokens HUGEINT NOT NULL,
            output_tokens HUGEINT NOT NULL,
            cost_usd DECIMAL(38,18)
          )""",
          // latency (metric 0), TTFT (1) and TPOT (2) histograms: calls per LatencyHistogram bin
          """
          CREATE TABLE call_rollup_hist (
            hour_ns BIGINT NOT NULL,
            dim TINYINT NOT NULL,
            key VARCHAR,
            metric TINYINT NOT NULL,
            bin SMALLINT NOT NULL,
            n BIGINT NOT NULL
          )""",
          // calls with seq <= watermark are counted in the rollup tables; later ones are read raw
          "CREATE TABLE rollup_state (watermark_seq BIGINT NOT NULL)",
          "INSERT INTO rollup_state VALUES (0)")),
      new Migration(3, "richer hourly rollups (4xx/5xx, token buckets, tokens/s, users) and a trace index", List.of(
          // the rollups are rebuilt from llm_calls: the store folds every call again after opening
          "DROP TABLE call_rollup",
          """
          CREATE TABLE call_rollup (
            hour_ns BIGINT NOT NULL,
            dim TINYINT NOT NULL,
            key VARCHAR,
            calls BIGINT NOT NULL,
            errors BIGINT NOT NULL,
            errors_4xx BIGINT NOT NULL,
            errors_5xx BIGINT NOT NULL,
            unpriced BIGINT NOT NULL,
            input_tokens HUGEINT NOT NULL,
            output_tokens HUGEINT NOT NULL,
            cache_read_tokens HUGEINT NOT NULL,
            cache_write_tokens HUGEINT NOT NULL,
            reasoning_tokens HUGEINT NOT NULL,
            cost_usd DECIMAL(38,18),
            tps_sum DOUBLE NOT NULL,
            tps_n BIGINT NOT NULL
          )""",
          "DELETE FROM call_rollup_hist",
          "UPDATE rollup_state SET watermark_seq = 0",
          // which writes (seq) hold a trace's spans and calls: a trace is read from those row groups
          // only instead of scanning every span
          "CREATE TABLE trace_seq (trace_id VARCHAR NOT NULL, seq BIGINT NOT NULL)",
          "INSERT INTO trace_seq SELECT DISTINCT trace_id, seq FROM spans ORDER BY seq")),
      new Migration(4, "the service tier of each LLM call (batch / priority / flex prices)", List.of(
          // null for calls stored before: the source did not say, or it was not read yet
          "ALTER TABLE llm_calls ADD COLUMN service_tier VARCHAR")),
      new Migration(5, "scores: judgements of LLM calls by evaluators and clients", List.of(
          // every score is kept (re-evaluations too); readers take the latest per (trace, span, name)
          // by time_ns, then write (seq), then position in the write (pos)
          """
          CREATE TABLE scores (
            seq BIGINT NOT NULL,
            pos INTEGER NOT NULL,
            trace_id VARCHAR NOT NULL,
            span_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            value DOUBLE,
            label VARCHAR,
            flagged BOOLEAN,
            explanation VARCHAR,
            source VARCHAR,
            evaluator VARCHAR,
            evaluator_version VARCHAR,
            details VARCHAR,
            time_ns BIGINT NOT NULL
          )""")),
      new Migration(6, "OTLP delta temporality of metric points", List.of(
          // points stored before were all cumulative (or gauges): the OTLP converter did not keep deltas apart
          "ALTER TABLE metric_points ADD COLUMN delta BOOLEAN NOT NULL DEFAULT false")),
      new Migration(7, "alert rules and alert history", List.of(
          // a rule is kept as the alerts module's JSON: its shape is that module's to change
          """
          CREATE TABLE alert_rules (
            id VARCHAR PRIMARY KEY,
            json VARCHAR NOT NULL,
            updated_ns BIGINT NOT NULL
          )""",
          // one row per state transition; seq orders transitions of the same time by write
          """
          CREATE TABLE alert_events (
            seq BIGINT,
            rule_id VARCHAR NOT NULL,
            grp VARCHAR,
            from_state VARCHAR,
            to_state VARCHAR NOT NULL,
            at_ns BIGINT NOT NULL,
            value DECIMAL(38,18),
            message VARCHAR
          )""")),
      new Migration(8, "ingest bus positions, stored in the commit of the rows they cover", List.of(
          // one row per consumer group, partition and writer lane; lanes: how many the writer had
          """
          CREATE TABLE bus_positions (
            grp VARCHAR NOT NULL,
            topic VARCHAR NOT NULL,
            part INTEGER NOT NULL,
            lane INTEGER NOT NULL,
            next_offset BIGINT NOT NULL,
            lanes INTEGER NOT NULL
          )""")));

  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /** The version recorded in the database, 0 for a new one. */
  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, description VARCHAR,"
          + " applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)");
      try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Applies every migration above the database's version, up to {@code upTo}, each in its own
   * transaction.
   */
  static void migrate(Connection c, String where, int upTo) throws SQLException {
    int current = currentVersion(c);
    if (current > latestVersion()) {
      throw new StoreException("The database " + where + " has schema version " + current
          + ", newer than this Sightline understands (" + latestVersion() + "). A newer Sightline wrote it: run"
          + " that version, or point this one at another data directory (or restore a backup made by this version).");
    }
    for (Migration m : MIGRATIONS) {
      if (m.version() <= current || m.version() > upTo) {
        continue;
      }
      Tx.begin(c);
      try (Statement s = c.createStatement()) {
        for (String sql : m.statements()) {
          s.execute(sql);
        }
        try (var ps = c.prepareStatement("INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.executeUpdate();
        }
        Tx.commit(c);
      } catch (SQLException e) {
        Tx.rollbackAfter(c, e);
        throw new StoreException("Could not migrate " + where + " to schema version " + m.version() + " ("
            + m.description() + "): " + e.getMessage(), e);
      }
    }
  }
}
