package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.RepoLayout;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless chromium through chromedriver) against the running stack:
 * the list shows an uploaded artifact and searches; a drag-and-drop upload completes and appears; an artifact's page
 * shows the swarm and the rollout once a libtorrent client joins, without a reload, and its plot has points; the seeders page shows
 * the worker and its cache; a browser with JavaScript off reads all of it. No page logs an error in the browser's
 * console (a Content-Security-Policy violation would). Screenshots land in e2e-tests/target/dashboard/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = RepoLayout.find().root().resolve("e2e-tests/target/dashboard");
    private static ControllableStack stack;
    private static ChromeDriver browser;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void start() throws Exception {
        stack = ControllableStack.startInTemporaryHome("shoal-dashboard-", Map.of("shoal.tracker.interval", "5s", "shoal.tracker.min-interval", "1s",
                "shoal.seeder.stats-interval", "2s"));
        Files.createDirectories(SCREENSHOTS);
        browser = chromium(true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Debian's chromium, headless, driven by Debian's chromedriver: nothing is downloaded (no Selenium Manager). */
    private static ChromeDriver chromium(boolean javascript) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1800",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-default-apps", "--disable-extensions");
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    @Test
    @Order(1)
    void theListShowsAnUploadedArtifactAndSearchFindsIt() throws Exception {
        upload("release-notes.txt", random(200_000, 1));
        upload("vm <base>.qcow2", random(300_000, 2));
        browser.get(stack.gatewayUrl() + "/");
        WebElement row = row("release-notes.txt");
        assertTrue(row.getText().contains("195.3 KiB"), row.getText());
        assertTrue(row("vm <base>.qcow2").getText().startsWith("vm <base>.qcow2"), "shown as text, not markup");
        screenshot(browser, "list");

        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys("release");
        search.submit();
        wait(browser, 10).until(d -> d.getCurrentUrl().contains("q=release"));
        assertEquals(List.of("release-notes.txt"), names());
        search = browser.findElement(By.name("q"));
        search.clear();
        search.sendKeys("no-such-thing");
        search.submit();
        wait(browser, 10).until(d -> d.findElements(By.cssSelector("p.empty")).size() == 1);
        assertTrue(browser.findElement(By.cssSelector("p.empty")).getText().contains("No artifact matches"));
        browser.findElement(By.linkText("Artifacts")).click();
        browser.findElement(By.linkText("release-notes.txt")).click();
        wait(browser, 10).until(d -> d.findElement(By.tagName("h1")).getText().equals("release-notes.txt"));
        assertNoConsoleErrors(browser);
    }

    @Test
    @Order(2)
    void aDragAndDropUploadCompletesAndAppearsInTheList() throws Exception {
        byte[] content = random(24 * 1024 * 1024 + 5, 3);
        Path file = dir.resolve("dropped build.tar");
        Files.write(file, content);
        browser.get(stack.gatewayUrl() + "/");
        WebElement token = browser.findElement(By.id("token"));
        token.sendKeys("not-the-token");
        drop(file);
        wait(browser, 30).until(d -> d.findElement(By.id("upload-result")).getText().startsWith("Upload refused (401)"));
        // the console logs the refused request, and nothing else (reading the log empties it)
        assertEquals(List.of("401 (Unauthorized)"), browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getMessage().replaceAll(".*status of ", "")).toList());

        token.clear();
        token.sendKeys(stack.apiToken());
        drop(file);
        wait(browser, 10).until(d -> d.findElement(By.id("upload-progress")).isDisplayed());
        wait(browser, 60).until(d -> d.findElement(By.id("upload-result")).getText().contains("Published"));
        assertEquals("100", browser.findElement(By.id("upload-bar")).getAttribute("value"));
        assertTrue(browser.findElement(By.id("upload-text")).getText().startsWith("100%"),
                browser.findElement(By.id("upload-text")).getText());
        screenshot(browser, "upload");
        // the page reloads itself and lists it; the token stays for the tab
        wait(browser, 20).until(d -> d.findElements(By.cssSelector("tr[data-name='dropped build.tar']")).size() == 1);
        assertEquals(stack.apiToken(), browser.findElement(By.id("token")).getAttribute("value"));
        JsonNode artifact = JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/"
                + URLEncoder.encode("dropped build.tar", StandardCharsets.UTF_8).replace("+", "%20")));
        assertEquals(sha256(content), artifact.path("sha256").asText(), "the bytes the browser sent");

        // several files at once: one multi-file artifact under the name given
        Path a = Files.write(dir.resolve("app.jar"), random(300_000, 5));
        Path b = Files.write(dir.resolve("README.txt"), random(1_000, 6));
        browser.findElement(By.id("upload-name")).sendKeys("bundle-7");
        drop(a, b);
        wait(browser, 60).until(d -> d.findElement(By.id("upload-result")).getText().contains("Published bundle-7"));
        wait(browser, 20).until(d -> d.findElements(By.cssSelector("tr[data-name='bundle-7']")).size() == 1);
        JsonNode bundle = JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/bundle-7"));
        assertEquals(List.of("README.txt", "app.jar"), List.of(bundle.path("files").path(0).path("path").asText(),
                bundle.path("files").path(1).path("path").asText()));
        assertNoConsoleErrors(browser);
    }

    /**
     * A browser cannot be handed a file from the desktop here: the files go into a file input, and the page's drop
     * zone gets the drag events a user's drop fires, carrying them.
     */
    private void drop(Path... files) {
        WebElement source = (WebElement) browser.executeScript("const i = document.createElement('input'); i.type = 'file';"
                + " i.multiple = true; document.body.appendChild(i); return i;");
        source.sendKeys(String.join("\n", java.util.Arrays.stream(files).map(Path::toString).toList()));
        browser.executeScript("const files = arguments[0].files; const zone = document.getElementById('drop');"
                + " const data = new DataTransfer(); for (const f of files) { data.items.add(f); }"
                + " for (const type of ['dragenter', 'dragover', 'drop']) {"
                + "   zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data})); }"
                + " arguments[0].remove();", source);
    }

    @Test
    @Order(3)
    void theArtifactPageShowsTheSwarmOnceAClientJoinsAndThePlotHasPoints() throws Exception {
        byte[] content = random(16 * 1024 * 1024, 4);
        JsonNode artifact = upload("fleet.img", content);
        browser.get(stack.gatewayUrl() + "/artifacts/fleet.img");
        assertTrue(browser.findElement(By.id("magnet")).getAttribute("href").startsWith("magnet:?xt=urn:btih:"
                + artifact.path("infoHash").asText()));
        assertEquals(artifact.path("torrentUrl").asText(), browser.findElement(By.id("torrent")).getAttribute("href"));
        assertEquals("0", text("completed"));

        Path torrent = dir.resolve("fleet.img.torrent");
        Files.write(torrent, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(artifact.path("torrentUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        Path save = Files.createDirectories(dir.resolve("lt"));
        // downloads, then stays in the swarm as a seeder until the test ends
        clients.libtorrent("libtorrent", torrent.toString(), save, "seed", 120);

        // no reload: the page's script swaps the swarm panel in every 5 s
        wait(browser, 90).until(d -> "1".equals(text("completed")) && Integer.parseInt(text("seeders")) >= 2);
        wait(browser, 30).until(d -> Integer.parseInt(d.findElement(By.cssSelector("svg.plot")).getAttribute("data-nonzero")) > 0);
        WebElement plot = browser.findElement(By.cssSelector("svg.plot polyline.line"));
        String[] points = plot.getAttribute("points").trim().split(" ");
        assertEquals(360, points.length, "one point per 10 s over the hour");
        assertTrue(List.of(points).stream().anyMatch(p -> Double.parseDouble(p.split(",")[1]) < 138.0), "a point above the axis");
        assertTrue(browser.findElement(By.id("served")).getText().endsWith("MiB"), browser.findElement(By.id("served")).getText());
        assertTrue(browser.findElements(By.cssSelector("table.workers tbody tr")).size() >= 1, "the worker that seeds it");
        // the rollout view: the tracker's host reports reach metadata's fleet ledger, and the panel shows the host
        wait(browser, 60).until(d -> "1".equals(text("hosts-completed"))
                && d.findElements(By.cssSelector("#rollout table.hosts tbody tr")).size() == 1);
        WebElement host = browser.findElement(By.cssSelector("#rollout table.hosts tbody tr"));
        assertTrue(host.getText().contains("-LT") && host.getText().contains("100%") && host.getText().contains("completed"),
                host.getText());
        assertTrue(text("offload").endsWith("%"), text("offload"));
        screenshot(browser, "artifact");
        assertNoConsoleErrors(browser);
    }

    @Test
    @Order(4)
    void theSeedersPageShowsTheWorkerItsTorrentsAndCache() throws Exception {
        browser.get(stack.gatewayUrl() + "/seeders");
        WebElement seeder = browser.findElement(By.cssSelector("section.seeder"));
        assertTrue(seeder.findElement(By.cssSelector(".hit-rate")).getText().matches("\\d+% \\(\\d+ hits, \\d+ misses\\)"),
                seeder.findElement(By.cssSelector(".hit-rate")).getText());
        assertTrue(seeder.findElements(By.cssSelector("table.torrents tbody tr")).stream().anyMatch(r -> r.getText().startsWith("fleet.img")),
                seeder.getText());
        screenshot(browser, "seeders");
        assertNoConsoleErrors(browser);
    }

    @Test
    @Order(5)
    void everyPageReadsWithJavaScriptOff() throws Exception {
        ChromeDriver plain = chromium(false);
        try {
            plain.get(stack.gatewayUrl() + "/");
            assertFalse(plain.findElement(By.id("upload")).isDisplayed(), "uploading needs the script, so the form stays hidden");
            assertTrue(plain.findElements(By.cssSelector("tr[data-name='fleet.img']")).size() == 1);
            plain.findElement(By.linkText("fleet.img")).click();
            wait(plain, 10).until(d -> d.findElements(By.cssSelector("svg.plot")).size() == 1);
            assertTrue(Integer.parseInt(plain.findElement(By.id("seeders")).getText()) >= 1);
            assertTrue(Integer.parseInt(plain.findElement(By.cssSelector("svg.plot")).getAttribute("data-nonzero")) > 0);
            screenshot(plain, "artifact-no-javascript");
            plain.findElement(By.linkText("Seeders")).click();
            wait(plain, 10).until(d -> d.findElements(By.cssSelector("section.seeder")).size() == 1);
        } finally {
            plain.quit();
        }
    }

    private static WebDriverWait wait(WebDriver driver, int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).ignoring(NumberFormatException.class);
        return wait;
    }

    private static WebElement row(String name) {
        return browser.findElements(By.cssSelector("#artifacts tbody tr")).stream()
                .filter(r -> name.equals(r.getAttribute("data-name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in " + browser.getPageSource()));
    }

    private static List<String> names() {
        return browser.findElements(By.cssSelector("#artifacts tbody tr")).stream().map(r -> r.getAttribute("data-name")).toList();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void screenshot(ChromeDriver driver, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static void assertNoConsoleErrors(ChromeDriver driver) {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "errors in the browser's console");
    }

    private static JsonNode upload(String name, byte[] content) throws Exception {
        String path = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<String> response = Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/" + path))
                .header("Authorization", "Bearer " + stack.apiToken()).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
