package org.chroma402.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chroma402 colorize --saturation}: locally and bought from a server, with receipts per strength. */
class ColorizeSaturationCliTest {
    @TempDir
    Path dir;
    private Path config;
    private Path photo;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void writeConfig() throws Exception {
        Path model = TestResources.tinyModel();
        config = dir.resolve("chroma402.yaml");
        Files.writeString(config, """
                data-dir: %s
                models:
                  dir: %s
                  large:
                    file: %s
                """.formatted(dir.resolve("data"), model.getParent(), model.getFileName()));
        photo = dir.resolve("photo.png");
        Files.write(photo, TestResources.bytes("fixtures/inputs/buffalo.png"));
    }

    @Test
    void localStrengthZeroIsGreyAndOneIsTheDefault() throws Exception {
        Run plain = run("colorize", "-c", config.toString(), "--local", photo.toString(), "-o", dir.resolve("plain.png").toString());
        assertThat(plain.exit()).as(plain.err()).isZero();
        Run one = run("colorize", "-c", config.toString(), "--local", "--saturation", "1.00", photo.toString(), "-o",
                dir.resolve("one.png").toString());
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("one.png"))).isEqualTo(Files.readAllBytes(dir.resolve("plain.png")));

        Run zero = run("colorize", "-c", config.toString(), "--local", "--saturation", "0", photo.toString(), "-o",
                dir.resolve("grey.png").toString());
        assertThat(zero.exit()).as(zero.err()).isZero();
        assertThat(isGrey(dir.resolve("grey.png"))).isTrue();
        assertThat(isGrey(dir.resolve("plain.png"))).isFalse();

        for (String bad : new String[] {"2.5", "-1", "1.234", "vivid"}) {
            Run refused = run("colorize", "-c", config.toString(), "--local", "--saturation", bad, photo.toString());
            assertThat(refused.exit()).as(bad).isEqualTo(2);
            assertThat(refused.err()).contains("saturation");
        }
    }

    @Test
    void serverPurchasesAreBoundToTheirStrengthAndReplayedOnlyForIt() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("server"))) {
            Run bought = buy(server, "1.2", "a");
            assertThat(bought.exit()).as(bought.err()).isZero();
            assertThat(server.invoiceCount()).isEqualTo(1);

            Run replay = buy(server, "1.20", "b");
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertThat(server.invoiceCount()).as("the same strength is replayed from its receipt, not bought again").isEqualTo(1);
            assertThat(Files.readAllBytes(dir.resolve("b/photo-color.png"))).isEqualTo(Files.readAllBytes(dir.resolve("a/photo-color.png")));

            Run other = buy(server, "1.3", "c");
            assertThat(other.exit()).as(other.err()).isZero();
            assertThat(server.invoiceCount()).as("another strength is another purchase").isEqualTo(2);
            assertThat(Files.readAllBytes(dir.resolve("c/photo-color.png"))).isNotEqualTo(Files.readAllBytes(dir.resolve("a/photo-color.png")));

            Run grey = buy(server, "0", "d");
            assertThat(grey.exit()).as(grey.err()).isZero();
            assertThat(isGrey(dir.resolve("d/photo-color.png"))).isTrue();
        }
    }

    private Run buy(TestServer server, String saturation, String folder) {
        return run("colorize", "-c", config.toString(), "--server", server.base.toString(), "--saturation", saturation,
                "-o", dir.resolve(folder) + "/", photo.toString());
    }

    private static boolean isGrey(Path png) throws Exception {
        RgbImage image = new ImageDecoder(ImageLimits.DEFAULTS).decode(Files.readAllBytes(png));
        byte[] rgb = image.rgb();
        for (int p = 0; p < image.pixels(); p++) {
            if (rgb[3 * p] != rgb[3 * p + 1] || rgb[3 * p] != rgb[3 * p + 2]) {
                return false;
            }
        }
        return true;
    }
}
