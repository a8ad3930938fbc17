package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.chroma402.app.LightningBackends;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.Settings;
import org.chroma402.client.Budget;
import org.chroma402.client.Chroma402Client;
import org.chroma402.client.ClientOptions;
import org.chroma402.client.FolderColorizer;
import org.chroma402.client.Receipts;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.lightning.PaymentBackend;

/** {@code colorize --server URL}: buys the colorizations from a server, paying with the configured wallet. */
final class PaidColorizing {
    private final Settings settings;
    private final URI server;
    private final String model;
    private final long maxPriceSat;
    private final Long budgetSat;
    private final int parallel;
    private final PrintWriter out;
    private final PrintWriter err;

    PaidColorizing(Settings settings, URI server, String model, long maxPriceSat, Long budgetSat, int parallel,
            PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.server = server;
        this.model = model;
        this.maxPriceSat = maxPriceSat;
        this.budgetSat = budgetSat;
        this.parallel = parallel;
        this.out = out;
        this.err = err;
    }

    int run(List<Path> files, ColorizeTargets targets) throws Exception {
        if (parallel < 1 || maxPriceSat < 0 || (budgetSat != null && budgetSat < 0)) {
            err.println("error: --parallel is at least 1, and prices and budgets are not negative");
            return ExitCodes.USAGE;
        }
        PaymentBackend wallet = LightningBackends.wallet(settings, server, Clock.systemUTC());
        try {
            return buy(files, targets, wallet);
        } finally {
            if (wallet instanceof AutoCloseable connections) {
                connections.close();
            }
        }
    }

    private int buy(List<Path> files, ColorizeTargets targets, PaymentBackend wallet) throws InterruptedException {
        Path receiptsFile = Chroma402Config.from(settings).dataDir().resolve("client-receipts.jsonl");
        Chroma402Client client = new Chroma402Client(server, wallet, ClientOptions.DEFAULTS.withMaxPriceSat(maxPriceSat),
                Receipts.open(receiptsFile), Clock.systemUTC());
        List<FolderColorizer.Item> items = files.stream()
                .map(in -> new FolderColorizer.Item(in, targets.target(in, files.size(), OutputFormat.PNG))).toList();
        ProgressBar bar = new ProgressBar(err, "colorizing");
        List<FolderColorizer.Outcome> outcomes = new FolderColorizer(client, model, parallel).run(items,
                budgetSat == null ? Budget.unlimited() : Budget.of(budgetSat), (done, total, outcome) -> {
                    if (outcome.status() == FolderColorizer.Status.FAILED || outcome.status() == FolderColorizer.Status.OVER_BUDGET) {
                        err.println((total > 1 ? "\n" : "") + outcome.item().input() + ": " + outcome.detail());
                    }
                    if (total > 1) {
                        bar.items(done, total, outcome.item().input().getFileName().toString());
                    }
                });
        long paid = outcomes.stream().mapToLong(FolderColorizer.Outcome::paidSat).sum();
        long colorized = count(outcomes, FolderColorizer.Status.COLORIZED);
        long skipped = count(outcomes, FolderColorizer.Status.ALREADY_DONE);
        long notBought = count(outcomes, FolderColorizer.Status.OVER_BUDGET);
        long failed = count(outcomes, FolderColorizer.Status.FAILED);
        if (files.size() == 1 && colorized + skipped == 1) {
            out.println(items.get(0).output() + (skipped == 1 ? " (already there; nothing bought)" : ""));
        } else if (files.size() > 1) {
            out.printf(Locale.ROOT, "%d colorized, %d skipped (already there), %d not bought (over budget), %d failed; "
                    + "%d sats paid%n", colorized, skipped, notBought, failed, paid);
        }
        if (notBought > 0) {
            err.println("the budget ran out: run the same command again (with a larger --budget) to buy the rest");
        }
        return failed > 0 ? ExitCodes.FAILURE : notBought > 0 ? ExitCodes.NOT_ALL_BOUGHT : ExitCodes.OK;
    }

    private static long count(List<FolderColorizer.Outcome> outcomes, FolderColorizer.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

}
