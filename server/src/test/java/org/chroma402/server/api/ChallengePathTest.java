package org.chroma402.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.server.testing.ApiClient;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpaid path's steps are timed for {@code bench http}, and the same bytes are not decoded twice. */
class ChallengePathTest {
    @TempDir
    Path dir;

    @Test
    void eachStepIsTimedAndAPhotoChallengedAgainIsNotDecodedAgain() {
        try (TestServer server = new TestServer(dir)) {
            ApiClient api = new ApiClient(server.base);
            byte[] photo = TestResources.bytes("fixtures/inputs/detroit.png");
            assertThat(api.post("/api/l402/colorize-image", ApiClient.body(photo, "large")).statusCode()).isEqualTo(402);
            assertThat(api.post("/api/l402/colorize-image", ApiClient.body(photo, "tiny")).statusCode()).isEqualTo(402);
            String metrics = new String(api.get("/metrics").body());
            for (String stage : new String[] {"body", "json", "base64", "probe", "invoice", "token", "database", "response"}) {
                assertThat(count(metrics, stage)).as(stage).isEqualTo(2);
            }
            assertThat(count(metrics, "validation")).as("decoded once for both challenges").isEqualTo(1);
            assertThat(api.post("/api/l402/colorize-image", ApiClient.body(TestResources.bytes("fixtures/inputs/keller.png"), "tiny"))
                    .statusCode()).isEqualTo(402);
            assertThat(count(new String(api.get("/metrics").body()), "validation")).as("a new photo is decoded").isEqualTo(2);
        }
    }

    @Test
    void rememberedPhotosAreBoundedInNumberAndAge() {
        Instant[] now = {Instant.parse("2026-12-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        VerifiedPhotos photos = new VerifiedPhotos(2, Duration.ofMinutes(10), clock);
        photos.add("a");
        photos.add("b");
        photos.add("c");
        assertThat(photos.contains("a")).isFalse();
        assertThat(photos.contains("b")).isTrue();
        now[0] = now[0].plus(Duration.ofMinutes(11));
        assertThat(photos.contains("c")).isFalse();
    }

    private static long count(String metrics, String stage) {
        Matcher m = Pattern.compile("chroma402_challenge_stage_seconds_count\\{[^}]*stage=\"" + stage + "\"[^}]*\\} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
