package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.release.ReleaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's Chromium driven through its ChromeDriver by Selenium. Signs
 * in, reads the active release, rolls it back and finds the rollback in the history, pauses a rollout,
 * switches to Spanish, signs out; a screenshot of each main page goes to {@code target/screenshots/}.
 * Skipped, saying why, where Chromium is not installed, unless {@code FRESHET_BROWSER_TESTS=required} (CI).
 */
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("FRESHET_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("FRESHET_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path tmp;
    static DashboardFixture.Store store;
    static FreshetService service;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "required".equals(System.getenv("FRESHET_BROWSER_TESTS"))) {
            throw new IllegalStateException("FRESHET_BROWSER_TESTS=required but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
        Assumptions.assumeTrue(installed, "the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install chromium chromium-driver; .ci/run installs them");
        store = DashboardFixture.write(tmp);
        DashboardFixture.models(tmp);
        service = ServeFixture.start(tmp, DashboardFixture.code(tmp), 100_000, null);
        base = "http://127.0.0.1:" + service.port();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void signInRollBackAndSeeItInTheHistoryThenSwitchToSpanish() throws Exception {
        browser.get(base + "/ui/");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/sign-in?next=/ui/");
        shoot("sign-in");
        browser.findElement(By.id("key")).sendKeys(service.bootstrapKey().orElseThrow());
        go(browser.findElement(By.cssSelector("form.sign-in button[type=submit]")));

        WebElement rules = rulesCard();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        assertThat(rules.findElement(By.cssSelector(".active-release")).getText()).isEqualTo(ReleaseStore.shortId(store.second().id()));
        shoot("overview");

        new Select(rules.findElement(By.name("to"))).selectByVisibleText(ReleaseStore.shortId(store.first().id()));
        rules.findElement(By.name("reason")).sendKeys("rolled back in the browser test");
        markPage();
        rules.findElement(By.cssSelector("button.danger")).click();
        wait(ExpectedConditions.alertIsPresent()).accept(); // the page asks before rolling back
        wait(pageReplaced());
        assertThat(browser.findElement(By.cssSelector("p.notice")).getText()).startsWith("Rolled back.");
        assertThat(rulesCard().findElement(By.cssSelector(".active-release")).getText()).isEqualTo(ReleaseStore.shortId(store.first().id()));
        List<WebElement> newest = browser.findElements(By.cssSelector("table.history tbody tr")).getFirst().findElements(By.tagName("td"));
        assertThat(newest.get(3).getText()).isEqualTo("rollback");
        assertThat(newest.get(4).getText()).isEqualTo(ReleaseStore.shortId(store.first().id()));
        assertThat(newest.get(5).getText()).isEqualTo(ReleaseStore.shortId(store.second().id()));
        assertThat(newest.get(7).getText()).isEqualTo("rolled back in the browser test");
        shoot("overview-after-rollback");

        go(browser.findElement(By.linkText("Rollouts")));
        assertThat(browser.findElement(By.cssSelector(".rollout h2")).getText()).contains(ReleaseStore.shortId(store.candidate().id()));
        assertThat(browser.findElement(By.cssSelector(".steps li.current")).getText()).isEqualTo("shadow");
        go(browser.findElement(By.xpath("//form[@action='/ui/rollouts/pause']/button")));
        assertThat(browser.findElement(By.cssSelector("p.notice")).getText()).isEqualTo("The rollout is paused.");
        assertThat(browser.findElement(By.cssSelector("dd.state")).getText()).isEqualTo("paused");
        shoot("rollouts");

        for (String page : List.of("Feeds", "Rules", "Projects", "Models", "Events")) {
            go(browser.findElement(By.linkText(page)));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(page);
            shoot(page.toLowerCase(Locale.ROOT));
        }
        assertThat(browser.findElement(By.cssSelector("table.events tbody")).getText()).contains("release_rolled_back", "rollout_paused");
        go(browser.findElement(By.linkText("Feeds")));
        assertThat(browser.findElements(By.cssSelector("figure.chart svg rect.bar"))).isNotEmpty();

        go(browser.findElement(By.linkText("Español")));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("es");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Fuentes");
        go(browser.findElement(By.linkText("Resumen")));
        assertThat(browser.findElement(By.cssSelector("#active-heading")).getText()).isEqualTo("Versiones activas");
        shoot("overview-es");

        go(browser.findElement(By.cssSelector("form[action='/ui/sign-out'] button")));
        assertThat(browser.findElement(By.cssSelector("p.notice")).getText()).isEqualTo("Ha cerrado la sesión.");
        browser.get(base + "/ui/rollouts");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/sign-in?next=/ui/rollouts");
    }

    /** Clicks a link or button that loads a page, and waits until the new page has replaced this one. */
    private static void go(WebElement element) {
        markPage();
        element.click();
        wait(pageReplaced());
    }

    /*
     * A page is known replaced by a mark on its window, which a new document does not have. (Waiting
     * for an old element to go stale races the navigation: Chrome may answer "node does not belong to
     * the document" instead of a stale-element error.)
     */
    private static void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.freshetOldPage = true");
    }

    private static ExpectedCondition<Boolean> pageReplaced() {
        return driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return window.freshetOldPage === undefined && document.readyState === 'complete'"));
    }

    private static WebElement rulesCard() {
        return browser.findElement(By.cssSelector("article.card[data-track='rules']"));
    }

    private static <T> T wait(ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(condition);
    }

    /** A screenshot of the whole page, beyond the window's height (Chrome's DevTools protocol). */
    private static void shoot(String name) throws Exception {
        long height = ((Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight")).longValue();
        Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1280, "height", Math.min(height, 8000), "scale", 1)));
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
        assertThat(Files.size(target)).as(name).isGreaterThan(5_000);
    }
}
