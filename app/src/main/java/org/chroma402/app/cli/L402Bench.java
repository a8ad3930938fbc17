package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.RootKey;
import org.chroma402.l402.TokenId;
import org.chroma402.l402.bolt11.NodeKey;
import org.chroma402.l402.caveat.CaveatVerifier;
import org.chroma402.l402.caveat.EqualsSatisfier;
import org.chroma402.l402.caveat.ServicesSatisfier;
import org.chroma402.l402.caveat.ValidUntilSatisfier;
import org.chroma402.l402.header.L402Authorization;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonMinter;
import org.chroma402.l402.macaroon.MacaroonVerifier;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.dev.DevNodeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chroma402 bench l402}: throughput of the protocol core, each figure also given as a ratio
 * to a primitive measured in the same run (one HMAC-SHA256; one secp256k1 signature), because
 * absolute numbers on a shared machine mean little.
 */
@Command(name = "l402", mixinStandardHelpOptions = true,
        description = "Measure macaroon mint+verify and development-node invoice creation throughput.")
final class L402Bench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
    double seconds = 3;

    private static volatile long sink;

    /** One benchmarked operation; returns something so the JIT cannot drop the work. */
    @FunctionalInterface
    interface Op {
        long run() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SecureRandom random = new SecureRandom();
        RootKey rootKey = RootKey.random(random);
        byte[] identifier = MacaroonIdentifier.of(Preimage.random(random).hash(), TokenId.random(random)).encode();
        String request = "ab".repeat(32);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(rootKey.bytes(), "HmacSHA256"));
        Instant validUntil = Instant.now().plusSeconds(3600);
        Preimage preimage = Preimage.random(random);

        double hmacRate = rate("HMAC-SHA256 (66 bytes)", () -> {
            hmac.update(identifier);
            return hmac.doFinal()[0];
        });
        double mintVerifyRate = rate("mint + header round trip + verify", () -> {
            Macaroon minted = MacaroonMinter.mint(rootKey, "chroma402", identifier, List.of(
                    "services=colorize:0", "colorize_valid_until=" + validUntil.getEpochSecond(), "colorize_request=" + request));
            L402Authorization parsed = L402Authorization.parse(L402Authorization.of(minted, preimage).format());
            Macaroon m = parsed.macaroon();
            if (!MacaroonVerifier.verifySignature(m, rootKey)) {
                throw new IllegalStateException("verification failed");
            }
            CaveatVerifier.verify(m.firstPartyCaveats(), List.of(new ServicesSatisfier("colorize"),
                    new ValidUntilSatisfier("colorize", Clock.systemUTC(), true),
                    new EqualsSatisfier("colorize_request", request, true)));
            return m.signature()[0];
        });
        NodeKey key = NodeKey.generate(random);
        byte[] hash = new byte[32];
        Path dir = Files.createTempDirectory("chroma402-bench");
        try {
            DevNodeBackend node = new DevNodeBackend(dir, Clock.systemUTC(), random);
            double invoiceRate = rate("dev node create invoice (sign + write)", () ->
                    node.createInvoice(InvoiceRequest.withMemo(5_000, "bench", Duration.ofMinutes(10))).bolt11().length());
            double bareSignRate = rate("secp256k1 sign (libsecp256k1)", () -> {
                hash[1]++;
                return fr.acinq.secp256k1.Secp256k1.get().sign(hash, key.secret(), null)[0];
            });
            out.printf(Locale.ROOT, "%nmacaroon mint+verify: %.0f/s = one per %.1f HMAC-SHA256%n", mintVerifyRate,
                    hmacRate / mintVerifyRate);
            out.printf(Locale.ROOT, "dev node invoices:    %.0f/s = one per %.2f secp256k1 signatures%n", invoiceRate,
                    bareSignRate / invoiceRate);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return ExitCodes.OK;
    }

    private double rate(String name, Op op) throws Exception {
        long warmupEnd = System.nanoTime() + (long) (Math.min(1.0, seconds / 3) * 1e9);
        while (System.nanoTime() < warmupEnd) {
            sink += op.run();
        }
        long ops = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                sink += op.run();
            }
            ops += 16;
            now = System.nanoTime();
        } while (now < end);
        double perSecond = ops / ((now - start) / 1e9);
        spec.commandLine().getOut().printf(Locale.ROOT, "%-40s %12.0f ops/s%n", name, perSecond);
        return perSecond;
    }
}
