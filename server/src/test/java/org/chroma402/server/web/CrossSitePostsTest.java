package org.chroma402.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.config.ServerConfig;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.Browser;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Another site's page cannot make a visitor's browser buy invoices from the API: headless Chromium
 * on a page of another origin posts with {@code mode: "no-cors"} and a Blob body, which sends no
 * {@code Content-Type} (so no preflight), and the server mints nothing. Programs that send no type
 * either (lnget's {@code -d}) still get their 402.
 */
class CrossSitePostsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void browserInstalled() {
        Browser.requireInstalled();
    }

    @Test
    void aNoCorsPostFromAnotherOriginMintsNoInvoiceWhileProgramsWithoutATypeStillBuy() throws Exception {
        String body = ApiClient.body(TestResources.bytes("fixtures/inputs/buffalo.png"), "tiny");
        try (TestServer server = new TestServer(dir.resolve("server"), TestServer.Options.defaults()
                .withListening(l -> new ServerConfig.Listening(l.host(), l.port(), l.publicUrl(), List.of(),
                        l.trustProxy(), l.proxyHops(), l.allowedHosts())))) {
            URI api = server.base.resolve("/api/l402/colorize-image");
            HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String page = "<!doctype html><title>attacker</title><script>window.BODY = " + quote(body) + ";</script>";
            attacker.createContext("/", exchange -> {
                byte[] html = page.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
                exchange.close();
            });
            attacker.start();
            ChromeDriver browser = Browser.start(Files.createDirectories(dir.resolve("profile")), 800, 600);
            try {
                browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
                Object outcome = browser.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        const posts = [];
                        for (let i = 0; i < 3; i++) {
                          posts.push(fetch(arguments[0], {method: 'POST', mode: 'no-cors', body: new Blob([window.BODY])})
                              .then(r => r.type, e => 'error ' + e));
                        }
                        Promise.all(posts).then(done);
                        """, api.toString());
                assertThat(outcome.toString()).contains("opaque");
                assertThat(server.invoiceCount()).isZero();
            } finally {
                browser.quit();
                attacker.stop(0);
            }

            // A program (lnget -d without --content-type) sends no type and no Origin: it still buys.
            HttpResponse<String> program = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(program.statusCode()).isEqualTo(402);
            assertThat(server.invoiceCount()).isEqualTo(1);
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
