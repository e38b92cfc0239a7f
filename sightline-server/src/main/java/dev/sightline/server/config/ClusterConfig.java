package dev.sightline.server.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which parts of Sightline this process runs, and the Kafka bus between them (docs/scale-out.md).
 *
 * <p>The single-process default holds every role and no bus: receivers write straight to the store.
 * With a bus, an ingest role publishes its processed batches to Kafka instead, and a writer role
 * consumes them into the store.
 *
 * @param roles what this process does: at least one of ingest, writer, query
 * @param busServers Kafka's bootstrap servers ({@code host:port,…}), or null for no bus
 * @param busTopic the topic batches travel on
 * @param storeUrl the shared PostgreSQL store ({@code postgres://…}), or null for the embedded DuckDB file
 *     in the data directory
 * @param storeConnections connections to PostgreSQL each project's store keeps (its pool)
 */
public record ClusterConfig(Set<Role> roles, String busServers, String busTopic, String storeUrl,
    int storeConnections) {

  /** Connections a PostgreSQL store keeps when not told: PostgresStore's default. */
  public static final int DEFAULT_STORE_CONNECTIONS = 8;

  /** Without a pool size: the default one. */
  public ClusterConfig(Set<Role> roles, String busServers, String busTopic, String storeUrl) {
    this(roles, busServers, busTopic, storeUrl, DEFAULT_STORE_CONNECTIONS);
  }

  public static final String DEFAULT_TOPIC = "sightline.batches";

  /** One part of a Sightline deployment. */
  public enum Role {
    /** OTLP receivers, the gateway and the real-user receiver: decode, normalize, price, then store or publish. */
    INGEST,
    /** Consumes the bus into the store (without a bus: the store behind this process's own ingest). */
    WRITER,
    /** The REST API, the dashboard, alerts, budgets, evaluators and retention, over the store. */
    QUERY;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static ClusterConfig single() {
    return new ClusterConfig(EnumSet.allOf(Role.class), null, DEFAULT_TOPIC, null);
  }

  public ClusterConfig {
    if (roles == null || roles.isEmpty()) {
      throw new ConfigException("--role needs at least one of ingest, writer, query (or all)");
    }
    roles = Set.copyOf(roles);
    busServers = busServers == null || busServers.isBlank() ? null : busServers.trim();
    busTopic = busTopic == null || busTopic.isBlank() ? DEFAULT_TOPIC : busTopic.trim();
    if (!busTopic.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new ConfigException("--bus-topic must be 1 to 249 of A-Z a-z 0-9 . _ -; got '" + busTopic + "'");
    }
    if (busServers == null) {
      if (roles.contains(Role.INGEST) != roles.contains(Role.WRITER)) {
        throw new ConfigException("--role " + wire(roles) + " needs --bus: without Kafka an ingest role writes to its"
            + " own store, so ingest and writer run together (or give --bus kafka://HOST:PORT)");
      }
    }
    storeUrl = storeUrl == null || storeUrl.isBlank() || storeUrl.trim().equalsIgnoreCase("duckdb") ? null
        : storeUrl.trim();
    if (storeUrl != null && !storeUrl.startsWith("postgres://") && !storeUrl.startsWith("postgresql://")
        && !storeUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("--store takes duckdb (the embedded default) or postgres://USER:PASSWORD@HOST:PORT/DB;"
          + " got '" + redacted(storeUrl) + "'");
    }
    if (storeConnections < 1 || storeConnections > 1000) {
      throw new ConfigException("--store-connections must be between 1 and 1000, got " + storeConnections);
    }
    if (roles.contains(Role.QUERY) && !roles.contains(Role.WRITER) && storeUrl == null) {
      // the embedded DuckDB file is held by the one process that writes it
      throw new ConfigException("--role " + wire(roles) + ": a query role reads the store its writer holds; with the"
          + " embedded DuckDB store the query and writer roles run in one process (add writer, or share a"
          + " --store postgres://…)");
    }
  }

  /** Where the store lives, for logs: the URL without its password. */
  public String storeLabel() {
    return storeUrl == null ? "duckdb (embedded)" : redacted(storeUrl);
  }

  /** A URL with any {@code user:password@} password and {@code password=} parameter blanked. */
  static String redacted(String url) {
    return url.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  public boolean has(Role r) {
    return roles.contains(r);
  }

  /** Whether this process opens the store: a writer or a query role. */
  public boolean holdsStore() {
    return roles.contains(Role.WRITER) || roles.contains(Role.QUERY);
  }

  /** Whether the ingest role publishes to Kafka rather than writing to the store itself. */
  public boolean publishes() {
    return busServers != null && roles.contains(Role.INGEST);
  }

  /** Whether the writer role consumes Kafka. */
  public boolean consumes() {
    return busServers != null && roles.contains(Role.WRITER);
  }

  /** {@code ingest,writer,query}, or a subset, in that order. */
  public static String wire(Set<Role> roles) {
    StringBuilder b = new StringBuilder();
    for (Role r : Role.values()) {
      if (roles.contains(r)) {
        b.append(b.isEmpty() ? "" : ",").append(r.wire());
      }
    }
    return b.toString();
  }

  /** Parses {@code --role}: {@code all}, or a comma-separated list of ingest, writer, query. */
  public static Set<Role> parseRoles(String s) {
    if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("all")) {
      return EnumSet.allOf(Role.class);
    }
    EnumSet<Role> out = EnumSet.noneOf(Role.class);
    for (String part : s.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      try {
        out.add(Role.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--role takes all or a list of ingest, writer, query; got '" + part.trim() + "'");
      }
    }
    return out;
  }

  /**
   * Parses {@code --bus}: {@code kafka://host:port[,host:port…]} or the bare list; null or empty for
   * no bus. Every server must be {@code host:port} with a port from 1 to 65535.
   */
  public static String parseBus(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.trim();
    if (t.regionMatches(true, 0, "kafka://", 0, 8)) {
      t = t.substring(8);
    } else if (t.contains("://")) {
      throw new ConfigException("--bus must be kafka://HOST:PORT[,HOST:PORT…]; got '" + s + "'");
    }
    if (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    for (String server : t.split(",")) {
      int colon = server.lastIndexOf(':');
      boolean ok = colon > 0 && colon < server.length() - 1;
      if (ok) {
        try {
          int port = Integer.parseInt(server.substring(colon + 1));
          ok = port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ConfigException("--bus must be kafka://HOST:PORT[,HOST:PORT…]; '" + server + "' is not HOST:PORT");
      }
    }
    return t;
  }
}
