package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.server.demo.DemoCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --auth, --admin-password and the ingest limits as `sightline server` and `sightline demo` read them. */
class AccessOptionsTest {
  private static ServerOptions options(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    Object cmd = r.subcommand().commandSpec().userObject();
    return cmd instanceof ServerCommand s ? s.options : ((DemoCommand) cmd).options();
  }

  @Test
  void theServerRequiresKeysUnlessToldOtherwiseAndTheDemoIsOpen() {
    assertThat(options(Map.of(), "server").toConfig().access().keys()).isTrue();
    assertThat(options(Map.of(), "server", "--auth", "open").toConfig().access().keys()).isFalse();
    assertThat(options(Map.of("SIGHTLINE_AUTH", "open"), "server").toConfig().access().keys()).isFalse();
    ServerOptions demo = options(Map.of(), "demo");
    demo.defaultAuth("open"); // what DemoCommand does before it reads its options
    assertThat(demo.toConfig().access().keys()).isFalse();
    ServerOptions demoKeys = options(Map.of(), "demo", "--auth", "keys");
    demoKeys.defaultAuth("open");
    assertThat(demoKeys.toConfig().access().keys()).isTrue();
  }

  @Test
  void mistakesAreClearErrors() {
    assertThatThrownBy(() -> options(Map.of(), "server", "--auth", "none").toConfig())
        .isInstanceOf(ConfigException.class).hasMessageContaining("--auth must be 'keys'");
    assertThatThrownBy(() -> options(Map.of(), "server", "--admin-password", "short").toConfig())
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 8 characters");
    assertThatThrownBy(() -> options(Map.of(), "server", "--min-free-disk", "lots").toConfig())
        .isInstanceOf(ConfigException.class).hasMessageContaining("--min-free-disk must be a size");
    assertThatThrownBy(() -> options(Map.of(), "server", "--ingest-memory", "10k").toConfig())
        .isInstanceOf(ConfigException.class).hasMessageContaining("--ingest-memory must be at least 1MiB");
  }

  @Test
  void ingestLimitsHaveBoundedDefaultsAndTakeSizes() {
    SightlineConfig c = options(Map.of(), "server").toConfig();
    assertThat(c.ingest().memoryBytes()).isZero(); // a quarter of the heap, decided at start
    assertThat(c.ingest().minFreeDiskBytes()).isEqualTo(1L << 30);
    assertThat(c.ingest().storeMemoryBytes()).isEqualTo(1L << 30);
    SightlineConfig d = options(Map.of("SIGHTLINE_MIN_FREE_DISK", "512MiB"), "server", "--ingest-memory", "256m",
        "--store-memory", "auto").toConfig();
    assertThat(d.ingest().memoryBytes()).isEqualTo(256L << 20);
    assertThat(d.ingest().minFreeDiskBytes()).isEqualTo(512L << 20);
    assertThat(d.ingest().storeMemoryBytes()).isZero();
  }
}
