package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.access.AccessControl;
import dev.sightline.access.KeyKind;
import dev.sightline.access.Principal;
import dev.sightline.access.Retention;
import dev.sightline.access.VirtualTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sightline projects} and {@code sightline keys} against a data directory, as a user runs them. */
class AccessCommandsTest {
  private static final Pattern SECRET = Pattern.compile("sl_(ingest|read|vk)_[0-9A-Za-z]{32}");
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run cli(Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = Main.run(args, env);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  private Run cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.toString();
    return cli(Map.of(), all);
  }

  private static String secretIn(String out) {
    Matcher m = SECRET.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group();
  }

  private AccessControl access() {
    return AccessControl.open(dir.resolve("access.json"), Clock.systemUTC());
  }

  @Test
  void createProjectThenKeysThatWorkAndRevokeOne() throws Exception {
    Run created = cli("projects", "create", "shop", "--retention-days", "365", "--content-retention-days", "30");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("created project shop");
    assertThat(access().project("shop").orElseThrow().retention()).isEqualTo(new Retention(365, 30));

    Run ingest = cli("keys", "create", "--project", "shop", "--kind", "ingest", "--label", "checkout collector");
    assertThat(ingest.code()).as(ingest.err()).isZero();
    String secret = secretIn(ingest.out());
    assertThat(secret).startsWith("sl_ingest_");
    assertThat(ingest.out()).contains("not shown again");
    Principal p = access().authenticate(secret).orElseThrow();
    assertThat(p.project()).isEqualTo("shop");
    assertThat(p.kind()).isEqualTo(KeyKind.INGEST);
    assertThat(Files.readString(dir.resolve("access.json"))).doesNotContain(secret);

    Run vk = cli("keys", "create", "--project", "shop", "--kind", "virtual", "--provider", "anthropic",
        "--provider-key-env", "ANTHROPIC_API_KEY");
    assertThat(vk.code()).as(vk.err()).isZero();
    assertThat(access().authenticate(secretIn(vk.out())).orElseThrow().target())
        .isEqualTo(new VirtualTarget("anthropic", "ANTHROPIC_API_KEY"));

    Run list = cli("keys", "list", "--project", "shop");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains(p.keyId()).contains("checkout collector").contains(secret.substring(0, 12))
        .contains("anthropic ($ANTHROPIC_API_KEY)").doesNotContain(secret);
    assertThat(cli("projects", "list").out()).contains("shop").contains("365 d").contains("30 d");

    Run revoke = cli("keys", "revoke", p.keyId());
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(access().authenticate(secret)).isEmpty();
    assertThat(cli("keys", "list").out()).doesNotContain(p.keyId());
  }

  @Test
  void mistakesExitWithTwoAndSayWhatToDo() {
    Run noProject = cli("keys", "create", "--project", "nope", "--kind", "ingest");
    assertThat(noProject.code()).isEqualTo(2);
    assertThat(noProject.err()).contains("no project 'nope'").contains("projects create nope");
    assertThat(noProject.out()).doesNotContainPattern(SECRET.pattern());

    Run badKind = cli("keys", "create", "--project", "default", "--kind", "admin");
    assertThat(badKind.code()).isEqualTo(2);
    assertThat(badKind.err()).contains("ingest, read, virtual");

    Run noProvider = cli("keys", "create", "--project", "default", "--kind", "virtual");
    assertThat(noProvider.code()).isEqualTo(2);
    assertThat(noProvider.err()).contains("--provider");

    Run badName = cli("projects", "create", "Shop");
    assertThat(badName.code()).isEqualTo(2);
    assertThat(badName.err()).contains("a-z, 0-9");

    Run badDays = cli("projects", "create", "shop", "--retention-days", "0");
    assertThat(badDays.code()).isEqualTo(2);
    assertThat(badDays.err()).contains("--retention-days must be from 1");

    Run unknown = cli("keys", "revoke", "k_nothing");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no key with id 'k_nothing'");
    assertThat(access().keys(null)).isEmpty();
    assertThat(access().projects()).hasSize(1);
  }

  @Test
  void theDataDirComesFromTheEnvironmentLikeTheServers() throws Exception {
    Path data = dir.resolve("from-env");
    Run r = cli(Map.of("SIGHTLINE_DATA_DIR", data.toString()), "projects", "create", "envproj");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(data.resolve("access.json"))).contains("envproj");
  }

  @Test
  void aCorruptAccessFileIsReportedNotReplaced() throws Exception {
    Files.writeString(dir.resolve("access.json"), "{not json");
    Run r = cli("keys", "list");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(dir.resolve("access.json").toAbsolutePath().toString()).contains("not valid JSON");
    assertThat(Files.readString(dir.resolve("access.json"))).isEqualTo("{not json");
  }
}
