package org.chroma402.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.Browser;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page as people use it, in headless Chromium: a QR code a scanner reads from the screen (at
 * desktop and phone sizes, decoded by ZXing from the screenshot), visible focus and a visible,
 * draggable comparison handle, a clear "colorizing" state, a way back from paying, the phone
 * layout, the user's own file name, and the page behind a path prefix.
 */
class WebPageUsabilityTest {
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

    private void open(TestServer.Options options, int width, int height, boolean phone, String path) throws Exception {
        server = new TestServer(dir.resolve("server"), options);
        browser = Browser.start(Files.createDirectories(dir.resolve("profile")), width, height, phone);
        browser.get(path == null ? server.base.toString() : path);
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("models")));
    }

    private WebDriverWait waitFor() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private void choose(String resource, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, TestResources.bytes(resource));
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("colorize")));
    }

    private String toInvoice() {
        browser.findElement(By.id("colorize")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-pay")));
        waitFor().until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "const q = document.getElementById('qr'); return q.complete && q.naturalWidth > 0 && q.style.width !== ''"));
        return browser.findElement(By.id("invoice")).getAttribute("value");
    }

    /** Decodes the QR code in a screenshot of the page, as a phone pointed at the screen would. */
    private String scanScreen(String name) throws Exception {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(Path.of("target", "screenshots", name + ".png"), png);
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
        int[] argb = shot.getRGB(0, 0, shot.getWidth(), shot.getHeight(), null, 0, shot.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(shot.getWidth(), shot.getHeight(), argb)));
        return new QRCodeReader().decode(bitmap).getText();
    }

    private void assertWholePixelModules() {
        Map<?, ?> qr = (Map<?, ?>) browser.executeScript(
                "const q = document.getElementById('qr'); return {modules: q.naturalWidth, css: q.getBoundingClientRect().width,"
                        + " ratio: window.devicePixelRatio};");
        double perModule = ((Number) qr.get("css")).doubleValue() * ((Number) qr.get("ratio")).doubleValue()
                / ((Number) qr.get("modules")).doubleValue();
        assertThat(perModule).as("device pixels per module").isGreaterThanOrEqualTo(4.0);
        assertThat(perModule % 1).as("whole pixels per module").isZero();
    }

    @Test
    void theQrCodeOnScreenScansAtDesktopSize() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900, false, null);
        choose("fixtures/inputs/keller.png", "keller.png");
        String invoice = toInvoice();
        assertWholePixelModules();
        assertThat(scanScreen("9-desktop-qr")).isEqualTo("LIGHTNING:" + invoice.toUpperCase(Locale.ROOT));
    }

    @Test
    void onAPhoneTheWalletButtonLeadsAndTheQrCodeStillScans() throws Exception {
        open(TestServer.Options.defaults(), 390, 844, true, null);
        assertThat(browser.findElement(By.className("drop-text")).getText()).doesNotContain("Drop").contains("choose a photo");
        choose("fixtures/inputs/nipomo.png", "nipomo.png");
        String invoice = toInvoice();
        WebElement open = browser.findElement(By.id("pay-open"));
        WebElement qr = browser.findElement(By.id("qr"));
        assertThat(open.getRect().getY()).as("'Open in wallet app' comes before the QR code").isLessThan(qr.getRect().getY());
        assertThat(open.getAttribute("href")).isEqualTo("lightning:" + invoice);
        assertWholePixelModules();
        browser.executeScript("document.getElementById('qr').scrollIntoView()");
        assertThat(scanScreen("10-phone-qr")).isEqualTo("LIGHTNING:" + invoice.toUpperCase(Locale.ROOT));
        Long pageWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(pageWidth).as("no horizontal scrolling").isLessThanOrEqualTo(390L);
    }

    @Test
    void focusIsVisibleAndTheComparisonHasADraggableHandle() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900, false, null);
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("file");
        assertThat(browser.executeScript("return getComputedStyle(document.getElementById('drop')).outlineStyle"))
                .as("the drop zone shows keyboard focus").isNotEqualTo("none");
        Browser.screenshot(browser, "11-focus");

        choose("fixtures/inputs/detroit.png", "detroit.png");
        toInvoice();
        browser.findElement(By.id("pay-dev")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        waitFor().until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return document.getElementById('after').naturalWidth === 200"));
        WebElement knob = browser.findElement(By.className("knob"));
        assertThat(knob.isDisplayed()).isTrue();
        assertThat(knob.getSize().getWidth()).as("a handle big enough to grab").isGreaterThanOrEqualTo(40);
        WebElement compare = browser.findElement(By.id("compare"));
        // Drag from the middle to the left quarter: the handle and the split follow.
        new Actions(browser).moveToElement(compare).clickAndHold().moveByOffset(-compare.getSize().getWidth() / 4, 0)
                .release().perform();
        String left = (String) browser.executeScript("return document.getElementById('handle').style.left");
        assertThat(Double.parseDouble(left.replace("%", ""))).isBetween(15.0, 35.0);
        browser.findElement(By.id("slider")).sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('.knob')).outlineStyle"))
                .as("keyboard focus on the slider shows on its handle").isNotEqualTo("none");
        Browser.screenshot(browser, "12-handle");
    }

    @Test
    void afterPaymentTheColorizingStateShowsAndNothingElse() throws Exception {
        // The model does not run until the test starts it: the page sits in its "colorizing" state.
        open(TestServer.Options.defaults().withQueue(16, false), 1280, 900, false, null);
        choose("fixtures/inputs/keller.png", "keller.png");
        toInvoice();
        browser.findElement(By.id("pay-dev")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-working")));
        assertThat(browser.findElement(By.id("step-pay")).isDisplayed()).as("the QR code is gone").isFalse();
        assertThat(browser.findElement(By.id("status")).isDisplayed()).isFalse();
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("elapsed"), "1 s"));
        assertThat(browser.findElement(By.tagName("main")).getText()).containsOnlyOnce("colorizing");
        Browser.screenshot(browser, "13-colorizing");
        server.engines.values().forEach(e -> e.start());
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        assertThat(browser.findElement(By.id("step-working")).isDisplayed()).isFalse();
    }

    @Test
    void thePaymentStepShowsThePhotoAndLeadsBack() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900, false, null);
        choose("fixtures/inputs/keller.png", "keller.png");
        toInvoice();
        WebElement thumb = browser.findElement(By.id("pay-thumb"));
        assertThat(thumb.isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pay-photo")).getText()).contains("keller.png");
        browser.findElement(By.id("back")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-choose")));
        assertThat(browser.findElement(By.id("step-pay")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("colorize")).isEnabled()).as("the photo is still chosen").isTrue();
        // A file dropped beside the drop zone must not take the browser away from the page.
        assertThat(browser.executeScript("const e = new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: new DataTransfer()});"
                + " document.querySelector('footer').dispatchEvent(e); return e.defaultPrevented")).isEqualTo(true);
        assertThat(new ApiClient(server.base).get("/favicon.ico").headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void theDownloadKeepsTheUsersFileName() throws Exception {
        open(TestServer.Options.defaults(), 1280, 900, false, null);
        choose("fixtures/inputs/detroit.png", "grandma 1952.png");
        toInvoice();
        browser.findElement(By.id("pay-dev")).click();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        WebElement download = browser.findElement(By.id("download"));
        assertThat(download.getAttribute("download")).isEqualTo("grandma 1952-colorized.png");
        HttpResponse<byte[]> image = new ApiClient(server.base).get(download.getAttribute("href"));
        assertThat(image.headers().firstValue("Content-Disposition")).hasValue("inline");
    }

    @Test
    void thePageWorksBehindAPathPrefix() throws Exception {
        server = new TestServer(dir.resolve("server"), TestServer.Options.defaults());
        HttpServer proxy = prefixProxy("/colorize", server.base);
        try {
            browser = Browser.start(Files.createDirectories(dir.resolve("profile")), 1280, 900, false);
            browser.get("http://127.0.0.1:" + proxy.getAddress().getPort() + "/colorize/");
            waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("models")));
            assertThat(browser.findElements(By.cssSelector("#model-list input"))).hasSize(2);
            choose("fixtures/inputs/keller.png", "keller.png");
            toInvoice();
            browser.findElement(By.id("pay-dev")).click();
            waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("step-result")));
        } finally {
            proxy.stop(0);
        }
    }

    /** A reverse proxy that serves {@code target} under {@code prefix}, as nginx's location /prefix/ would. */
    private static HttpServer prefixProxy(String prefix, URI target) throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext(prefix + "/", exchange -> {
            String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
            String query = exchange.getRequestURI().getRawQuery();
            HttpURLConnection c = (HttpURLConnection) target.resolve(path + (query == null ? "" : "?" + query)).toURL()
                    .openConnection();
            c.setRequestMethod(exchange.getRequestMethod());
            for (String h : List.of("Content-Type", "Authorization", "Accept")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    c.setRequestProperty(h, v);
                }
            }
            if ("POST".equals(exchange.getRequestMethod())) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream(); InputStream in = exchange.getRequestBody()) {
                    in.transferTo(out);
                }
            }
            int status = c.getResponseCode();
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null && !k.equalsIgnoreCase("Transfer-Encoding") && !k.equalsIgnoreCase("Content-Length")) {
                    exchange.getResponseHeaders().put(k, v);
                }
            });
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        proxy.start();
        return proxy;
    }
}
