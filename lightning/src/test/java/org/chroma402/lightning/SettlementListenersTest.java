package org.chroma402.lightning;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.l402.Preimage;
import org.junit.jupiter.api.Test;

class SettlementListenersTest {

    @Test
    void theConnectionLivesFromTheFirstListenerToTheLastAndOpensAgain() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        SettlementListeners listeners = new SettlementListeners(() -> {
            opened.incrementAndGet();
            return closed::incrementAndGet;
        });
        AutoCloseable first = listeners.add((hash, paid) -> { });
        AutoCloseable second = listeners.add((hash, paid) -> { });
        assertThat(opened).hasValue(1);
        first.close();
        assertThat(closed).hasValue(0);
        second.close();
        second.close();
        assertThat(closed).hasValue(1);
        listeners.add((hash, paid) -> { });
        assertThat(opened).as("a listener after the last one left gets a new connection").hasValue(2);
    }

    @Test
    void settlementsReachEveryCurrentListener() throws Exception {
        SettlementListeners listeners = SettlementListeners.inProcess();
        List<String> heard = new ArrayList<>();
        listeners.add((hash, paid) -> heard.add("a"));
        AutoCloseable b = listeners.add((hash, paid) -> heard.add("b"));
        Preimage preimage = Preimage.random(new SecureRandom());
        listeners.settled(preimage.hash(), InvoiceState.paid(preimage.hash(), preimage, 1000, Instant.now()));
        b.close();
        listeners.settled(preimage.hash(), InvoiceState.paid(preimage.hash(), preimage, 1000, Instant.now()));
        assertThat(heard).containsExactly("a", "b", "a");
    }

    @Test
    void aLoopOnAThreadStopsWhenClosed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AutoCloseable loop = SettlementListeners.loopOnThread("test-loop", closed -> {
            started.countDown();
            while (!closed.getAsBoolean()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    // Woken to look at closed again.
                }
            }
            ended.countDown();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
