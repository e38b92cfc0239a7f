package dev.sightline.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one way every module's tests find the shared fixtures (real captured data kept outside the
 * repository): a test that needs them is skipped when they are absent, or fails where they are required.
 */
public final class SharedFixtures {
  private static final java.util.concurrent.atomic.AtomicBoolean SAID = new java.util.concurrent.atomic.AtomicBoolean();

  private SharedFixtures() {}

  /**
   * The fixtures folder ({@code -Dsightline.fixtures}, which the root pom sets to {@code ../shared/fixtures}
   * beside the checkout). When it is missing the calling test is aborted (reported as skipped) with one
   * line saying where to put it, unless {@code sightline.fixtures.required} (system property) or
   * {@code SIGHTLINE_FIXTURES_REQUIRED} (environment, set by {@code .ci/run}) is {@code true}: then it fails.
   */
  public static Path dir() {
    String p = System.getProperty("sightline.fixtures");
    Path dir = (p != null && !p.isBlank() ? Path.of(p) : Path.of("../../shared/fixtures")).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      String message = "fixtures not found at " + dir
          + ": put the shared fixtures folder there (see README, \"Running the tests\") to run this test";
      if (required()) {
        throw new AssertionError(message);
      }
      if (!SAID.getAndSet(true)) {
        System.err.println("[sightline] " + message.replace("this test", "the tests that read them") + " (they are skipped)");
      }
      Assumptions.abort(message);
    }
    return dir;
  }

  /** {@code dir().resolve(relative)}. */
  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  public static boolean required() {
    return Boolean.getBoolean("sightline.fixtures.required")
        || "true".equalsIgnoreCase(System.getenv("SIGHTLINE_FIXTURES_REQUIRED"));
  }
}
