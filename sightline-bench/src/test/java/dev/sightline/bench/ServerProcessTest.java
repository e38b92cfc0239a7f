package dev.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benches run the server with the launcher's memory defaults, and let their own options replace them. */
class ServerProcessTest {
  private static final Path LAUNCHER = Path.of("..", "sightline");

  @Test
  void benchDefaultsAreTheLaunchersDefaults() throws Exception {
    String script = Files.readString(LAUNCHER);
    assertThat(script).contains("jvm_opts+=(" + String.join(" ", ServerProcess.LAUNCHER_GC) + ")");
    assertThat(script).contains("jvm_opts+=(" + String.join(" ", ServerProcess.LAUNCHER_HEAP) + ")");
    assertThat(script).contains("export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-"
        + ServerProcess.LAUNCHER_MALLOC_ARENA_MAX + "}\"");
  }

  @Test
  void withoutOwnOptionsTheServerGetsTheLaunchersCollectorAndHeap() {
    List<String> opts = ServerProcess.launcherOptions(List.of("-XX:NativeMemoryTracking=summary"));
    assertThat(opts).containsSubsequence("-XX:+UseG1GC", "-Xms32m", "-Xmx512m", "-XX:NativeMemoryTracking=summary");
    assertThat(opts).contains("--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void aCollectorOrHeapGivenByTheBenchReplacesTheDefaultOne() {
    List<String> serial = ServerProcess.launcherOptions(List.of("-XX:+UseSerialGC"));
    assertThat(serial).doesNotContain("-XX:+UseG1GC").contains("-XX:+UseSerialGC", "-Xmx512m");
    List<String> big = ServerProcess.launcherOptions(List.of("-Xmx2g"));
    assertThat(big).doesNotContain("-Xmx512m", "-Xms32m").contains("-XX:+UseG1GC", "-Xmx2g");
    assertThat(ServerProcess.launcherOptions(List.of("-XX:MaxRAMPercentage=50"))).doesNotContain("-Xmx512m");
    // JVM options that merely mention GC are not a collector
    assertThat(ServerProcess.launcherOptions(List.of("-Xlog:gc"))).contains("-XX:+UseG1GC");
  }
}
