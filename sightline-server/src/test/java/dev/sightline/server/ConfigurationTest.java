package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.SightlineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags beat SIGHTLINE_* variables, which beat the config file, which beats the defaults. */
class ConfigurationTest {
  @TempDir Path dir;

  private SightlineConfig parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(args, env);
    CommandLine.ParseResult r = cli.parseArgs(args);
    ServerCommand cmd = (ServerCommand) r.subcommand().commandSpec().userObject();
    return cmd.options.toConfig();
  }

  @Test
  void qualityAndPiiOptionsFromFlagsAndEnvironment() {
    SightlineConfig d = parse(Map.of(), "server");
    assertThat(d.pii()).isEqualTo(dev.sightline.pipeline.PiiMode.MASK);
    assertThat(d.evaluation().evaluators()).containsExactly("groundedness", "commitment", "injection");
    assertThat(d.evaluation().embeddings()).isFalse();
    assertThat(d.evaluation().settings().policy().defaultRate()).isEqualTo(1.0);
    assertThat(d.evaluation().settings().delay()).isEqualTo(java.time.Duration.ofSeconds(2));

    SightlineConfig c = parse(Map.of("SIGHTLINE_PII", "drop", "SIGHTLINE_EVAL_SAMPLE", "0.25"), "server",
        "--evaluators", "groundedness", "--eval-embeddings", "on", "--eval-route", "POST /chat=1,GET /health=0",
        "--eval-service", "batch=0", "--eval-delay", "500ms", "--eval-queue", "50", "--eval-threads", "2");
    assertThat(c.pii()).isEqualTo(dev.sightline.pipeline.PiiMode.DROP);
    assertThat(c.evaluation().evaluators()).containsExactly("groundedness");
    assertThat(c.evaluation().embeddings()).isTrue();
    assertThat(c.evaluation().settings().policy().rateFor("POST /chat", "batch")).isEqualTo(1.0);
    assertThat(c.evaluation().settings().policy().rateFor("GET /health", null)).isEqualTo(0.0);
    assertThat(c.evaluation().settings().policy().rateFor("GET /other", "batch")).isEqualTo(0.0);
    assertThat(c.evaluation().settings().policy().rateFor("GET /other", "web")).isEqualTo(0.25);
    assertThat(c.evaluation().settings().delay()).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(c.evaluation().settings().queueCapacity()).isEqualTo(50);
    assertThat(c.evaluation().settings().threads()).isEqualTo(2);
    assertThat(parse(Map.of(), "server", "--evaluators", "off").evaluation().evaluators()).isEmpty();

    assertThatThrownBy(() -> parse(Map.of(), "server", "--pii", "maybe"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--pii").hasMessageContaining("off, mask or drop");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--evaluators", "groundedness,vibes"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown evaluator 'vibes'");
    assertThat(parse(Map.of(), "server").evaluation().settings().cpuShare()).isEqualTo(0.25);
    assertThat(parse(Map.of(), "server", "--eval-cpu", "0.5").evaluation().settings().cpuShare()).isEqualTo(0.5);
    assertThatThrownBy(() -> parse(Map.of(), "server", "--eval-cpu", "2"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--eval-cpu");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--eval-sample", "2"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("between 0 (off) and 1");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--eval-delay", "soon"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("500ms, 2s or 1m");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--eval-embeddings", "maybe"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("on or off");
  }

  @Test
  void defaults() {
    SightlineConfig c = parse(Map.of(), "server");
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.httpPort()).isEqualTo(7700);
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.otlpHttpPort()).isEqualTo(4318);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.maxRequestBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.storeThreads()).isEqualTo(1);
  }

  @Test
  void storeThreadsFromFlagEnvironmentAndFileAndOutOfRangeIsAClearError() throws Exception {
    assertThat(parse(Map.of(), "server", "--store-threads", "4").storeThreads()).isEqualTo(4);
    assertThat(parse(Map.of("SIGHTLINE_STORE_THREADS", "3"), "server").storeThreads()).isEqualTo(3);
    Path file = dir.resolve("threads.conf");
    Files.writeString(file, "store-threads = 2\n");
    assertThat(parse(Map.of(), "server", "--config", file.toString()).storeThreads()).isEqualTo(2);
    assertThatThrownBy(() -> parse(Map.of(), "server", "--store-threads", "0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--store-threads must be between 1 and 1024");
  }

  @Test
  void precedenceFlagThenEnvThenFileThenDefault() throws Exception {
    Path file = dir.resolve("sightline.conf");
    Files.writeString(file, "# comment\nhttp-port = 8100\notlp-http-port = 8101\nbind = 0.0.0.0\n");
    SightlineConfig c = parse(Map.of("SIGHTLINE_OTLP_HTTP_PORT", "9101", "SIGHTLINE_DATA_DIR", "/tmp/sl"),
        "server", "--config", file.toString(), "--bind", "127.0.0.2");
    assertThat(c.bind()).isEqualTo("127.0.0.2");            // flag
    assertThat(c.otlpHttpPort()).isEqualTo(9101);           // env over file
    assertThat(c.httpPort()).isEqualTo(8100);               // file
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/sl"));  // env
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);           // default

    SightlineConfig viaEnvFile = parse(Map.of("SIGHTLINE_CONFIG", file.toString()), "server");
    assertThat(viaEnvFile.httpPort()).isEqualTo(8100);
  }

  @Test
  void mistakesAreClearErrors() throws Exception {
    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "http-prot = 8100\n");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--config", file.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'http-prot'").hasMessageContaining("http-port");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--config", dir.resolve("missing.conf").toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--http-port", "70000"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--http-port must be between 0 and 65535");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--http-port", "4317"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must differ");
  }

  @Test
  void gatewayRoutesAndCaptureFromFlagsAndEnvironment() {
    SightlineConfig c = parse(Map.of("SIGHTLINE_GATEWAY_CAPTURE", "on"), "server",
        "--gateway-route", "vllm=http://127.0.0.1:8000,tgi=http://127.0.0.1:8080",
        "--gateway-openai-upstream", "http://127.0.0.1:9999", "--gateway-anthropic-upstream", "http://127.0.0.1:9998");
    assertThat(c.gateway().anthropicUpstream()).hasToString("http://127.0.0.1:9998");
    assertThat(c.gateway().namedRoutes()).containsOnlyKeys("vllm", "tgi");
    assertThat(c.gateway().namedRoutes().get("vllm")).hasToString("http://127.0.0.1:8000");
    assertThat(c.gateway().openaiUpstream()).hasToString("http://127.0.0.1:9999");
    assertThat(c.gateway().capture()).isEqualTo(dev.sightline.gateway.CaptureMode.ON);
    assertThat(parse(Map.of(), "server").gateway().capture()).isEqualTo(dev.sightline.gateway.CaptureMode.METADATA);
    assertThatThrownBy(() -> parse(Map.of(), "server", "--gateway-capture", "sometimes"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("on, masked, metadata or off");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--gateway-route", "openai=http://127.0.0.1:1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("reserved");
  }

  @Test
  void exitCodeAndMessageForABadFlagValue() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err));
    try {
      int code = Main.run(new String[] {"server", "--otlp-grpc-port", "-1"}, Map.of());
      assertThat(code).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString()).contains("--otlp-grpc-port must be between 0 and 65535");
  }

  @Test
  void aTakenPortSaysWhichFlagToChange() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      SightlineConfig c = SightlineConfig.local(dir.resolve("d"), taken.getLocalPort(), 0, 0);
      assertThatThrownBy(() -> SightlineServer.start(c)).isInstanceOf(StartupException.class)
          .hasMessageContaining("already in use").hasMessageContaining("--http-port");
    }
  }

  @Test
  void scrapeTargetsAndGpuPricesFromFlagsEnvironmentAndFile() throws Exception {
    SightlineConfig d = parse(Map.of(), "server");
    assertThat(d.monitoring().targets()).extracting(t -> t.kind().word()).containsExactly("nvidia-smi");
    assertThat(d.monitoring().nvidiaSmiAuto()).isTrue();

    SightlineConfig c = parse(Map.of(), "server", "--scrape", "vllm=http://127.0.0.1:8000/metrics,5s",
        "--scrape", "dcgm=http://127.0.0.1:9400/metrics", "--ollama", "ollama=http://127.0.0.1:11434",
        "--nvidia-smi", "off", "--gpu-price", "vllm=2.49", "--scrape-interval", "30s");
    assertThat(c.monitoring().targets()).extracting(t -> t.name() + " " + t.kind().word() + " " + t.interval())
        .containsExactly("vllm prometheus PT5S", "dcgm prometheus PT30S", "ollama ollama PT30S");
    assertThat(c.monitoring().gpuPricePerHour()).containsEntry("vllm", new java.math.BigDecimal("2.49"));

    SightlineConfig env = parse(Map.of("SIGHTLINE_SCRAPE", "a=http://127.0.0.1:1/metrics b=http://127.0.0.1:2/metrics,2s",
        "SIGHTLINE_NVIDIA_SMI", "off"), "server");
    assertThat(env.monitoring().targets()).extracting(t -> t.name()).containsExactly("a", "b");

    Path file = dir.resolve("scrape.conf");
    java.nio.file.Files.writeString(file, "scrape = vllm=http://127.0.0.1:8000/metrics,5s\nnvidia-smi = /opt/bin/nvidia-smi,10s\n"
        + "gpu-price = vllm=1.10\n");
    SightlineConfig f = parse(Map.of(), "server", "--config", file.toString());
    assertThat(f.monitoring().targets()).extracting(t -> t.name() + " " + t.kind().word() + " " + t.interval())
        .containsExactly("vllm prometheus PT5S", "nvidia-smi nvidia-smi PT10S");
    assertThat(f.monitoring().nvidiaSmiAuto()).isFalse();
    assertThat(f.monitoring().gpuPricePerHour()).containsEntry("vllm", new java.math.BigDecimal("1.10"));

    assertThatThrownBy(() -> parse(Map.of(), "server", "--scrape", "vllm http://x"))
        .hasMessageContaining("--scrape").hasMessageContaining("name=url");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--scrape", "v=http://127.0.0.1/metrics,fast"))
        .hasMessageContaining("--scrape");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--gpu-price", "vllm=-1"))
        .hasMessageContaining("--gpu-price vllm");
    assertThatThrownBy(() -> parse(Map.of(), "server", "--scrape-interval", "often"))
        .hasMessageContaining("--scrape-interval");
  }
}
