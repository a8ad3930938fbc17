package org.chroma402.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The black-box layer's own check: the shipped jar starts as its own process and says what it is. */
class ShippedJarIT {
    @TempDir
    Path dir;

    @Test
    void theShippedJarRunsOnItsOwn() {
        JarProcess version = ShippedJar.run(dir, Duration.ofSeconds(60), "--version");
        assertThat(version.awaitExit(Duration.ofSeconds(1))).as(version.describe()).isZero();
        assertThat(version.stdout()).startsWith("chroma402 ");
    }
}
