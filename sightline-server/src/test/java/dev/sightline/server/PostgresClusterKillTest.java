package dev.sightline.server;

import static dev.sightline.server.MultiNodeKillTest.SPANS_PER_TRACE;
import static dev.sightline.server.MultiNodeKillTest.TRACES_PER_EXPORT;
import static dev.sightline.server.MultiNodeKillTest.awaitTrace;
import static dev.sightline.server.MultiNodeKillTest.concat;
import static dev.sightline.server.MultiNodeKillTest.export;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.bus.EmbeddedKafka;
import dev.sightline.store.Store;
import dev.sightline.store.postgres.PostgresServer;
import dev.sightline.store.postgres.PostgresStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on one machine: Kafka and PostgreSQL, two ingest processes, two writer processes
 * and one query process. One writer is killed with SIGKILL in the middle of the stream (the other takes
 * its partitions) and started again later: every acknowledged span is stored exactly once in the shared
 * store, and the query process shows what the ingest processes acknowledged.
 */
class PostgresClusterKillTest {
  @TempDir Path dir;

  @Test
  void twoWritersOnPostgresLoseNothingAndDuplicateNothingWhenOneIsKilled() throws Exception {
    try (PostgresServer pg = PostgresServer.start(); EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (var c = DriverManager.getConnection(pg.jdbcUrl()); var st = c.createStatement()) {
        st.execute("CREATE DATABASE cluster");
      }
      String url = pg.jdbcUrl().replace("/postgres?", "/cluster?");
      kafka.createTopic("sightline.batches", 4);
      kafka.createTopic("sightline.batches.dead", 1);
      List<String> bus = List.of("--bus", "kafka://" + kafka.bootstrapServers());
      List<String> store = List.of("--store", url);
      NodeProcess writer1 = NodeProcess.start("writer-1", dir.resolve("writer-1"), dir.resolve("writer-1.log"),
          concat(concat(List.of("--role", "writer"), bus), store));
      NodeProcess writer2 = NodeProcess.start("writer-2", dir.resolve("writer-2"), dir.resolve("writer-2.log"),
          concat(concat(List.of("--role", "writer"), bus), store));
      NodeProcess query = NodeProcess.start("query", dir.resolve("query"), dir.resolve("query.log"),
          concat(List.of("--role", "query"), store));
      NodeProcess ingest1 = NodeProcess.start("ingest-1", dir.resolve("ingest-1"), dir.resolve("ingest-1.log"),
          concat(List.of("--role", "ingest"), bus));
      NodeProcess ingest2 = NodeProcess.start("ingest-2", dir.resolve("ingest-2"), dir.resolve("ingest-2.log"),
          concat(List.of("--role", "ingest"), bus));
      List<NodeProcess> all = List.of(ingest1, ingest2, writer1, writer2, query);
      List<String> acknowledged = new ArrayList<>();
      try {
        int exports = 60;
        for (int i = 0; i < exports; i++) {
          if (i == 20) {
            writer1.kill9(); // mid-stream: writer-2 takes its partitions once its Kafka session expires
          }
          if (i == 40) {
            writer1.start(); // it rejoins the group and resumes from the positions in the shared store
          }
          NodeProcess to = i % 2 == 0 ? ingest1 : ingest2;
          List<String> traceIds = new ArrayList<>();
          HttpResponse<String> r = send(to, export(i, traceIds).toByteArray());
          assertThat(r.statusCode()).as("export %d to %s: %s", i, to.name, r.body()).isEqualTo(200);
          acknowledged.addAll(traceIds);
        }
        long t0 = System.nanoTime();
        for (String traceId : acknowledged) {
          JsonNode t = awaitTrace(query, traceId);
          assertThat(t.get("spans")).as("trace %s", traceId).hasSize(SPANS_PER_TRACE);
        }
        long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        List<String> probe = new ArrayList<>();
        assertThat(send(ingest2, export(exports, probe).toByteArray()).statusCode()).isEqualTo(200);
        long t1 = System.nanoTime();
        awaitTrace(query, probe.get(probe.size() - 1));
        long visibleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        acknowledged.addAll(probe);
        System.out.printf("postgres cluster: caught up %d ms after the stream; an acknowledged export visible on the"
            + " query process after %d ms%n", catchUpMs, visibleMs);
        assertThat(visibleMs).as("an acknowledged export visible on the query process (docs/scale-out.md)")
            .isLessThan(10_000);
        // writer-2 kept storing while writer-1 was down
        assertThat(busRecords(writer2)).isPositive();
      } finally {
        for (NodeProcess n : all) {
          n.close();
        }
      }
      assertThat(acknowledged).hasSize(61 * TRACES_PER_EXPORT);
      try (Store shared = PostgresStore.open(url)) {
        assertThat(shared.spanCount()).isEqualTo((long) acknowledged.size() * SPANS_PER_TRACE);
        assertThat(shared.callCount()).isEqualTo(acknowledged.size());
      }
    }
  }

  private static HttpResponse<String> send(NodeProcess to, byte[] body) throws Exception {
    return TestServers.HTTP.send(HttpRequest.newBuilder(to.otlpHttp("/v1/traces"))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long busRecords(NodeProcess writer) throws Exception {
    String metrics = TestServers.HTTP.send(HttpRequest.newBuilder(writer.http("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^sightline_bus_records_total (\\d+)$").matcher(metrics);
    assertThat(m.find()).as("sightline_bus_records_total on %s's /metrics", writer.name).isTrue();
    return Long.parseLong(m.group(1));
  }
}
