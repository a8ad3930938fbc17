package org.chroma402.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.client.FolderColorizer.Item;
import org.chroma402.client.FolderColorizer.Outcome;
import org.chroma402.client.FolderColorizer.Status;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.PayOptions;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderColorizerTest {
    @TempDir
    Path dir;
    private TestServer server;
    private Chroma402ClientTest.CountingWallet wallet;
    private final List<Item> items = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(dir.resolve("server"));
        wallet = new Chroma402ClientTest.CountingWallet(new DevWallet(server.base));
        Path in = Files.createDirectories(dir.resolve("in"));
        for (String name : List.of("buffalo.png", "keller.png")) {
            Files.write(in.resolve(name), TestResources.bytes("fixtures/inputs/" + name));
        }
        Files.writeString(in.resolve("broken.png"), "this is no PNG");
        Files.list(in).sorted().forEach(p -> items.add(new Item(p, dir.resolve("out").resolve(p.getFileName()))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<Outcome> run(Budget budget) throws InterruptedException {
        Chroma402Client client = new Chroma402Client(server.base, wallet, new ClientOptions(10, Duration.ofSeconds(60), 2,
                new PayOptions(Duration.ofSeconds(10), 0)), Receipts.inMemory(), Clock.systemUTC());
        return new FolderColorizer(client, "tiny", 2).run(items, budget, (done, total, outcome) -> { });
    }

    @Test
    void colorizesAFolderAndResumesWithoutPayingAgain() throws Exception {
        List<Outcome> first = run(Budget.unlimited());
        assertThat(first).extracting(Outcome::status).containsExactly(Status.FAILED, Status.COLORIZED, Status.COLORIZED);
        assertThat(first.get(0).detail()).isNotBlank();
        assertThat(first).extracting(Outcome::paidSat).containsExactly(0L, 3L, 3L);
        assertThat(dir.resolve("out/buffalo.png")).isRegularFile();
        assertThat(dir.resolve("out/broken.png")).doesNotExist();
        assertThat(wallet.payments).hasValue(2);

        List<Outcome> again = run(Budget.unlimited());
        assertThat(again).extracting(Outcome::status).containsExactly(Status.FAILED, Status.ALREADY_DONE, Status.ALREADY_DONE);
        assertThat(wallet.payments).hasValue(2);
        try (var leftovers = Files.list(dir.resolve("out"))) {
            assertThat(leftovers).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
        }
    }

    @Test
    void stopsPayingWhenTheBudgetIsSpent() throws Exception {
        List<Outcome> outcomes = run(Budget.of(4));
        assertThat(outcomes).extracting(Outcome::status).containsOnly(Status.COLORIZED, Status.FAILED, Status.OVER_BUDGET)
                .containsOnlyOnce(Status.COLORIZED);
        assertThat(wallet.payments).hasValue(1);
    }
}
