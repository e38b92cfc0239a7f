package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.receivers.rum.RumApp;
import dev.sightline.server.config.SightlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --rum-app and --rum-max-body from flags, the environment and the config file, and their mistakes. */
class RumOptionsTest {
  @TempDir Path dir;

  private SightlineConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    return ((ServerCommand) r.subcommand().commandSpec().userObject()).options.toConfig();
  }

  @Test
  void offByDefaultWith64KiB() {
    SightlineConfig c = parse(Map.of(), "server");
    assertThat(c.rum().enabled()).isFalse();
    assertThat(c.rum().maxBodyBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void appsFromFlagsTheEnvironmentAndTheConfigFile() throws Exception {
    SightlineConfig flags = parse(Map.of(), "server", "--rum-app", "web=pk_web,origin=https://chat.example.com,sample=0.25",
        "--rum-app", "admin=pk_admin,origin=http://127.0.0.1:3000,origin=https://admin.example.com", "--rum-max-body", "128KiB");
    assertThat(flags.rum().apps()).extracting(RumApp::name).containsExactly("web", "admin");
    assertThat(flags.rum().apps().get(0).sampleRate()).isEqualTo(0.25);
    assertThat(flags.rum().apps().get(1).origins()).containsExactly("http://127.0.0.1:3000", "https://admin.example.com");
    assertThat(flags.rum().maxBodyBytes()).isEqualTo(128 * 1024);

    SightlineConfig env = parse(Map.of("SIGHTLINE_RUM_APP", "web=pk_web,origin=*\n  admin=pk_admin other=pk_o",
        "SIGHTLINE_RUM_MAX_BODY", "1MiB"), "server");
    assertThat(env.rum().apps()).extracting(RumApp::key).containsExactly("pk_web", "pk_admin", "pk_o");
    assertThat(env.rum().maxBodyBytes()).isEqualTo(1024 * 1024);

    Path file = dir.resolve("rum.conf");
    Files.writeString(file, """
        rum-app = web=pk_web,origin=https://chat.example.com
        rum-app = admin=pk_admin,sample=0
        rum-max-body = 32768
        """);
    SightlineConfig fromFile = parse(Map.of(), "server", "--config", file.toString());
    assertThat(fromFile.rum().apps()).extracting(RumApp::name).containsExactly("web", "admin");
    assertThat(fromFile.rum().apps().get(1).sampleRate()).isZero();
    assertThat(fromFile.rum().maxBodyBytes()).isEqualTo(32768);
  }

  @Test
  void mistakesNameTheFlag() {
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-app", "web=a", "--rum-app", "web=b"))
        .hasMessageContaining("--rum-app").hasMessageContaining("'web'");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-app", "web=a", "--rum-app", "shop=a"))
        .hasMessageContaining("--rum-app").hasMessageContaining("'a'");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-app", "web=a,origin=chat.example.com"))
        .hasMessageContaining("--rum-app").hasMessageContaining("origin=chat.example.com");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-app", "web=a,sample=2"))
        .hasMessageContaining("--rum-app").hasMessageContaining("sample=2.0");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-app", "web"))
        .hasMessageContaining("--rum-app 'web'").hasMessageContaining("NAME=KEY");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-max-body", "lots"))
        .hasMessageContaining("--rum-max-body").hasMessageContaining("64KiB");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--rum-max-body", "100"))
        .hasMessageContaining("--rum-max-body").hasMessageContaining("1KiB");
  }
}
