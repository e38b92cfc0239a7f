package dev.sightline.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.scrape.ScrapeTarget.Kind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --scrape name=url[,interval]} and its siblings: what is accepted, and what each mistake says. */
class ScrapeTargetTest {
  static final Duration FIVE = Duration.ofSeconds(5);

  @Test
  void goodSpecs() {
    ScrapeTarget vllm = ScrapeTarget.parse("vllm=http://127.0.0.1:8000/metrics", Kind.PROMETHEUS, FIVE);
    assertThat(vllm).isEqualTo(new ScrapeTarget("vllm", Kind.PROMETHEUS, URI.create("http://127.0.0.1:8000/metrics"),
        FIVE, FIVE));

    ScrapeTarget slow = ScrapeTarget.parse(" dcgm.node-1 = https://gpu-host:9400/metrics , 1m ", Kind.PROMETHEUS, FIVE);
    assertThat(slow.name()).isEqualTo("dcgm.node-1");
    assertThat(slow.url()).isEqualTo(URI.create("https://gpu-host:9400/metrics"));
    assertThat(slow.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(slow.timeout()).isEqualTo(Duration.ofSeconds(10)); // at most 10 s

    assertThat(ScrapeTarget.parse("a=http://h/m,1500ms", Kind.PROMETHEUS, FIVE).timeout())
        .isEqualTo(Duration.ofMillis(1500)); // the interval when shorter than 10 s
    assertThat(ScrapeTarget.parse("a=http://h/m,1h", Kind.PROMETHEUS, FIVE).interval()).isEqualTo(Duration.ofHours(1));
    assertThat(ScrapeTarget.parse("a=http://h/m,1s", Kind.PROMETHEUS, FIVE).interval()).isEqualTo(Duration.ofSeconds(1));

    ScrapeTarget ollama = ScrapeTarget.parse("ollama=http://127.0.0.1:11434,10s", Kind.OLLAMA, FIVE);
    assertThat(ollama.kind()).isEqualTo(Kind.OLLAMA);
    assertThat(ollama.interval()).isEqualTo(Duration.ofSeconds(10));

    assertThat(ScrapeTarget.parse("gpu=/usr/bin/nvidia-smi,5s", Kind.NVIDIA_SMI, FIVE).url())
        .isEqualTo(Path.of("/usr/bin/nvidia-smi").toUri());
    assertThat(ScrapeTarget.parse("gpu=file:/opt/nvidia/bin/nvidia-smi", Kind.NVIDIA_SMI, FIVE).url())
        .isEqualTo(URI.create("file:/opt/nvidia/bin/nvidia-smi"));
    ScrapeTarget onPath = ScrapeTarget.parse("gpu=nvidia-smi", Kind.NVIDIA_SMI, FIVE);
    assertThat(onPath.url().getScheme()).isNull();
    assertThat(onPath.url().getPath()).isEqualTo("nvidia-smi");
    assertThat(Kind.NVIDIA_SMI.word()).isEqualTo("nvidia-smi");
  }

  static void refused(String spec, Kind kind, String... fragments) {
    assertThatThrownBy(() -> ScrapeTarget.parse(spec, kind, FIVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scrape target '" + spec + "': ")
        .hasMessageContaining(kind == Kind.NVIDIA_SMI ? "write name=executable[,interval]" : "write name=url[,interval]")
        .hasMessageContainingAll(fragments);
  }

  @Test
  void badSpecsSayWhatIsWrongAndHowToWriteIt() {
    refused("http://127.0.0.1:8000/metrics", Kind.PROMETHEUS, "no '='", "e.g. vllm=http://127.0.0.1:8000/metrics,5s");
    refused("my engine=http://h/m", Kind.PROMETHEUS, "the name 'my engine'", "A-Z a-z 0-9 _ . -");
    refused("=http://h/m", Kind.PROMETHEUS, "the name ''");
    refused("x".repeat(65) + "=http://h/m", Kind.PROMETHEUS, "1 to 64");
    refused("vllm=127.0.0.1:8000/metrics", Kind.PROMETHEUS, "must start with http:// or https://");
    refused("vllm=ftp://h/metrics", Kind.PROMETHEUS, "must start with http:// or https://");
    refused("vllm=http:///metrics", Kind.PROMETHEUS, "has no host");
    refused("vllm=http://h/m,5", Kind.PROMETHEUS, "the interval '5'", "ms, s, m or h");
    refused("vllm=http://h/m,fast", Kind.PROMETHEUS, "the interval 'fast'");
    refused("vllm=http://h/m,500ms", Kind.PROMETHEUS, "500 ms is outside 1s .. 1h");
    refused("vllm=http://h/m,2h", Kind.PROMETHEUS, "outside 1s .. 1h");
    refused("vllm=", Kind.PROMETHEUS, "the URL after '=' is empty");
    refused("vllm=http://h/a b", Kind.PROMETHEUS, "is not a valid URL");
    refused("ollama=localhost:11434", Kind.OLLAMA, "http://", "e.g. ollama=http://127.0.0.1:11434,10s");
    refused("gpu=bin/nvidia smi", Kind.NVIDIA_SMI, "neither an absolute path nor a command name");
    refused("gpu=file:relative", Kind.NVIDIA_SMI, "absolute path");
    refused("   ", Kind.PROMETHEUS, "it is empty");
    assertThatThrownBy(() -> ScrapeTarget.parse(null, Kind.PROMETHEUS, FIVE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it is empty");
  }

  @Test
  void theRecordKeepsTimeoutWithinTheInterval() {
    URI u = URI.create("http://h/m");
    assertThatThrownBy(() -> new ScrapeTarget("a", Kind.PROMETHEUS, u, FIVE, Duration.ofSeconds(6)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than the interval");
    assertThatThrownBy(() -> new ScrapeTarget("a", Kind.PROMETHEUS, u, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> new ScrapeTarget("a b", Kind.PROMETHEUS, u, FIVE, FIVE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
  }
}
