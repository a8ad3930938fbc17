package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.chroma402.client.FolderColorizer;

/**
 * What a run of paid colorizations did, counted honestly: colorized (bought now or redeemed from an
 * earlier payment), skipped (the output was already there), not bought (the budget ran out, or the
 * price was above {@code --max-price}: the user's limits, not failures) and failed, with the sats
 * paid; as one line for people or as JSON for programs and agents.
 */
record PurchaseReport(List<FolderColorizer.Outcome> outcomes, long paidSat) {

    /**
     * @param paidSat what the run paid, from its budget's ledger rather than the outcomes: a photo
     *     paid for whose redeem then failed is a failure, but its sats were paid all the same (a run
     *     cut off by the server's stop said "5 sats paid" after paying 10)
     */
    PurchaseReport {
        outcomes = List.copyOf(outcomes);
    }

    long count(FolderColorizer.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    int exitCode() {
        return count(FolderColorizer.Status.FAILED) > 0 ? ExitCodes.FAILURE
                : count(FolderColorizer.Status.OVER_BUDGET) + count(FolderColorizer.Status.OVER_MAX_PRICE) > 0
                        ? ExitCodes.NOT_ALL_BOUGHT : ExitCodes.OK;
    }

    /** The totals; the count above {@code --max-price} only when there is one, as it is rare. */
    String line() {
        long overPrice = count(FolderColorizer.Status.OVER_MAX_PRICE);
        return String.format(Locale.ROOT, "%d colorized, %d skipped (already there), %d not bought (over budget), "
                + "%s%d failed; %d sats paid", count(FolderColorizer.Status.COLORIZED),
                count(FolderColorizer.Status.ALREADY_DONE), count(FolderColorizer.Status.OVER_BUDGET),
                overPrice == 0 ? "" : overPrice + " not bought (above --max-price), ",
                count(FolderColorizer.Status.FAILED), paidSat());
    }

    ObjectNode json() {
        ObjectNode out = Json.object();
        ArrayNode files = out.putArray("files");
        for (FolderColorizer.Outcome o : outcomes) {
            ObjectNode f = files.addObject();
            f.put("input", o.item().input().toString());
            f.put("output", o.item().output().toString());
            f.put("status", status(o.status()));
            f.put("paid_sats", o.paidSat());
            f.put("detail", o.detail());
        }
        out.put("colorized", count(FolderColorizer.Status.COLORIZED));
        out.put("skipped", count(FolderColorizer.Status.ALREADY_DONE));
        out.put("not_bought", count(FolderColorizer.Status.OVER_BUDGET));
        out.put("over_max_price", count(FolderColorizer.Status.OVER_MAX_PRICE));
        out.put("failed", count(FolderColorizer.Status.FAILED));
        out.put("paid_sats", paidSat());
        out.put("exit_code", exitCode());
        return out;
    }

    static String status(FolderColorizer.Status status) {
        return switch (status) {
            case COLORIZED -> "colorized";
            case ALREADY_DONE -> "skipped";
            case OVER_BUDGET -> "not_bought";
            case OVER_MAX_PRICE -> "over_max_price";
            case FAILED -> "failed";
        };
    }
}
