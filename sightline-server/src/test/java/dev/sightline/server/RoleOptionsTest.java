package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.server.config.ClusterConfig;
import dev.sightline.server.config.ClusterConfig.Role;
import dev.sightline.server.config.ConfigException;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --role, --bus and --bus-topic as `sightline server` reads them (docs/scale-out.md). */
class RoleOptionsTest {
  private static ClusterConfig cluster(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "server";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine cli = Main.commandLine(all, env);
    CommandLine.ParseResult r = cli.parseArgs(all);
    return ((ServerCommand) r.subcommand().commandSpec().userObject()).options.toConfig().cluster();
  }

  @Test
  void theDefaultIsOneProcessWithEveryRoleAndNoBus() {
    ClusterConfig c = cluster(Map.of());
    assertThat(c.roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(c.busServers()).isNull();
    assertThat(c.publishes()).isFalse();
    assertThat(c.consumes()).isFalse();
    assertThat(c.holdsStore()).isTrue();
  }

  @Test
  void splitRolesTalkOverTheBus() {
    ClusterConfig ingest = cluster(Map.of(), "--role", "ingest", "--bus", "kafka://127.0.0.1:9092,10.0.0.2:9093");
    assertThat(ingest.roles()).containsExactly(Role.INGEST);
    assertThat(ingest.busServers()).isEqualTo("127.0.0.1:9092,10.0.0.2:9093");
    assertThat(ingest.publishes()).isTrue();
    assertThat(ingest.consumes()).isFalse();
    assertThat(ingest.holdsStore()).isFalse();

    ClusterConfig writer = cluster(Map.of("SIGHTLINE_ROLE", "writer,query", "SIGHTLINE_BUS", "127.0.0.1:9092"),
        "--bus-topic", "team-a.batches");
    assertThat(writer.roles()).containsExactlyInAnyOrder(Role.WRITER, Role.QUERY);
    assertThat(writer.consumes()).isTrue();
    assertThat(writer.publishes()).isFalse();
    assertThat(writer.busTopic()).isEqualTo("team-a.batches");

    ClusterConfig both = cluster(Map.of(), "--role", "all", "--bus", "kafka://localhost:9092");
    assertThat(both.publishes()).isTrue();
    assertThat(both.consumes()).isTrue();
    assertThat(ClusterConfig.wire(EnumSet.of(Role.QUERY, Role.INGEST))).isEqualTo("ingest,query");
  }

  @Test
  void queryNodesShareAPostgresStore() {
    ClusterConfig query = cluster(Map.of(), "--role", "query", "--store", "postgres://sl:s3cret@db.internal:5432/sightline");
    assertThat(query.roles()).containsExactly(Role.QUERY);
    assertThat(query.storeUrl()).isEqualTo("postgres://sl:s3cret@db.internal:5432/sightline");
    assertThat(query.storeLabel()).isEqualTo("postgres://sl:***@db.internal:5432/sightline").doesNotContain("s3cret");
    assertThat(query.holdsStore()).isTrue();
    assertThat(cluster(Map.of(), "--store", "duckdb").storeUrl()).isNull();
    assertThat(query.storeConnections()).isEqualTo(8);
    assertThat(cluster(Map.of("SIGHTLINE_STORE_CONNECTIONS", "24"), "--role", "query", "--store", "postgres://h/db")
        .storeConnections()).isEqualTo(24);
    assertThat(cluster(Map.of("SIGHTLINE_STORE", "jdbc:postgresql://h/db?password=pw"), "--role", "query")
        .storeLabel()).isEqualTo("jdbc:postgresql://h/db?password=***");
  }

  @Test
  void mistakesAreClearErrors() {
    assertThatThrownBy(() -> cluster(Map.of(), "--role", "query"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--store postgres://");
    assertThatThrownBy(() -> cluster(Map.of(), "--store", "mysql://root:hunter2@h/db"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--store takes duckdb")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> cluster(Map.of(), "--role", "ingest"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--role ingest needs --bus");
    assertThatThrownBy(() -> cluster(Map.of(), "--role", "writer"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--role writer needs --bus");
    assertThatThrownBy(() -> cluster(Map.of(), "--role", "ingest,query", "--bus", "kafka://127.0.0.1:9092"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("add writer");
    assertThatThrownBy(() -> cluster(Map.of(), "--role", "reader"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("got 'reader'");
    assertThatThrownBy(() -> cluster(Map.of(), "--role", ","))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> cluster(Map.of(), "--bus", "http://127.0.0.1:9092"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka://HOST:PORT");
    assertThatThrownBy(() -> cluster(Map.of(), "--bus", "kafka://127.0.0.1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'127.0.0.1' is not HOST:PORT");
    assertThatThrownBy(() -> cluster(Map.of(), "--bus", "kafka://h:70000"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not HOST:PORT");
    assertThatThrownBy(() -> cluster(Map.of(), "--store-connections", "0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--store-connections must be between 1 and 1000");
    assertThatThrownBy(() -> cluster(Map.of(), "--bus", "kafka://h:1", "--bus-topic", "a topic"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--bus-topic must be");
  }
}
