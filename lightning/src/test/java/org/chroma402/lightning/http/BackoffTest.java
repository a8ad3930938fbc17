package org.chroma402.lightning.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @RepeatedTest(20)
    void delaysDoubleWithinTheirJitterBandUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        long step = 500;
        for (int i = 0; i < 12; i++) {
            long delay = backoff.nextDelayMillis();
            assertThat(delay).as("attempt %d", i).isBetween(step / 2, step);
            step = Math.min(30_000, step * 2);
        }
        assertThat(backoff.currentStepMillis()).isEqualTo(30_000);
    }

    @Test
    void resetStartsAgainFromTheShortestDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(125L, 250L);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
