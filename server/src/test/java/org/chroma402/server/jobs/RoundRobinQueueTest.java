package org.chroma402.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinQueueTest {
    private final RoundRobinQueue queue = new RoundRobinQueue();
    private final List<String> order = new ArrayList<>();

    private void add(String payer, String job) {
        queue.add(payer, () -> order.add(job));
    }

    private void drain(int n) {
        for (int i = 0; i < n; i++) {
            queue.next().run();
        }
    }

    @Test
    void aPayerNewToTheQueueIsServedBeforeABacklogThatWasServedAlready() {
        for (int i = 1; i <= 5; i++) {
            add("backlog", "b" + i);
        }
        drain(2);
        add("small", "s1");
        drain(2);
        assertThat(order).containsExactly("b1", "b2", "s1", "b3");
    }

    @Test
    void aBacklogQueuedJustAfterItsFirstJobStartedIsNoNewcomer() {
        add("backlog", "b1");
        drain(1);
        for (int i = 2; i <= 4; i++) {
            add("backlog", "b" + i);
        }
        add("small", "s1");
        drain(2);
        assertThat(order).containsExactly("b1", "s1", "b2");
    }

    @Test
    void payersTakeTurnsAndEachKeepsItsOwnOrder() {
        add("a", "a1");
        add("a", "a2");
        add("a", "a3");
        add("b", "b1");
        add("b", "b2");
        add("c", "c1");
        drain(6);
        assertThat(order).containsExactly("a1", "b1", "c1", "a2", "b2", "a3");
        assertThat(queue.next()).isNull();
        assertThat(queue.size()).isZero();
    }
}
