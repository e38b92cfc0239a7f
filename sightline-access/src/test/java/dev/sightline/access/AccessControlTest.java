package dev.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(Instant.parse("2026-05-01T10:00:00Z"));

  AccessControl open() {
    return AccessControl.open(dir.resolve(AccessControl.FILE_NAME), clock);
  }

  @Test
  void aFreshFileHasTheDefaultProjectOnly() throws Exception {
    AccessControl ac = open();
    assertThat(ac.projects()).extracting(Project::name).containsExactly("default");
    assertThat(Files.exists(dir.resolve("access.json"))).isTrue();
    assertThat(ac.keys(null)).isEmpty();
  }

  @Test
  void projectsAndRetentionSurviveReopening() {
    AccessControl ac = open();
    ac.createProject("checkout-prod", new Retention(365, 30));
    ac.createProject("batch_jobs", null);
    ac.setRetention("batch_jobs", new Retention(null, 7));

    AccessControl again = open();
    assertThat(again.projects()).extracting(Project::name).containsExactly("default", "checkout-prod", "batch_jobs");
    assertThat(again.project("checkout-prod").orElseThrow().retention()).isEqualTo(new Retention(365, 30));
    assertThat(again.project("batch_jobs").orElseThrow().retention()).isEqualTo(new Retention(null, 7));
    assertThat(again.project("default").orElseThrow().retention()).isEqualTo(Retention.FOREVER);
  }

  @Test
  void badInputIsRefusedWithMessagesThatSayWhatToChange() {
    AccessControl ac = open();
    assertThatThrownBy(() -> ac.createProject("Checkout", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-z, 0-9");
    assertThatThrownBy(() -> ac.createProject("-x", null)).hasMessageContaining("starting with a letter or digit");
    assertThatThrownBy(() -> ac.createProject("x".repeat(65), null)).hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> ac.createProject("default", null)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> ac.createKey("nope", KeyKind.INGEST, null, null))
        .hasMessageContaining("no project 'nope'").hasMessageContaining("projects create nope");
    assertThatThrownBy(() -> ac.setRetention("nope", Retention.FOREVER)).hasMessageContaining("no project 'nope'");
    assertThatThrownBy(() -> ac.createKey("default", KeyKind.VIRTUAL, null, null))
        .hasMessageContaining("--provider openai --provider-key-env OPENAI_API_KEY");
    assertThatThrownBy(() -> new VirtualTarget("gemini", "X")).hasMessageContaining("openai, anthropic, ollama");
    assertThatThrownBy(() -> new VirtualTarget("openai", "")).hasMessageContaining("--provider-key-env OPENAI_API_KEY");
    assertThatThrownBy(() -> new VirtualTarget("openai", "sk-abc-123")).hasMessageContaining("never the provider key");
    assertThatThrownBy(() -> ac.createKey("default", KeyKind.READ, null, new VirtualTarget("openai", "K")))
        .hasMessageContaining("only virtual keys");
    assertThatThrownBy(() -> new Retention(0, null)).hasMessageContaining("from 1 to");
    assertThatThrownBy(() -> KeyKind.parse("admin")).hasMessageContaining("ingest, read, virtual");
    assertThat(ac.projects()).hasSize(1);
  }

  @Test
  void keysAuthenticateToTheirProjectAndKind() {
    AccessControl ac = open();
    ac.createProject("a", null);
    CreatedKey ingest = ac.createKey("a", KeyKind.INGEST, "collector", null);
    CreatedKey read = ac.createKey("default", KeyKind.READ, null, null);
    CreatedKey vk = ac.createKey("a", KeyKind.VIRTUAL, "app", new VirtualTarget("OpenAI", "OPENAI_API_KEY"));

    assertThat(ingest.secret()).matches("sl_ingest_[0-9A-Za-z]{32}");
    assertThat(read.secret()).matches("sl_read_[0-9A-Za-z]{32}");
    assertThat(vk.secret()).matches("sl_vk_[0-9A-Za-z]{32}");
    assertThat(ingest.info().prefix()).isEqualTo(ingest.secret().substring(0, 12));
    assertThat(ingest.toString()).doesNotContain(ingest.secret());

    assertThat(ac.authenticate(ingest.secret())).contains(new Principal("a", KeyKind.INGEST, ingest.info().id(), false, null));
    assertThat(ac.authenticate(read.secret()).orElseThrow().project()).isEqualTo("default");
    Principal v = open().authenticate(vk.secret()).orElseThrow();
    assertThat(v.kind()).isEqualTo(KeyKind.VIRTUAL);
    assertThat(v.target()).isEqualTo(new VirtualTarget("openai", "OPENAI_API_KEY"));
    assertThat(ac.authenticate(ingest.secret() + "x")).isEmpty();
    assertThat(ac.authenticate(null)).isEmpty();
    assertThat(ac.authenticate("")).isEmpty();

    assertThat(ac.keys("a")).extracting(KeyInfo::id).containsExactly(ingest.info().id(), vk.info().id());
    assertThat(ac.keys(null)).hasSize(3);
    assertThat(open().keys("a").get(0)).isEqualTo(ingest.info());
  }

  @Test
  void theFileHoldsHashesOnlyNeverASecret() throws Exception {
    AccessControl ac = open();
    List<String> secrets = new ArrayList<>();
    for (KeyKind k : KeyKind.values()) {
      secrets.add(ac.createKey("default", k, "l", k == KeyKind.VIRTUAL ? new VirtualTarget("anthropic", "ANTHROPIC_API_KEY") : null).secret());
    }
    String token = ac.ensureAdmin(null);
    String text = Files.readString(dir.resolve("access.json"));
    for (String s : secrets) {
      assertThat(text).doesNotContain(s).doesNotContain(s.substring(12)).contains(Secrets.sha256Hex(s));
    }
    assertThat(text).doesNotContain(token).doesNotContain(Secrets.sha256Hex(token)).contains("PBKDF2WithHmacSHA256");
    assertThat(text).contains("ANTHROPIC_API_KEY");
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnceAndEverywhere() {
    AccessControl server = open();
    CreatedKey k = server.createKey("default", KeyKind.READ, null, null);
    String session = server.startSession(server.authenticate(k.secret()).orElseThrow());
    assertThat(server.session(session)).isPresent();

    assertThat(server.revokeKey(k.info().id())).isTrue();
    assertThat(server.authenticate(k.secret())).isEmpty();
    assertThat(server.session(session)).isEmpty();
    assertThat(server.revokeKey(k.info().id())).isFalse();
    assertThat(server.keys(null)).isEmpty();
  }

  @Test
  void anotherInstanceSeesChangesOnceASecondHasPassed() {
    AccessControl server = open();
    AccessControl cli = open();
    assertThat(server.projects()).hasSize(1);

    CreatedKey k = cli.createKey("default", KeyKind.INGEST, null, null);
    cli.createProject("late", null);
    // the server looks at the file at most once a second
    assertThat(server.authenticate(k.secret())).isEmpty();
    clock.advance(Duration.ofMillis(1001));
    assertThat(server.authenticate(k.secret())).isPresent();
    assertThat(server.projects()).extracting(Project::name).contains("late");

    cli.revokeKey(k.info().id());
    clock.advance(Duration.ofSeconds(2));
    assertThat(server.authenticate(k.secret())).isEmpty();
  }

  @Test
  void writesOfTwoInstancesDoNotLoseEachOther() {
    AccessControl one = open();
    AccessControl two = open();
    one.createProject("p1", null);
    two.createProject("p2", null); // two has not re-read yet: the change is applied to the file's latest content
    assertThat(open().projects()).extracting(Project::name).containsExactly("default", "p1", "p2");
  }

  @Test
  void adminTokenOnFirstStartThenPasswordFromConfig() {
    AccessControl ac = open();
    String token = ac.ensureAdmin(null);
    assertThat(token).isNotBlank();
    assertThat(ac.checkAdmin(token)).isTrue();
    assertThat(ac.checkAdmin(token + "x")).isFalse();
    assertThat(ac.checkAdmin(null)).isFalse();
    assertThat(open().ensureAdmin(null)).as("printed once: a restart has it stored").isNull();
    assertThat(open().checkAdmin(token)).isTrue();

    assertThat(ac.ensureAdmin("correct horse battery")).isNull();
    assertThat(ac.checkAdmin("correct horse battery")).isTrue();
    assertThat(ac.checkAdmin(token)).isFalse();
    assertThat(open().checkAdmin("correct horse battery")).isTrue();
  }

  @Test
  void sessionsExpireAfterTwelveHours() {
    AccessControl ac = open();
    String s = ac.startSession(Principal.administrator());
    String other = ac.startSession(Principal.administrator());
    assertThat(s).isNotEqualTo(other);
    assertThat(ac.session(s)).contains(Principal.administrator());
    clock.advance(Duration.ofHours(11).plusMinutes(59));
    assertThat(ac.session(s)).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(ac.session(s)).isEmpty();
    assertThat(ac.session("made-up")).isEmpty();
    assertThat(ac.session(null)).isEmpty();

    String t = ac.startSession(Principal.administrator());
    ac.endSession(t);
    assertThat(ac.session(t)).isEmpty();
  }

  @Test
  void presentedKeyReadsEitherHeader() {
    assertThat(AccessControl.presentedKey(Map.of("authorization", "Bearer sl_ingest_abc")::get)).isEqualTo("sl_ingest_abc");
    assertThat(AccessControl.presentedKey(Map.of("authorization", "bearer  k1 ")::get)).isEqualTo("k1");
    assertThat(AccessControl.presentedKey(Map.of("x-sightline-key", "k2")::get)).isEqualTo("k2");
    assertThat(AccessControl.presentedKey(Map.of("x-sightline-key", "k2", "authorization", "Bearer sk-provider")::get))
        .isEqualTo("k2");
    assertThat(AccessControl.presentedKey(Map.of("authorization", "Basic dXNlcjpwdw==")::get)).isNull();
    assertThat(AccessControl.presentedKey(Map.of("authorization", "Bearer ")::get)).isNull();
    assertThat(AccessControl.presentedKey(Map.<String, String>of()::get)).isNull();
  }

  @Test
  void aCorruptFileIsRefusedNamingTheFileAndTheFix() throws Exception {
    Path f = dir.resolve("access.json");
    Files.writeString(f, "{\"version\":1,\"projects\":[{\"name\":");
    assertThatThrownBy(this::open).isInstanceOf(AccessFileException.class)
        .hasMessageContaining(f.toAbsolutePath().toString()).hasMessageContaining("not valid JSON")
        .hasMessageContaining("will not start open");
    Files.writeString(f, "{\"version\":1,\"keys\":[{\"id\":\"k_1\",\"project\":\"default\",\"kind\":\"ingest\"}]}");
    assertThatThrownBy(this::open).isInstanceOf(AccessFileException.class).hasMessageContaining("'sha256' is missing");
    Files.writeString(f, "[]");
    assertThatThrownBy(this::open).isInstanceOf(AccessFileException.class).hasMessageContaining("not a JSON object");
  }

  @Test
  void aFileBrokenWhileRunningKeepsTheKeysReadBefore() throws Exception {
    AccessControl server = open();
    CreatedKey k = server.createKey("default", KeyKind.INGEST, null, null);
    Files.writeString(dir.resolve("access.json"), "garbage");
    clock.advance(Duration.ofSeconds(2));
    assertThat(server.authenticate(k.secret())).isPresent();
    assertThat(server.authenticate("sl_ingest_guess")).isEmpty();
  }

  @Test
  void keysCreatedFromManyThreadsAreAllKept() throws Exception {
    AccessControl ac = open();
    AccessControl other = open();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<CreatedKey>> futures = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        AccessControl target = i % 3 == 0 ? other : ac;
        futures.add(pool.submit(() -> target.createKey("default", KeyKind.INGEST, null, null)));
      }
      List<CreatedKey> created = new ArrayList<>();
      for (Future<CreatedKey> f : futures) {
        created.add(f.get());
      }
      AccessControl fresh = open();
      assertThat(fresh.keys("default")).hasSize(60);
      for (CreatedKey c : created) {
        assertThat(fresh.authenticate(c.secret())).isPresent();
      }
      assertThat(created.stream().map(c -> c.info().id()).distinct()).hasSize(60);
    } finally {
      pool.shutdownNow();
    }
  }
}
