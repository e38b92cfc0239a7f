package dev.sightline.store.postgres;

import dev.sightline.store.Rollups;
import dev.sightline.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema as an ordered list of migrations, versioned like the DuckDB engine's: each
 * applied version is recorded in {@code schema_version}, opening applies the missing ones (under an
 * advisory lock, so that nodes opening together migrate once) and refuses a newer database.
 * Append-only: never edit a shipped migration, add the next version. Tables keep DuckDB's column
 * names and order, so that the readers' SQL and the row encoders are shared.
 */
final class PgSchema {
  private PgSchema() {}

  record Migration(int version, String description, List<String> statements) {}

  /** Text compared byte by byte, as DuckDB does, whatever the database's default collation. */
  private static final String TEXT = "text COLLATE \"C\"";
  private static final String DECIMAL = "numeric(38,18)";
  private static final long LOCK_KEY = 0x5167_6874_6c6eL; // "Sightln": one migrating node at a time

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "spans, llm_calls, logs, metric_points by day; DuckDB's functions the shared SQL uses", List.of(
          "CREATE SEQUENCE write_seq",
          """
          CREATE TABLE spans (
            seq bigint NOT NULL, trace_id %1$s NOT NULL, span_id %1$s NOT NULL, parent_span_id %1$s, name %1$s,
            kind %1$s, start_ns bigint NOT NULL, end_ns bigint NOT NULL, status %1$s, status_message %1$s,
            service %1$s, scope_name %1$s, attributes %1$s, resource_attributes %1$s, events %1$s, category %1$s,
            unmapped_attributes %1$s, has_llm boolean NOT NULL
          ) PARTITION BY RANGE (start_ns)""".formatted(TEXT),
          "CREATE INDEX spans_trace ON spans (trace_id)",
          "CREATE INDEX spans_start ON spans (start_ns)",
          """
          CREATE TABLE llm_calls (
            seq bigint NOT NULL, trace_id %1$s NOT NULL, span_id %1$s NOT NULL, start_ns bigint NOT NULL,
            hour_ns bigint NOT NULL, provider %1$s, operation %1$s, request_model %1$s, response_model %1$s,
            model %1$s, streaming boolean, input_uncached bigint NOT NULL, input_cache_read bigint NOT NULL,
            input_cache_write_5m bigint NOT NULL, input_cache_write_1h bigint NOT NULL, output_text bigint NOT NULL,
            output_reasoning bigint NOT NULL, input_tokens bigint NOT NULL, output_tokens bigint NOT NULL,
            usage_source %1$s NOT NULL, inferred_exclusive boolean NOT NULL, usage_rejected_reason %1$s,
            has_timing boolean NOT NULL, timing_start_ns bigint, timing_end_ns bigint, ttft_ns bigint,
            ttft_source %1$s, last_token_ns bigint, max_gap_ns bigint, latency_ms double precision NOT NULL,
            ttft_ms double precision, tpot_ms double precision, output_tokens_per_s double precision,
            latency_bin smallint NOT NULL, ttft_bin smallint, tpot_bin smallint, has_cost boolean NOT NULL,
            cost_status %1$s, cost_total %2$s, cost_input %2$s, cost_cache_read %2$s, cost_cache_write %2$s,
            cost_output %2$s, cost_reasoning %2$s, price_key %1$s, cost_reason %1$s, cost_reported %2$s,
            status %1$s NOT NULL, is_error boolean NOT NULL, http_status integer, error_type %1$s,
            finish_reasons %1$s, has_context boolean NOT NULL, ctx_trace_id %1$s, ctx_span_id %1$s,
            ctx_service %1$s, service %1$s, route %1$s, session_id %1$s, user_id %1$s, prompt_name %1$s,
            prompt_version %1$s, tags %1$s, content_input %1$s, content_output %1$s, content_system %1$s,
            content_tools %1$s, service_tier %1$s
          ) PARTITION BY RANGE (start_ns)""".formatted(TEXT, DECIMAL),
          "CREATE INDEX llm_calls_trace ON llm_calls (trace_id)",
          "CREATE INDEX llm_calls_start ON llm_calls (start_ns)",
          """
          CREATE TABLE logs (
            seq bigint NOT NULL, time_ns bigint NOT NULL, observed_ns bigint NOT NULL, trace_id %1$s,
            span_id %1$s, severity_number integer NOT NULL, severity_text %1$s, event_name %1$s, body %1$s,
            service %1$s, scope_name %1$s, attributes %1$s, resource_attributes %1$s
          ) PARTITION BY RANGE (time_ns)""".formatted(TEXT),
          """
          CREATE TABLE metric_points (
            seq bigint NOT NULL, name %1$s NOT NULL, description %1$s, unit %1$s, type %1$s,
            time_ns bigint NOT NULL, start_ns bigint NOT NULL, service %1$s, attributes %1$s,
            value double precision, count bigint, sum double precision, bucket_bounds %1$s,
            bucket_counts %1$s, monotonic boolean NOT NULL, delta boolean NOT NULL
          ) PARTITION BY RANGE (time_ns)""".formatted(TEXT),
          // DuckDB's functions, for the SQL both engines run
          "CREATE FUNCTION contains(s text, part text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT strpos(s, part) > 0'",
          // from_json for the one shape the shared SQL reads: a JSON array of strings
          "CREATE FUNCTION from_json(j text, shape text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT array(SELECT json_array_elements_text(j::json))'",
          // json_extract_string for the paths ResourceFilter.jsonPath builds: $."key"
          "CREATE FUNCTION json_extract_string(j text, path text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT (j::json) ->> substr(path, 4, length(path) - 4)'",
          // arg_min(value, key): the value at the smallest key, rows with a null value or key skipped
          "CREATE TYPE arg_min_text AS (v text, k bigint)",
          "CREATE FUNCTION arg_min_step(s arg_min_text, v text, k bigint) RETURNS arg_min_text LANGUAGE sql"
              + " IMMUTABLE PARALLEL SAFE AS 'SELECT CASE WHEN v IS NULL OR k IS NULL THEN s"
              + " WHEN s IS NULL OR k < (s).k THEN ROW(v, k)::arg_min_text ELSE s END'",
          "CREATE FUNCTION arg_min_final(s arg_min_text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT (s).v'",
          "CREATE AGGREGATE arg_min(text, bigint) (SFUNC = arg_min_step, STYPE = arg_min_text,"
              + " FINALFUNC = arg_min_final)")),
      new Migration(2, "hourly LLM call rollups as DuckDB has them; quantile_cont", List.of(
          // the summary reads whole hours here and calls above the watermark raw; until this engine
          // folds calls in, the watermark stays 0 and every call is read raw
          """
          CREATE TABLE call_rollup (
            hour_ns bigint NOT NULL, dim smallint NOT NULL, key %1$s, calls bigint NOT NULL, errors bigint NOT NULL,
            errors_4xx bigint NOT NULL, errors_5xx bigint NOT NULL, unpriced bigint NOT NULL,
            input_tokens numeric NOT NULL, output_tokens numeric NOT NULL, cache_read_tokens numeric NOT NULL,
            cache_write_tokens numeric NOT NULL, reasoning_tokens numeric NOT NULL, cost_usd %2$s,
            tps_sum double precision NOT NULL, tps_n bigint NOT NULL
          )""".formatted(TEXT, DECIMAL),
          """
          CREATE TABLE call_rollup_hist (
            hour_ns bigint NOT NULL, dim smallint NOT NULL, key %s, metric smallint NOT NULL,
            bin smallint NOT NULL, n bigint NOT NULL
          )""".formatted(TEXT),
          "CREATE TABLE rollup_state (watermark_seq bigint NOT NULL)",
          "INSERT INTO rollup_state VALUES (0)",
          // quantile_cont(value, fractions): DuckDB's continuous quantiles, as percentile_cont computes
          // them; the state is [fraction count, fractions..., values...]
          """
          CREATE FUNCTION quantile_cont_step(s float8[], v float8, q numeric[]) RETURNS float8[]
          LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
          BEGIN
            IF v IS NULL THEN
              RETURN s;
            END IF;
            IF s IS NULL THEN
              s := array_prepend(cardinality(q)::float8, q::float8[]);
            END IF;
            s := array_append(s, v);
            RETURN s;
          END $$""",
          "CREATE FUNCTION quantile_cont_final(s float8[]) RETURNS float8[] LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT (SELECT percentile_cont(s[2:1 + s[1]::int]) WITHIN GROUP (ORDER BY x)"
              + " FROM unnest(s[2 + s[1]::int:]) AS x)'",
          "CREATE AGGREGATE quantile_cont(float8, numeric[]) (SFUNC = quantile_cont_step, STYPE = float8[],"
              + " FINALFUNC = quantile_cont_final)")),
      new Migration(3, "scores; alert rules and alert history", List.of(
          // every score is kept (re-evaluations too); readers take the latest per (trace, span, name)
          """
          CREATE TABLE scores (
            seq bigint NOT NULL, pos integer NOT NULL, trace_id %1$s NOT NULL, span_id %1$s NOT NULL,
            name %1$s NOT NULL, value double precision, label %1$s, flagged boolean, explanation %1$s,
            source %1$s, evaluator %1$s, evaluator_version %1$s, details %1$s, time_ns bigint NOT NULL
          )""".formatted(TEXT),
          "CREATE INDEX scores_call ON scores (trace_id, span_id)",
          "CREATE TABLE alert_rules (id %1$s PRIMARY KEY, json %1$s NOT NULL, updated_ns bigint NOT NULL)"
              .formatted(TEXT),
          """
          CREATE TABLE alert_events (
            seq bigint, rule_id %1$s NOT NULL, grp %1$s, from_state %1$s, to_state %1$s NOT NULL,
            at_ns bigint NOT NULL, value %2$s, message %1$s
          )""".formatted(TEXT, DECIMAL))),
      new Migration(4, "the service map's and real-user summary's functions", List.of(
          // quantile_cont(value, fraction): one quantile; the state is [fraction, values...]
          """
          CREATE FUNCTION quantile_cont_step(s float8[], v float8, q numeric) RETURNS float8[]
          LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
          BEGIN
            IF v IS NULL THEN
              RETURN s;
            END IF;
            IF s IS NULL THEN
              s := ARRAY[q::float8];
            END IF;
            s := array_append(s, v);
            RETURN s;
          END $$""",
          "CREATE FUNCTION quantile_cont_final1(s float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT (SELECT percentile_cont(s[1]) WITHIN GROUP (ORDER BY x) FROM unnest(s[2:]) AS x)'",
          "CREATE AGGREGATE quantile_cont(float8, numeric) (SFUNC = quantile_cont_step, STYPE = float8[],"
              + " FINALFUNC = quantile_cont_final1)",
          "CREATE TYPE arg_min_float8 AS (v float8, k bigint)",
          "CREATE FUNCTION arg_min_step(s arg_min_float8, v float8, k bigint) RETURNS arg_min_float8 LANGUAGE sql"
              + " IMMUTABLE PARALLEL SAFE AS 'SELECT CASE WHEN v IS NULL OR k IS NULL THEN s"
              + " WHEN s IS NULL OR k < (s).k THEN ROW(v, k)::arg_min_float8 ELSE s END'",
          "CREATE FUNCTION arg_min_final(s arg_min_float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT (s).v'",
          "CREATE AGGREGATE arg_min(float8, bigint) (SFUNC = arg_min_step, STYPE = arg_min_float8,"
              + " FINALFUNC = arg_min_final)",
          // DuckDB's TRY_CAST(text AS DOUBLE): NULL where the text is not a number
          """
          CREATE FUNCTION try_float8(t text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
          BEGIN
            RETURN t::float8;
          EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
            RETURN NULL;
          END $$""")),
      new Migration(5, "the metric readers' functions", List.of(
          // arg_max(value, key): the value at the largest key, rows with a null value or key skipped
          "CREATE FUNCTION arg_max_step(s arg_min_text, v text, k bigint) RETURNS arg_min_text LANGUAGE sql"
              + " IMMUTABLE PARALLEL SAFE AS 'SELECT CASE WHEN v IS NULL OR k IS NULL THEN s"
              + " WHEN s IS NULL OR k > (s).k THEN ROW(v, k)::arg_min_text ELSE s END'",
          "CREATE AGGREGATE arg_max(text, bigint) (SFUNC = arg_max_step, STYPE = arg_min_text,"
              + " FINALFUNC = arg_min_final)",
          "CREATE FUNCTION arg_max_step(s arg_min_float8, v float8, k bigint) RETURNS arg_min_float8 LANGUAGE sql"
              + " IMMUTABLE PARALLEL SAFE AS 'SELECT CASE WHEN v IS NULL OR k IS NULL THEN s"
              + " WHEN s IS NULL OR k > (s).k THEN ROW(v, k)::arg_min_float8 ELSE s END'",
          "CREATE AGGREGATE arg_max(float8, bigint) (SFUNC = arg_max_step, STYPE = arg_min_float8,"
              + " FINALFUNC = arg_min_final)",
          // isfinite of a double: neither infinite nor NaN (PostgreSQL has it for dates only)
          "CREATE FUNCTION isfinite(v float8) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS $$SELECT v <> 'Infinity'::float8 AND v <> '-Infinity'::float8 AND v <> 'NaN'::float8$$",
          // hash of a series' identity (name, service, labels), nulls told apart from empty strings
          "CREATE FUNCTION hash(a text, b text, c text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS $$SELECT hashtextextended(coalesce(a, chr(30)) || chr(31) || coalesce(b, chr(30)) || chr(31)"
              + " || coalesce(c, chr(30)), 0)$$",
          // list / flatten / list_distinct / list_sort / json_keys for the label keys of metric names
          "CREATE AGGREGATE list(text) (SFUNC = array_append, STYPE = text[], INITCOND = '{}')",
          "CREATE AGGREGATE list(text[]) (SFUNC = array_cat, STYPE = text[], INITCOND = '{}')",
          "CREATE FUNCTION flatten(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT a'",
          "CREATE FUNCTION list_distinct(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT array(SELECT DISTINCT x FROM unnest(a) AS x WHERE x IS NOT NULL)'",
          "CREATE FUNCTION list_sort(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT array(SELECT x FROM unnest(a) AS x ORDER BY x COLLATE \"C\")'",
          "CREATE FUNCTION json_keys(j text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE"
              + " AS 'SELECT array(SELECT json_object_keys(j::json))'")),
      new Migration(6, "rollups kept by every write: calls folded in, the watermark at its maximum", List.of(
          // each write folds its own calls in its transaction (writes of several nodes commit in any
          // order, so a watermark below which every call is folded cannot be kept); the summary then
          // reads whole hours from the rollups only
          "CREATE INDEX llm_calls_seq ON llm_calls (seq)",
          // the few calls still waiting for their root span's name, looked up by every write
          "CREATE INDEX llm_calls_routeless ON llm_calls (trace_id) WHERE route IS NULL",
          "DELETE FROM call_rollup",
          "DELETE FROM call_rollup_hist",
          Rollups.insert("SELECT *, route AS r, 1 AS sign FROM llm_calls", "true"),
          Rollups.histInsert("SELECT *, route AS r, 1 AS sign FROM llm_calls", "true"),
          "UPDATE rollup_state SET watermark_seq = 9223372036854775807")),
      new Migration(7, "ingest bus positions, committed with the rows they cover", List.of(
          // one row per consumer group and partition: the next offset to read (everything below is
          // stored); writers of one group lock their partitions' rows, so two nodes that replay the
          // same messages (a rebalance) store them once
          """
          CREATE TABLE bus_positions (
            grp %1$s NOT NULL, topic %1$s NOT NULL, part integer NOT NULL, next_offset bigint NOT NULL,
            PRIMARY KEY (grp, topic, part)
          )""".formatted(TEXT))));

  /** Columns per row of the COPY-written tables, in table order. */
  static final int SPAN_COLUMNS = 18;
  static final int CALL_COLUMNS = 68;
  static final int LOG_COLUMNS = 13;
  static final int METRIC_COLUMNS = 16;
  static final int SCORE_COLUMNS = 14;

  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Applies every migration above the schema's version, each in its own transaction; first creates
   * {@code schema} (quoted, the connection's search path) when given and missing. Each schema has
   * its own tables, versions and DuckDB look-alike functions.
   */
  static void migrate(Connection c, String where, String schema) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      try {
        if (schema != null) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL, description text,"
            + " applied_at timestamptz NOT NULL DEFAULT now())");
        int current;
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
          rs.next();
          current = rs.getInt(1);
        }
        if (current > latestVersion()) {
          throw new StoreException("The PostgreSQL database " + where + " has schema version " + current
              + ", newer than this Sightline understands (" + latestVersion() + "). A newer Sightline wrote it:"
              + " run that version, or point this one at another database.");
        }
        for (Migration m : MIGRATIONS) {
          if (m.version() > current) {
            apply(c, m, where);
          }
        }
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      }
    }
  }

  private static void apply(Connection c, Migration m, String where) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : m.statements()) {
        s.execute(sql);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.description());
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new StoreException("Could not migrate " + where + " to schema version " + m.version() + " ("
          + m.description() + "): " + e.getMessage(), e);
    } finally {
      c.setAutoCommit(true);
    }
  }
}
