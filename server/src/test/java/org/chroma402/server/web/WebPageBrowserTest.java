package org.chroma402.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.Browser;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser (headless Chromium): upload, invoice, payment, result,
 * download; errors without invoices; expired invoices renewed; a phone wallet paying while the
 * page waits. Screenshots of each state land in target/screenshots.
 */
class WebPageBrowserTest {
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

    private void open(TestServer.Options options, int width, int height) throws Exception {
        open(options, width, height, false);
    }

    private void open(TestServer.Options options, int width, int height, boolean phone) throws Exception {
        open(options, width, height, phone, null);
    }

    /** Opens the page; {@code beforeLoad} runs in the page before its own scripts, as a browser extension's would. */
    private void open(TestServer.Options options, int width, int height, boolean phone, String beforeLoad) throws Exception {
        server = new TestServer(dir.resolve("server"), options);
        browser = Browser.start(Files.createDirectories(dir.resolve("profile")), width, height, phone);
        if (beforeLoad != null) {
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", beforeLoad));
        }
        browser.get(server.base.toString());
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("models")));
    }

    private WebDriverWait waitFor() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private Path photo(String resource, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, TestResources.bytes(resource));
        return file;
    }

    private void choose(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    @Test
    void uploadPayWithTheDevWalletSeeTheResultAndDownloadIt() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900);
        Browser.screenshot(browser, "1-start");
        choose(photo("fixtures/inputs/detroit.png", "detroit.png"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize")));
        assertThat(browser.findElement(By.id("preview-info")).getText()).contains("200×111");
        Browser.screenshot(browser, "2-chosen");
        browser.findElement(By.id("colorize")).click();

        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        waitFor().until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0"));
        String invoice = browser.findElement(By.id("invoice")).getAttribute("value");
        assertThat(invoice).startsWith("lnbcrt50n1");
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("5 sats");
        assertThat(browser.findElement(By.id("countdown")).getText()).startsWith("Expires in ");
        WebElement devButton = browser.findElement(By.id("pay-dev"));
        assertThat(devButton.getText()).contains("development wallet");
        Browser.screenshot(browser, "3-invoice");
        devButton.click();

        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        waitFor().until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return document.getElementById('after').complete && document.getElementById('after').naturalWidth === 200"));
        assertThat(browser.findElement(By.id("expiry")).getText()).contains("download link works until");
        Browser.screenshot(browser, "4-result");

        String href = browser.findElement(By.id("download")).getAttribute("href");
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        RgbImage image = new ImageDecoder(ImageLimits.DEFAULTS).decode(download.body());
        assertThat(image.width()).isEqualTo(200);
        assertThat(image.height()).isEqualTo(111);
        assertThat(browser.findElement(By.id("download")).getAttribute("download")).isEqualTo("detroit-colorized.png");
    }

    @Test
    void anInvalidFileShowsItsErrorAndMintsNoInvoice() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900);
        // Text named like a photo: the browser cannot preview it, and says so before any request.
        choose(photo("hostile/text.txt", "letter.png"));
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(browser.findElement(By.id("error")).getText()).contains("not a photo we can read");
        // A corrupt JPEG that browsers preview but the server refuses: the API's error is shown.
        choose(photo("hostile/truncated.jpg", "cut.jpg"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize"))).click();
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "not a photo we can read"));
        assertThat(browser.findElement(By.id("error")).getText()).contains("truncated");
        assertThat(browser.findElement(By.id("step-pay")).isDisplayed()).isFalse();
        Browser.screenshot(browser, "5-invalid-file");
        try (var invoices = Files.list(server.dir.resolve("devnode/invoices"))) {
            assertThat(invoices.count()).isZero();
        }
    }

    @Test
    void anExpiredInvoiceCanBeRenewed() throws Exception {
        open(TestServer.Options.defaults().withRealClockAndInvoiceExpiry(Duration.ofSeconds(3)), 1280, 900);
        choose(photo("fixtures/inputs/keller.png", "keller.png"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize"))).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        String first = browser.findElement(By.id("invoice")).getAttribute("value");
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("renew")));
        assertThat(browser.findElement(By.id("countdown")).getText()).contains("expired");
        assertThat(browser.findElement(By.id("pay-dev")).isEnabled()).isFalse();
        Browser.screenshot(browser, "6-expired");
        browser.findElement(By.id("renew")).click();
        waitFor().until(d -> !first.equals(d.findElement(By.id("invoice")).getAttribute("value")));
        assertThat(browser.findElement(By.id("renew")).isDisplayed()).isFalse();
        browser.findElement(By.id("pay-dev")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
    }

    @Test
    void aPhoneWalletPayingIsNoticedByThePageOnAPhoneSizedScreen() throws Exception {
        open(TestServer.Options.defaults(), 390, 844, true);
        choose(photo("fixtures/inputs/nipomo.png", "nipomo.png"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize"))).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        Browser.screenshot(browser, "7-phone-invoice");
        String invoice = browser.findElement(By.id("invoice")).getAttribute("value");
        // The "phone": pays from outside the page, which only learns of it from the server.
        new ApiClient(server.base).devPay(invoice);
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        waitFor().until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return document.getElementById('after').naturalWidth === 50"));
        Long pageWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        Long viewport = (Long) browser.executeScript("return window.innerWidth");
        assertThat(viewport).isEqualTo(390);
        assertThat(pageWidth).as("no horizontal scrolling on a phone").isLessThanOrEqualTo(viewport);
        Browser.screenshot(browser, "8-phone-result");
    }

    @Test
    void withNoModelOnSaleColorizeIsDisabledUnderAPlainBanner() throws Exception {
        open(TestServer.Options.defaults().withAvailableModels(), 1280, 900);
        WebElement banner = waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("no-model")));
        assertThat(banner.getText()).isEqualTo("Colorizing is not available right now — the server has no model ready. "
                + "Please try again later.");
        choose(photo("fixtures/inputs/detroit.png", "detroit.png"));
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
        assertThat(browser.findElement(By.id("colorize")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        // Words for visitors: nothing of the API's vocabulary or of the operator's side.
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).doesNotContain("model_size").doesNotContain("operator").doesNotContain("other model");
        Browser.screenshot(browser, "9-no-model");
        assertThat(server.invoiceCount()).isZero();
    }

    @Test
    void withOneModelOnSaleItIsChosenAndTheOtherIsMarkedUnavailable() throws Exception {
        open(TestServer.Options.defaults().withAvailableModels("tiny"), 1280, 900);
        assertThat(browser.findElement(By.id("no-model")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("input[value=large]")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.cssSelector("input[value=tiny]")).isSelected()).isTrue();
        choose(photo("fixtures/inputs/keller.png", "keller.png"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize"))).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("3 sats");
    }

    /**
     * A WebLN browser wallet (as the Alby extension injects {@code window.webln}): one click pays and
     * hands the page the preimage. The stand-in wallet pays through the development wallet and records
     * what it was asked to pay.
     */
    @Test
    void aBrowserWalletPaysWithOneClick() throws Exception {
        String webln = """
                window.weblnCalls = [];
                window.webln = {
                  enable: async () => { window.weblnCalls.push('enable'); },
                  sendPayment: async (invoice) => {
                    window.weblnCalls.push(invoice);
                    const r = await fetch('/api/dev/pay', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                            body: JSON.stringify({invoice})});
                    const body = await r.json();
                    return {preimage: body.preimage};
                  },
                };
                """;
        open(TestServer.Options.defaults(), 1280, 900, false, webln);
        choose(photo("fixtures/inputs/keller.png", "keller.png"));
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize"))).click();
        WebElement pay = waitFor().until(ExpectedConditions.elementToBeClickable(By.id("pay-webln")));
        String invoice = browser.findElement(By.id("invoice")).getAttribute("value");
        pay.click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        assertThat(browser.executeScript("return window.weblnCalls")).asList().containsExactly("enable", invoice);
    }
}
