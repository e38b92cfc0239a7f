package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.RetentionConfig;
import dev.sightline.server.config.SightlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --retention and --content-retention from flags, the environment and the config file, and their mistakes. */
class RetentionOptionsTest {
  @TempDir Path dir;

  private SightlineConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    return ((ServerCommand) r.subcommand().commandSpec().userObject()).options.toConfig();
  }

  @Test
  void offByDefault() {
    assertThat(parse(Map.of(), "server").retention()).isEqualTo(RetentionConfig.OFF);
  }

  @Test
  void fromFlagsEnvironmentAndConfigFile() throws Exception {
    assertThat(parse(Map.of(), "server", "--retention", "365", "--content-retention", "30d").retention())
        .isEqualTo(new RetentionConfig(365, 30));
    assertThat(parse(Map.of("SIGHTLINE_RETENTION", "90", "SIGHTLINE_CONTENT_RETENTION", "off"), "server").retention())
        .isEqualTo(new RetentionConfig(90, null));
    Path file = Files.writeString(dir.resolve("sightline.conf"), "retention = off\ncontent-retention = 7\n");
    assertThat(parse(Map.of(), "server", "--config", file.toString()).retention())
        .isEqualTo(new RetentionConfig(null, 7));
  }

  @Test
  void mistakesSayWhichOptionAndWhatIsAllowed() {
    assertThatThrownBy(() -> parse(Map.of(), "server", "--retention", "forever"))
        .isInstanceOf(ConfigException.class).hasMessage("--retention must be a number of days (e.g. 30) or off; got 'forever'");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--content-retention", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--content-retention must be between 1 and 36500 days, or off; got 0");
    assertThatThrownBy(() -> parse(Map.of("SIGHTLINE_RETENTION", "-3"), "server"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--retention must be between 1 and 36500");
  }

  @Test
  void otherSettingsKeepTheRetention() {
    SightlineConfig c = parse(Map.of(), "server", "--retention", "10");
    assertThat(c.withPii(c.pii()).withRum(c.rum()).retention()).isEqualTo(new RetentionConfig(10, null));
  }
}
