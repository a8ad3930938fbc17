package org.chroma402.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Paid jobs share a heap budget: big ones take turns, small ones fit beside, an oversized one runs alone. */
class MemoryBudgetTest {
    private static final long BUDGET = MemoryBudget.estimate(20_000_000, 512, 0);

    @Test
    void aFortyMegapixelJobIsEstimatedAboveAnOrdinaryOne() {
        assertThat(MemoryBudget.estimate(40_000_000, 1024, 0)).isGreaterThan(10 * MemoryBudget.estimate(1_000_000, 512, 0));
    }

    @Test
    void twoBigJobsDoNotRunAtOnceButASmallOneRunsBesideABigOne() throws Exception {
        MemoryBudget budget = new MemoryBudget(BUDGET);
        long big = MemoryBudget.estimate(12_000_000, 512, 0);
        long small = MemoryBudget.estimate(1_000_000, 512, 0);
        long first = budget.acquire(big);

        AtomicInteger running = new AtomicInteger(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            try {
                long held = budget.acquire(big);
                running.incrementAndGet();
                secondStarted.countDown();
                budget.release(held);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        assertThat(secondStarted.await(300, TimeUnit.MILLISECONDS)).as("the second big job waits").isFalse();

        long beside = budget.acquire(small);
        assertThat(budget.reserved()).as("the small job runs beside the big one").isEqualTo(big + small);
        budget.release(beside);
        assertThat(running.get()).isEqualTo(1);

        budget.release(first);
        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).as("the second big job runs once the first ends").isTrue();
        second.join();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aJobLargerThanTheBudgetRunsAlone() throws Exception {
        MemoryBudget budget = new MemoryBudget(BUDGET);
        long small = budget.acquire(MemoryBudget.estimate(1_000_000, 512, 0));
        CountDownLatch started = new CountDownLatch(1);
        Thread huge = new Thread(() -> {
            try {
                budget.acquire(10 * BUDGET);
                started.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        huge.start();
        assertThat(started.await(300, TimeUnit.MILLISECONDS)).as("it waits for the running job").isFalse();
        budget.release(small);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(budget.reserved()).as("it holds the whole budget, so nothing runs beside it").isEqualTo(BUDGET);
        huge.join();
    }
}
