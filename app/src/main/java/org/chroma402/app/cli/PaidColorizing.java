package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.chroma402.app.LightningBackends;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.Settings;
import org.chroma402.client.Budget;
import org.chroma402.client.Chroma402Client;
import org.chroma402.client.ClientException;
import org.chroma402.client.ClientOptions;
import org.chroma402.client.FolderColorizer;
import org.chroma402.client.PriceQuote;
import org.chroma402.client.Receipts;
import org.chroma402.colorize.image.OutputFormat;
import org.chroma402.lightning.PaymentBackend;

/** {@code colorize --server URL}: buys the colorizations from a server, paying with the configured wallet. */
final class PaidColorizing {
    private final Settings settings;
    private final URI server;
    private final String model;
    /** The colour strength bought, null for the model's own colours. */
    private final BigDecimal saturation;
    private final long maxPriceSat;
    private final Long budgetSat;
    private final int parallel;
    private final boolean dryRun;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param dryRun show what each photo would cost (the server's invoice), pay nothing
     * @param json print one JSON summary on stdout instead of lines for people
     */
    PaidColorizing(Settings settings, URI server, String model, BigDecimal saturation, long maxPriceSat, Long budgetSat,
            int parallel, boolean dryRun, boolean json, PrintWriter out, PrintWriter err) {
        this.saturation = saturation;
        this.dryRun = dryRun;
        this.json = json;
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
        Path receiptsFile = ClientReceipts.file(settings);
        Chroma402Client client = new Chroma402Client(server, wallet, ClientOptions.DEFAULTS.withMaxPriceSat(maxPriceSat),
                Receipts.open(receiptsFile), Clock.systemUTC());
        List<FolderColorizer.Item> items = files.stream()
                .map(in -> new FolderColorizer.Item(in, targets.target(in, files.size(), OutputFormat.PNG))).toList();
        if (dryRun) {
            return quote(client, items);
        }
        ProgressBar bar = new ProgressBar(err, "colorizing");
        Budget budget = budgetSat == null ? Budget.unlimited() : Budget.of(budgetSat);
        List<FolderColorizer.Outcome> outcomes = new FolderColorizer(client, model, saturation, parallel).run(items,
                budget, (done, total, outcome) -> {
                    if (outcome.status() == FolderColorizer.Status.FAILED || outcome.status() == FolderColorizer.Status.OVER_BUDGET
                            || outcome.status() == FolderColorizer.Status.OVER_MAX_PRICE) {
                        err.println((total > 1 && !json ? "\n" : "") + outcome.item().input() + ": " + outcome.detail());
                    }
                    if (total > 1 && !json) {
                        bar.items(done, total, outcome.item().input().getFileName().toString());
                    }
                });
        PurchaseReport report = new PurchaseReport(outcomes, budget.spentSat());
        if (json) {
            ObjectNode summary = report.json();
            summary.put("server", server.toString());
            summary.put("model_size", model);
            out.println(Json.pretty(summary));
        } else if (files.size() == 1 && outcomes.get(0).status() == FolderColorizer.Status.COLORIZED) {
            out.println(items.get(0).output());
        } else if (files.size() == 1 && outcomes.get(0).status() == FolderColorizer.Status.ALREADY_DONE) {
            out.println(items.get(0).output() + " (already there; nothing bought)");
        } else if (files.size() > 1) {
            out.println(report.line());
        }
        if (report.count(FolderColorizer.Status.OVER_BUDGET) > 0) {
            err.println("the budget ran out: run the same command again (with a larger --budget) to buy the rest");
        }
        return report.exitCode();
    }

    /** {@code --dry-run}: each photo's price and invoice, as the server quotes them; nothing is paid. */
    private int quote(Chroma402Client client, List<FolderColorizer.Item> items) {
        ObjectNode summary = Json.object();
        ArrayNode list = summary.putArray("files");
        long total = 0;
        int failed = 0;
        int overMaxPrice = 0;
        for (FolderColorizer.Item item : items) {
            ObjectNode f = list.addObject();
            f.put("input", item.input().toString());
            f.put("output", item.output().toString());
            try {
                if (Files.isRegularFile(item.output())) {
                    f.put("status", "skipped");
                    f.put("amount_sats", 0);
                    line(item, "already there; nothing to buy");
                    continue;
                }
                PriceQuote quote = client.quote(Files.readAllBytes(item.input()), model, saturation);
                if (quote.alreadyPaid()) {
                    f.put("status", "already_paid");
                    f.put("amount_sats", 0);
                    line(item, "already paid for; colorizing it costs nothing more");
                    continue;
                }
                f.put("status", quote.amountSat() <= maxPriceSat ? "quoted" : "over_max_price");
                f.put("amount_sats", quote.amountSat());
                f.put("invoice", quote.invoice());
                f.put("payment_hash", quote.paymentHash());
                f.put("invoice_expires_at", quote.invoiceExpiresAt().toString());
                if (quote.amountSat() <= maxPriceSat) {
                    total += quote.amountSat();
                } else {
                    overMaxPrice++;
                }
                line(item, quote.amountSat() + " sats" + (quote.amountSat() > maxPriceSat ? " (above --max-price "
                        + maxPriceSat + ": it would not be bought)" : "") + "; invoice " + quote.invoice());
            } catch (ClientException | java.io.IOException e) {
                failed++;
                f.put("status", "failed");
                f.put("detail", e.getMessage());
                err.println(item.input() + ": " + e.getMessage());
            }
        }
        summary.put("server", server.toString());
        summary.put("model_size", model);
        summary.put("dry_run", true);
        summary.put("total_sats", total);
        summary.put("failed", failed);
        summary.put("over_max_price", overMaxPrice);
        summary.put("paid_sats", 0);
        if (json) {
            out.println(Json.pretty(summary));
        } else {
            out.println("would pay " + total + " sats in all" + (budgetSat != null && total > budgetSat
                    ? " (above --budget " + budgetSat + ": only part would be bought)" : "")
                    + (overMaxPrice > 0 ? "; " + overMaxPrice + " above --max-price would not be bought" : "")
                    + "; nothing was paid");
        }
        // As the real run would end: a photo above --max-price is "not all bought", not success.
        return failed > 0 ? ExitCodes.FAILURE : overMaxPrice > 0 ? ExitCodes.NOT_ALL_BOUGHT : ExitCodes.OK;
    }

    private void line(FolderColorizer.Item item, String text) {
        if (!json) {
            out.println(item.input() + ": " + text);
        }
    }


}
