package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.FallbackAddress;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.bolt11.RouteHop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code chroma402 invoice decode}: what a BOLT11 invoice says. */
@Command(name = "invoice", description = "Inspect BOLT11 invoices.", subcommands = InvoiceCommand.Decode.class,
        mixinStandardHelpOptions = true)
public final class InvoiceCommand {

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Print a BOLT11 invoice as JSON. Exit code 2 if it is malformed.")
    static final class Decode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "BOLT11", description = "The invoice, with or without a lightning: prefix.")
        String invoice;

        @Override
        public Integer call() {
            Bolt11Invoice inv;
            try {
                inv = Bolt11Decoder.decodeUnverified(invoice);
            } catch (InvoiceFormatException e) {
                spec.commandLine().getErr().println("error: not a valid invoice: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            spec.commandLine().getOut().println(Json.pretty(toJson(inv)));
            return ExitCodes.OK;
        }
    }

    static ObjectNode toJson(Bolt11Invoice inv) {
        ObjectNode out = Json.object();
        out.put("network", inv.network().name().toLowerCase(Locale.ROOT));
        if (inv.amountMsat().isPresent()) {
            out.put("amount_msat", inv.amountMsat().getAsLong());
        } else {
            out.putNull("amount_msat");
        }
        out.put("timestamp", inv.timestamp().getEpochSecond());
        out.put("payment_hash", inv.paymentHash().hex());
        out.put("payment_secret", HexFormat.of().formatHex(inv.paymentSecret()));
        out.put("description", inv.description().orElse(null));
        out.put("description_hash", inv.descriptionHash().map(HexFormat.of()::formatHex).orElse(null));
        out.put("expiry", inv.expirySeconds());
        out.put("expires_at", inv.expiresAt().toString());
        out.put("min_final_cltv_expiry", inv.minFinalCltvExpiry());
        out.put("payee_pubkey", inv.payeePubkey().map(HexFormat.of()::formatHex).orElse(null));
        ObjectNode features = out.putObject("features");
        features.put("hex", inv.features().toHex());
        ArrayNode bits = features.putArray("bits");
        inv.features().setBits().forEach(bits::add);
        ArrayNode fallbacks = out.putArray("fallback_addresses");
        for (FallbackAddress f : inv.fallbackAddresses()) {
            fallbacks.add(f.toAddress(inv.network()));
        }
        ArrayNode routes = out.putArray("route_hints");
        for (List<RouteHop> route : inv.routeHints()) {
            ArrayNode hops = routes.addArray();
            for (RouteHop hop : route) {
                ObjectNode h = hops.addObject();
                h.put("pubkey", hop.pubkeyHex());
                h.put("short_channel_id", hop.shortChannelIdText());
                h.put("fee_base_msat", hop.feeBaseMsat());
                h.put("fee_proportional_millionths", hop.feeProportionalMillionths());
                h.put("cltv_expiry_delta", hop.cltvExpiryDelta());
            }
        }
        inv.metadata().ifPresent(m -> out.put("metadata", HexFormat.of().formatHex(m)));
        out.put("signature_valid", inv.signatureValid());
        return out;
    }
}
