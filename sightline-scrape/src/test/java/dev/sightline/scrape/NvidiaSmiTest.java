package dev.sightline.scrape;

import static dev.sightline.scrape.CapturingSink.until;
import static dev.sightline.scrape.CapturingSink.up;
import static dev.sightline.scrape.LiveScrapeTest.health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi collector: its CSV read on a real H100 capture, and a real process end to end. */
class NvidiaSmiTest {
  static final long T = 1_700_000_000_000_000_000L;
  static final String QUERY = "--query-gpu=index,uuid,name,pci.bus_id,utilization.gpu,utilization.memory,"
      + "memory.used,memory.free,memory.total,power.draw,temperature.gpu,clocks.sm,clocks.mem";

  @TempDir
  Path dir;

  static Map<String, Double> byName(List<MetricPoint> points) {
    return points.stream().collect(Collectors.toMap(MetricPoint::name, MetricPoint::value));
  }

  /** The header and data line of the capture's query-gpu section under load (csv with units and a header). */
  static List<String> captureUnderLoad() throws Exception {
    List<String> lines = Files.readAllLines(LiveScrapeTest.fixture("nvidia-smi-capture-h100-80gb-hbm3-590.48.01.txt"));
    int at = lines.indexOf("# load :: query-gpu (csv, what the exporter parses)");
    assertThat(at).isPositive();
    // the section's title, its command line and a rule, then the header and one line per GPU
    assertThat(lines.get(at + 1)).startsWith("# $ nvidia-smi --query-gpu=");
    return List.of(lines.get(at + 3), lines.get(at + 4));
  }

  @Test
  void theH100CaptureReadsAsDcgmNamedGauges() throws Exception {
    List<String> capture = captureUnderLoad();
    List<String> fields = Arrays.stream(capture.get(0).split(",")).map(NvidiaSmiCsv::field).toList();
    assertThat(fields).contains("index", "uuid", "name", "pci.bus_id", "utilization.gpu", "memory.used",
        "power.draw", "temperature.gpu", "clocks.sm", "clocks.mem"); // long names and units resolved
    NvidiaSmiCsv.Rows rows = NvidiaSmiCsv.read(fields, capture.get(1));
    assertThat(rows.errors()).isEmpty();
    assertThat(rows.rows()).hasSize(1);

    List<MetricPoint> points = NvidiaSmiCsv.points(rows.rows().get(0), "nvidia-smi", "gpu-host", T);
    assertThat(byName(points)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "DCGM_FI_DEV_GPU_UTIL", 100.0,
        "DCGM_FI_DEV_MEM_COPY_UTIL", 11.0,
        "DCGM_FI_DEV_FB_USED", 19818.0,
        "DCGM_FI_DEV_FB_FREE", 61263.0,
        "DCGM_FI_DEV_FB_TOTAL", 81559.0,
        "DCGM_FI_DEV_POWER_USAGE", 631.95,
        "DCGM_FI_DEV_GPU_TEMP", 59.0,
        "DCGM_FI_DEV_SM_CLOCK", 1980.0,
        "DCGM_FI_DEV_MEM_CLOCK", 2619.0));
    assertThat(points).allSatisfy(m -> {
      assertThat(m.type()).isEqualTo(MetricType.GAUGE);
      assertThat(m.service()).isEqualTo("nvidia-smi");
      assertThat(m.timeEpochNanos()).isEqualTo(T);
      assertThat(m.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("gpu", "0",
          "UUID", "GPU-00000000-0000-0000-0000-000000000000", "modelName", "NVIDIA H100 80GB HBM3",
          "pci_bus_id", "00000000:00:09.0", "Hostname", "gpu-host", "source", "nvidia-smi"));
    });
  }

  @Test
  void cellsWithoutANumberAreSkippedOneByOne() {
    assertThat(NvidiaSmiCsv.number("[N/A]")).isNull();
    assertThat(NvidiaSmiCsv.number("[Not Supported]")).isNull();
    assertThat(NvidiaSmiCsv.number("N/A")).isNull();
    assertThat(NvidiaSmiCsv.number("")).isNull();
    assertThat(NvidiaSmiCsv.number("631.95 W")).isEqualTo(631.95);
    assertThat(NvidiaSmiCsv.number("100 %")).isEqualTo(100.0);
    assertThat(NvidiaSmiCsv.number("19818MiB")).isEqualTo(19818.0);
    assertThat(NvidiaSmiCsv.number(" 42 ")).isEqualTo(42.0);
    NvidiaSmiCsv.Rows rows = NvidiaSmiCsv.read(NvidiaSmiCsv.FIELDS,
        "1, GPU-b, Tesla T4, 00000000:00:05.0, 7, [N/A], 100, 15000, 15360, [Not Supported], 40, 585, 5000\n"
            + "too, few\n");
    assertThat(rows.errors()).containsExactly("line 2: 2 values where 13 were asked for");
    Map<String, Double> values = byName(NvidiaSmiCsv.points(rows.rows().get(0), "gpu", "h", T));
    assertThat(values).doesNotContainKeys("DCGM_FI_DEV_MEM_COPY_UTIL", "DCGM_FI_DEV_POWER_USAGE")
        .containsEntry("DCGM_FI_DEV_GPU_UTIL", 7.0).containsEntry("DCGM_FI_DEV_GPU_TEMP", 40.0);
  }

  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private static ScrapeTarget gpu(String name, URI exe, Duration every) {
    return new ScrapeTarget(name, ScrapeTarget.Kind.NVIDIA_SMI, exe, every, every);
  }

  @Test
  void aRealProcessIsRunAndItsLinesBecomeGauges() throws Exception {
    // answers only to the exact query the collector must send
    Path exe = script("nvidia-smi", """
        [ "$1" = "%s" ] && [ "$2" = "--format=csv,noheader,nounits" ] || { echo "bad args: $*" >&2; exit 3; }
        echo "0, GPU-aaaa, NVIDIA H100 80GB HBM3, 00000000:00:09.0, 100, 11, 19818, 61263, 81559, 631.95, 59, 1980, 2619"
        echo "1, GPU-bbbb, NVIDIA H100 80GB HBM3, 00000000:00:0A.0, 3, 0, 500, 80000, 81559, [N/A], 31, [Not Supported], 2619"
        """.formatted(QUERY));
    CapturingSink sink = new CapturingSink();
    try (Scraper scraper = new Scraper(List.of(gpu("gpus", exe.toUri(), Duration.ofMillis(300))), sink)) {
      scraper.start();
      TelemetryBatch b = sink.await("gpus", 0, x -> up(x) == 1);
      List<MetricPoint> gpu0 = b.metrics().stream().filter(m -> "0".equals(m.attributes().get("gpu"))).toList();
      List<MetricPoint> gpu1 = b.metrics().stream().filter(m -> "1".equals(m.attributes().get("gpu"))).toList();
      assertThat(byName(gpu0)).containsEntry("DCGM_FI_DEV_POWER_USAGE", 631.95).hasSize(9);
      assertThat(byName(gpu1)).doesNotContainKeys("DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_SM_CLOCK")
          .containsEntry("DCGM_FI_DEV_GPU_UTIL", 3.0).hasSize(7);
      assertThat(gpu1).allSatisfy(m -> {
        assertThat(m.service()).isEqualTo("gpus");
        assertThat(m.attributes()).containsEntry("UUID", "GPU-bbbb").containsEntry("source", "nvidia-smi")
            .containsEntry("pci_bus_id", "00000000:00:0A.0").containsKey("Hostname");
      });
      assertThat(CapturingSink.point(b, "scrape_samples_scraped").orElseThrow().value()).isEqualTo(16.0);
      until("health", () -> health(scraper, "gpus").up());
      assertThat(health(scraper, "gpus").kind()).isEqualTo("nvidia-smi");
    }
  }

  @Test
  void aMissingExecutableIsReportedAndNotRetriedEveryTick() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (Scraper scraper = new Scraper(List.of(
        gpu("absent", dir.resolve("no-such-nvidia-smi").toUri(), Duration.ofMillis(100)),
        gpu("notonpath", URI.create("sightline-test-no-such-command"), Duration.ofMillis(100))), sink)) {
      scraper.start();
      until("both tried", () -> health(scraper, "absent").scrapes() >= 1 && health(scraper, "notonpath").scrapes() >= 1);
      Thread.sleep(600); // six more ticks each
      TargetHealth absent = health(scraper, "absent");
      assertThat(absent.up()).isFalse();
      assertThat(absent.lastError()).isEqualTo("nvidia-smi not found at " + dir.resolve("no-such-nvidia-smi")
          + "; install the NVIDIA driver or remove --nvidia-smi");
      assertThat(absent.scrapes()).isEqualTo(1);
      assertThat(health(scraper, "notonpath").lastError())
          .isEqualTo("sightline-test-no-such-command not found on PATH; install the NVIDIA driver or remove --nvidia-smi");
      assertThat(health(scraper, "notonpath").scrapes()).isEqualTo(1);
      assertThat(sink.batches).hasSize(2).allSatisfy(b -> assertThat(up(b)).isZero());
    }
  }

  @Test
  void theDefaultTargetLooksForNvidiaSmiOnPath() {
    ScrapeTarget t = ScrapeTarget.nvidiaSmi(Duration.ofSeconds(5));
    assertThat(t.name()).isEqualTo("nvidia-smi");
    assertThat(t.url().toString()).isEqualTo("nvidia-smi");
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aHangingCommandIsKilledAtItsTimeout() throws Exception {
    Path pidFile = dir.resolve("pid");
    Path exe = script("hang", "echo $$ > " + pidFile + "\nsleep 30\n");
    NvidiaSmiCollector collector = new NvidiaSmiCollector(gpu("g", exe.toUri(), Duration.ofMillis(500)));
    long t0 = System.nanoTime();
    ScrapeResult r = collector.collect(T);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(r.up()).isFalse();
    assertThat(r.error()).isEqualTo("hang gave no answer within 500 ms; it was stopped");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    until("the script is gone", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void aFailingCommandSaysWhy() throws Exception {
    Path exe = script("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA"
        + " driver.\" >&2\nexit 9\n");
    ScrapeResult r = new NvidiaSmiCollector(gpu("g", exe.toUri(), Duration.ofSeconds(5))).collect(T);
    assertThat(r.up()).isFalse();
    assertThat(r.error()).isEqualTo("nvidia-smi exited with status 9: NVIDIA-SMI has failed because it couldn't"
        + " communicate with the NVIDIA driver.");
    Path empty = script("empty", "exit 0\n");
    assertThat(new NvidiaSmiCollector(gpu("g", empty.toUri(), Duration.ofSeconds(5))).collect(T).error())
        .isEqualTo("nvidia-smi listed no GPUs");
  }

  @Test
  void aMissingCommandIsTriedAgainOnlyAfterItsPause() throws Exception {
    Path exe = dir.resolve("late-nvidia-smi");
    NvidiaSmiCollector collector = new NvidiaSmiCollector(gpu("g", exe.toUri(), Duration.ofSeconds(5)),
        Duration.ofMillis(300));
    assertThat(collector.collect(T).error()).contains("not found");
    assertThat(collector.collect(T).deferred()).isTrue();
    Files.writeString(exe, "#!/bin/sh\necho '0, GPU-a, T4, 0:0:0.0, 5, 1, 1, 1, 2, 70, 40, 1, 1'\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
    until("retried after the pause", () -> {
      try {
        return collector.collect(T).up();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
  }
}
