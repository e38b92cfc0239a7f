package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.server.config.AccessConfig;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.SightlineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Access control in Chromium over a server in keys mode with an admin password: the login page
 * (refused and accepted), the way back to the page that asked, a session that ends mid-visit, the
 * projects page creating a project and a key whose secret is shown once, revoking it, logging out,
 * and a project's read key that sees no server-wide section; and the login page of a server in open
 * mode.
 */
class AccessBrowserTest {
  static final String PASSWORD = "correct-horse-battery";

  @TempDir static Path dir;
  static SightlineServer server;
  static Browser browser;
  static String base;

  @BeforeAll
  static void start() {
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withEvaluation(EvaluationConfig.off()).withAccess(AccessConfig.keys(PASSWORD)));
    browser = new Browser(server.httpPort());
    base = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void loginProjectsKeysAndLogout() {
    // without a session every page leads to the login page, which remembers where the user was going
    browser.open("/", "login");
    assertThat(browser.currentPath()).startsWith("/login?next=");
    assertThat(browser.findAll("nav a")).as("no navigation before logging in").isEmpty();

    logIn("not-the-password");
    assertThat(browser.awaitText("#login-error", "wrong admin password")).contains("wrong admin password");
    browser.screenshot("access-login");
    assertThat(browser.currentPath()).startsWith("/login");

    logIn(PASSWORD);
    arrive(browser, "overview");
    assertThat(browser.currentPath()).isEqualTo("/");
    assertThat(browser.awaitText("#who", "admin")).isEqualTo("admin");
    awaitNavLink("Projects");

    // the projects page: create a project, then an ingest key in it
    browser.find("nav a[href^='/projects']").click();
    browser.awaitReady("projects");
    browser.find("#new-project-name").sendKeys("team-a");
    browser.find("#new-project-data-days").sendKeys("365");
    browser.find("#new-project-content-days").sendKeys("30");
    browser.find("#new-project-submit").click();
    String card = "[data-project='team-a']";
    browser.awaitText(card, "No keys yet");
    assertThat(browser.find(card + " [data-testid=retention] input[id$='-data']").getAttribute("value")).isEqualTo("365");
    assertThat(browser.find(card + " [data-testid=retention] input[id$='-content']").getAttribute("value")).isEqualTo("30");
    // the header's project selector learns of the new project
    new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d ->
        new Select(browser.find("#project")).getOptions().stream().anyMatch(o -> o.getText().equals("team-a")));

    String label = "<img src=x id=injected> ci runner";
    WebElement form = browser.find(card + " [data-testid=new-key]");
    new Select(form.findElement(By.name("kind"))).selectByValue("ingest");
    form.findElement(By.name("label")).sendKeys(label);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    String secret = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(d -> browser.find(card + " [data-testid=secret]").getText());
    assertThat(secret).startsWith("sl_ingest_").hasSizeGreaterThan("sl_ingest_".length() + 20);
    assertThat(browser.find(card + " .secret-box").getText()).contains("shown once: store it now");
    browser.screenshot("access-projects");
    browser.awaitText(card + " table", "ci runner");
    // the label is text, not markup
    assertThat(browser.find(card + " table").getText()).contains(label);
    assertThat(browser.findAll("#injected")).isEmpty();

    // after a reload only the key's prefix is listed, never the secret
    browser.open("/projects", "projects");
    String prefix = browser.awaitText(card + " .key-prefix", "sl_ingest_").replace("…", "");
    assertThat(secret).startsWith(prefix);
    assertThat(prefix.length()).isLessThan(secret.length());
    assertThat((String) browser.js("return document.body.textContent")).doesNotContain(secret);
    assertThat(browser.findAll(card + " [data-testid=secret]")).isEmpty();

    // revoking asks once more, then removes the key
    WebElement revoke = browser.find(card + " button[data-revoke]");
    revoke.click();
    assertThat(revoke.getText()).isEqualTo("Confirm revoke");
    assertThat(browser.findAll(card + " .key-prefix")).hasSize(1);
    revoke.click();
    browser.awaitText(card, "No keys yet");
    assertThat(browser.findAll(card + " .key-prefix")).isEmpty();

    // a read key for the project, for logging in as its reader below
    form = browser.find(card + " [data-testid=new-key]");
    new Select(form.findElement(By.name("kind"))).selectByValue("read");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    String readKey = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(d -> browser.find(card + " [data-testid=secret]").getText());
    assertThat(readKey).startsWith("sl_read_");

    // a session that ends while a page is open: the next API answer (401) leads to the login page
    browser.open("/overview", "overview");
    browser.driver.manage().deleteCookieNamed("sightline_session");
    browser.find("nav a[href^='/traces']").click();
    arrive(browser, "login");
    assertThat(browser.currentPath()).isEqualTo("/login?next=%2Ftraces");
    logIn(PASSWORD);
    arrive(browser, "traces");
    assertThat(browser.currentPath()).isEqualTo("/traces");

    // logging out returns to the login page, and the session is gone
    browser.find("#logout").click();
    arrive(browser, "login");
    assertThat(browser.currentPath()).isEqualTo("/login");
    browser.open("/cost", "login");
    assertThat(browser.currentPath()).startsWith("/login?next=");

    // a read key sees its own project, no projects page, and no server-wide sections
    logIn(readKey);
    arrive(browser, "cost");
    assertThat(browser.awaitText("#who", "team-a")).contains("read key");
    assertThat(browser.findAll("#project")).as("a read key cannot choose a project").isEmpty();
    assertThat(browser.findAll("nav a").stream().map(WebElement::getText)).doesNotContain("Projects").contains("Alerts");
    browser.awaitText("#budgets", "whole server");
    browser.find("nav a[href^='/alerts']").click();
    browser.awaitReady("alerts");
    assertThat(browser.findAll("[data-forbidden=true]")).hasSize(5);
    browser.find("#logout").click();
    arrive(browser, "login");
    assertNoScriptErrors();
  }

  @Test
  void loginPageOfAnOpenServerSaysThereIsNothingToLogInTo() {
    try (SightlineServer open = SightlineServer.start(SightlineConfig.local(dir.resolve("open"), 0, 0, 0)
        .withEvaluation(EvaluationConfig.off()).withAccess(AccessConfig.open()));
        Browser b = new Browser(open.httpPort())) {
      b.open("/login?next=//evil.example/", "login");
      assertThat(b.find("#login-open").getText()).contains("Access control is off");
      assertThat(b.findAll("#login-form")).isEmpty();
      b.find("#to-overview").click();
      b.awaitReady("overview");
      assertThat(b.currentPath()).isEqualTo("/overview");
      assertThat(b.awaitText("#who", "open access")).isEqualTo("open access");
      assertThat(b.findAll("#logout")).as("nothing to log out of").isEmpty();
      new WebDriverWait(b.driver, Duration.ofSeconds(10)).until(d ->
          b.findAll("nav a").stream().anyMatch(a -> a.getText().equals("Projects")));
    }
  }

  @Test
  void theWayBackAfterLoggingInStaysOnThisServer() {
    // a crafted next= that points elsewhere ends on the overview, not on another host
    for (String next : List.of("//evil.example/x", "/\\evil.example/x", "https://evil.example/")) {
      browser.driver.manage().deleteAllCookies();
      browser.open("/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8), "login");
      logIn(PASSWORD);
      arrive(browser, "overview");
      assertThat(browser.driver.getCurrentUrl()).as(next).startsWith(base + "/overview");
    }
    browser.driver.manage().deleteAllCookies();
  }

  private static void logIn(String password) {
    WebElement secret = browser.find("#login-secret");
    secret.clear();
    secret.sendKeys(password);
    browser.find("#login-submit").click();
  }

  /**
   * Waits for a page that a new document shows (after a login, a logout or a 401): the old
   * document's body goes stale on the way, and its data-ready must not be taken for the new one's.
   */
  private static void arrive(Browser b, String page) {
    new WebDriverWait(b.driver, Duration.ofSeconds(30))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.JavascriptException.class)
        .until(d -> {
          String ready = (String) b.js("return document.body ? document.body.dataset.ready : null");
          if (ready != null && ready.endsWith(":error")) {
            throw new AssertionError("the page rendered an error: " + b.find("main").getText());
          }
          return page.equals(ready);
        });
  }

  private static void awaitNavLink(String text) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d ->
        browser.findAll("nav a").stream().anyMatch(a -> a.getText().equals(text)));
  }

  /** Console errors other than the refused requests this test provokes on purpose (401s, 403s). */
  private static void assertNoScriptErrors() {
    assertThat(browser.consoleErrors().stream().filter(m -> !m.contains("the server responded with a status of 401")
        && !m.contains("the server responded with a status of 403")))
        .as("browser console errors").isEmpty();
  }
}
