package org.chroma402.app.cli;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.chroma402.app.LightningBackends;
import org.chroma402.app.config.Settings;
import org.chroma402.client.DevWallet;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chroma402 pay}: pays an invoice and prints the preimage, so the whole L402 flow runs
 * from a shell. Pays with the configured wallet ({@code lightning.backend}); with the default
 * development backend, through the issuing server's development wallet.
 */
@Command(name = "pay", mixinStandardHelpOptions = true,
        description = "Pay a BOLT11 invoice with the configured wallet (or a development server's test wallet); prints the preimage.")
public final class PayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "BOLT11", description = "The invoice from the 402 response.")
    String invoice;

    @Option(names = "--server", paramLabel = "URL", converter = ServerAddress.class,
            description = "With the development backend: the server that issued the invoice, a URL or host:port "
            + "(default: ${DEFAULT-VALUE}).")
    URI server = URI.create("http://127.0.0.1:8402");

    @Option(names = "--max-fee", paramLabel = "SATS", description = "Most to pay in routing fees (default: ${DEFAULT-VALUE}).")
    long maxFeeSat = 10;

    @Override
    public Integer call() throws Exception {
        String bolt11 = invoice.strip();
        try {
            Bolt11Decoder.decode(bolt11);
        } catch (InvoiceFormatException e) {
            spec.commandLine().getErr().println("error: not a valid invoice: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Settings settings = options.settings();
        PaymentBackend wallet = LightningBackends.wallet(settings, server, Clock.systemUTC());
        try {
            PaymentResult paid = wallet.pay(bolt11, new PayOptions(PayOptions.DEFAULT.timeout(), maxFeeSat * 1000));
            spec.commandLine().getOut().println(paid.preimage().hex());
            return ExitCodes.OK;
        } catch (LightningException e) {
            boolean serverGiven = spec.commandLine().getParseResult().hasMatchedOption("--server");
            // The development wallet pays through the server that issued the invoice; by default the one on this machine.
            spec.commandLine().getErr().println("error: " + e.getMessage() + (wallet instanceof DevWallet && !serverGiven
                    ? "\nThe development wallet pays through the server that issued the invoice: name it with --server URL"
                    + " (default " + server + ")." : ""));
            return ExitCodes.FAILURE;
        } finally {
            if (wallet instanceof AutoCloseable connections) {
                connections.close();
            }
        }
    }
}
