package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through its chromedriver, for the dashboard's browser tests.
 * Never downloads a browser: the executables come from Debian's chromium and chromium-driver
 * packages (.ci/run installs them), or SIGHTLINE_CHROMIUM / SIGHTLINE_CHROMEDRIVER.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final String base;
  private final Path profile;

  Browser(int httpPort) {
    this(httpPort, new String[0]);
  }

  /** With extra Chromium flags (e.g. {@code --user-agent=…}: the RUM endpoint drops HeadlessChrome as a bot). */
  Browser(int httpPort, String... extraArguments) {
    String chromium = env("SIGHTLINE_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = env("SIGHTLINE_CHROMEDRIVER", "/usr/bin/chromedriver");
    if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
      throw new IllegalStateException("The browser tests need Debian's Chromium and its driver at " + chromium + " and "
          + chromedriver + ": apt-get install -y chromium chromium-driver (.ci/run installs them), or set"
          + " SIGHTLINE_CHROMIUM and SIGHTLINE_CHROMEDRIVER.");
    }
    try {
      profile = Files.createTempDirectory("sightline-chromium");
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium);
    // the flags this machine's closed network needs: no background traffic to Google's hosts
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--window-size=1400,1000", "--user-data-dir=" + profile);
    o.addArguments(extraArguments);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    base = "http://127.0.0.1:" + httpPort;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Opens a dashboard path and waits until its page says it has rendered. */
  void open(String pathAndQuery, String page) {
    driver.get(base + pathAndQuery);
    awaitReady(page);
  }

  /** Waits for body[data-ready=page]; fails with the page's error if it rendered one. */
  void awaitReady(String page) {
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
      String ready = d.findElement(By.tagName("body")).getAttribute("data-ready");
      if (ready != null && ready.endsWith(":error")) {
        throw new AssertionError("the page rendered an error: " + d.findElement(By.tagName("main")).getText());
      }
      return page.equals(ready);
    });
  }

  /** Console messages of level SEVERE (errors, uncaught exceptions, CSP violations) since the last call. */
  List<String> consoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  void assertNoConsoleErrors() {
    assertThat(consoleErrors()).as("browser console errors").isEmpty();
  }

  void screenshot(String name) {
    // the whole page, not just the window
    long height = ((Number) js("return Math.min(8000, document.documentElement.scrollHeight)")).longValue();
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 1400,
        "height", (int) Math.max(1000, height), "deviceScaleFactor", 1, "mobile", false));
    try {
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }
  }

  /** Waits until the element's text contains {@code text} (for parts that load after the page). */
  String awaitText(String css, String text) {
    // parts that re-render (a table reloaded under a form) may replace the element between two reads
    return new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> {
          String t = find(css).getText();
          return t.contains(text) ? t : null;
        });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String currentPath() {
    return (String) js("return location.pathname + location.search");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp profile left behind is harmless
      }
    }
  }
}
