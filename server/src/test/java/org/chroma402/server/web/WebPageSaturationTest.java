package org.chroma402.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.persistence.JdbcJobStore;
import org.chroma402.server.testing.Browser;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The colour strength slider in headless Chromium: what it shows, what the page sends, what is bought. */
class WebPageSaturationTest {
    /** Runs before the page's scripts: keeps the body of every colorize request the page sends. */
    private static final String RECORD_REQUESTS = """
            window.__sent = [];
            const realFetch = window.fetch;
            window.fetch = (url, options) => {
              if (String(url).includes('colorize-image') && options && options.body) window.__sent.push(options.body);
              return realFetch(url, options);
            };
            """;

    @TempDir
    Path dir;
    private TestServer server;
    private ChromeDriver browser;

    @BeforeAll
    static void needsChromium() {
        Browser.requireInstalled();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSliderStrengthIsSentBoundAndRendered() throws Exception {
        server = new TestServer(dir.resolve("server"), TestServer.Options.defaults());
        browser = Browser.start(Files.createDirectories(dir.resolve("profile")), 1280, 900, false);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_REQUESTS));
        browser.get(server.base.toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("models")));
        assertThat(browser.findElement(By.id("saturation-value")).getText()).isEqualTo("1.00");

        Path photo = dir.resolve("detroit.png");
        Files.write(photo, TestResources.bytes("fixtures/inputs/detroit.png"));
        browser.findElement(By.id("file")).sendKeys(photo.toAbsolutePath().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("colorize")));
        // As a user's drag would: the value changes, then an input event.
        browser.executeScript("const s = document.getElementById('saturation'); s.value = '1.35';"
                + " s.dispatchEvent(new Event('input', { bubbles: true }));");
        assertThat(browser.findElement(By.id("saturation-value")).getText()).isEqualTo("1.35");
        assertThat(browser.findElement(By.id("saturation-swatch")).getAttribute("style")).contains("saturate(1.35)");
        Browser.screenshot(browser, "saturation-1-chosen");
        browser.findElement(By.id("colorize")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        assertThat(browser.findElement(By.id("pay-photo")).getText()).contains("colour 1.35");
        @SuppressWarnings("unchecked")
        List<String> sent = (List<String>) browser.executeScript("return window.__sent");
        assertThat(sent).isNotEmpty();
        JsonNode body = new ObjectMapper().readTree(sent.get(sent.size() - 1));
        assertThat(body.path("saturation").decimalValue()).isEqualByComparingTo("1.35");
        browser.findElement(By.id("pay-dev")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        String href = browser.findElement(By.id("download")).getAttribute("href");
        assertThat(href).isNotBlank();
        @SuppressWarnings("unchecked")
        List<String> after = (List<String>) browser.executeScript("return window.__sent");
        assertThat(new ObjectMapper().readTree(after.get(after.size() - 1)).path("saturation").decimalValue())
                .as("the redeem sends the body that was bought").isEqualByComparingTo("1.35");
        String resultName = href.substring(href.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        assertThat(new JdbcJobStore(server.database).findByResultName(resultName))
                .hasValueSatisfying(job -> assertThat(job.saturationPercent()).isEqualTo(135));
    }
}
