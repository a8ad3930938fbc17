package org.chroma402.lightning.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.lightning.nwc.Nip04;
import org.chroma402.lightning.nwc.Nip44;
import org.chroma402.lightning.nwc.NostrEvent;
import org.chroma402.lightning.nwc.NostrKeys;

/**
 * An NWC wallet service (NIP-47) on a loopback {@link NostrRelaySimulator}, in front of a
 * {@link SimulatedNode}: it publishes its info event, answers {@code make_invoice},
 * {@code lookup_invoice}, {@code pay_invoice} and {@code get_info} with the payloads NIP-47
 * documents, sends {@code payment_received} notifications, and honours request expiration.
 * {@link Faults} make it slow, failing ({@code INTERNAL} errors) or garbled.
 */
public final class NwcWalletSimulator implements BackendSimulator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the wallet speaks: NIP-44 with NIP-04 as fallback, or only NIP-04 like older wallets. */
    public enum Encryption { NIP44, NIP04_ONLY }

    public final SimulatedNode node;
    public final Faults faults = new Faults();
    public final NostrRelaySimulator relay;
    /** The encryption of every request the wallet received, in order. */
    public final List<String> requestEncryptions = new CopyOnWriteArrayList<>();
    private final Encryption encryption;
    private final SecureRandom random = new SecureRandom();
    private final NostrKeys walletKeys = NostrKeys.generate(random);
    private final String clientSecretHex;
    private final NostrKeys clientKeys;
    private final byte[] conversationKey;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nwc-wallet-sim");
        t.setDaemon(true);
        return t;
    });

    private NwcWalletSimulator(SimulatedNode node, Encryption encryption, NostrRelaySimulator relay) {
        this.node = node;
        this.encryption = encryption;
        this.relay = relay;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.clientSecretHex = HexFormat.of().formatHex(secret);
        this.clientKeys = NostrKeys.fromSecretHex(clientSecretHex);
        this.conversationKey = Nip44.conversationKey(walletKeys, clientKeys.publicKeyHex());
    }

    /** Starts a relay and a wallet service on it. */
    public static NwcWalletSimulator start(SimulatedNode node, Encryption encryption) {
        NwcWalletSimulator wallet = new NwcWalletSimulator(node, encryption, new NostrRelaySimulator().start());
        wallet.relay.onEvent(wallet::onEvent);
        node.onSettle(wallet::notifyReceived);
        List<List<String>> tags = new ArrayList<>();
        if (encryption == Encryption.NIP44) {
            tags.add(List.of("encryption", "nip44_v2 nip04"));
        }
        tags.add(List.of("notifications", "payment_received payment_sent"));
        wallet.relay.publish(NostrEvent.sign(wallet.walletKeys, Instant.now().getEpochSecond(), 13194, tags,
                "pay_invoice get_balance get_info make_invoice lookup_invoice list_transactions notifications",
                wallet.random));
        return wallet;
    }

    /** The connection string an operator would paste into Chroma402's configuration. */
    public String connectionUri() {
        return "nostr+walletconnect://" + walletKeys.publicKeyHex() + "?relay="
                + URLEncoder.encode(relay.url().toString(), StandardCharsets.UTF_8) + "&secret=" + clientSecretHex
                + "&lud16=chroma402%40example.com";
    }

    public String walletPublicKey() {
        return walletKeys.publicKeyHex();
    }

    @Override
    public SimulatedNode node() {
        return node;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public void dropConnections() {
        relay.dropConnections();
    }

    private void onEvent(NostrEvent event) {
        if (event.kind() != 23194 || !event.tag("p").map(walletKeys.publicKeyHex()::equals).orElse(false)
                || !clientKeys.publicKeyHex().equals(event.pubkey())) {
            return;
        }
        workers.execute(() -> handle(event));
    }

    private void handle(NostrEvent request) {
        boolean nip44 = request.tag("encryption").map("nip44_v2"::equals).orElse(false);
        requestEncryptions.add(nip44 ? "nip44_v2" : "nip04");
        if (nip44 && encryption == Encryption.NIP04_ONLY) {
            return;
        }
        Optional<String> expiration = request.tag("expiration");
        if (faults.delayMillis > 0) {
            sleep(faults.delayMillis);
        }
        if (expiration.isPresent() && Instant.now().getEpochSecond() > Long.parseLong(expiration.get())) {
            return;
        }
        String plaintext = nip44 ? Nip44.decrypt(request.content(), conversationKey)
                : Nip04.decrypt(request.content(), walletKeys, clientKeys.publicKeyHex());
        ObjectNode reply = JSON.createObjectNode();
        String content;
        try {
            JsonNode body = JSON.readTree(plaintext);
            String method = body.path("method").asText();
            reply.put("result_type", method);
            if (faults.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(reply, "INTERNAL", "internal error");
            } else {
                respond(method, body.path("params"), reply);
            }
            content = reply.toString();
        } catch (java.io.IOException e) {
            error(reply, "OTHER", "request is not JSON");
            content = reply.toString();
        }
        String encrypted = faults.malformedNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                ? "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB" + "garbage".repeat(20)
                : nip44 ? Nip44.encrypt(content, conversationKey, random)
                        : Nip04.encrypt(content, walletKeys, clientKeys.publicKeyHex(), random);
        relay.publish(NostrEvent.sign(walletKeys, Instant.now().getEpochSecond(), 23195,
                List.of(List.of("p", clientKeys.publicKeyHex()), List.of("e", request.id())), encrypted, random));
    }

    private void respond(String method, JsonNode params, ObjectNode reply) {
        switch (method) {
            case "make_invoice" -> {
                long expiry = params.path("expiry").asLong(86_400);
                SimulatedNode.Invoice i = node.create(params.path("amount").asLong(), params.path("description").asText(null),
                        expiry, null);
                reply.set("result", transaction(i));
            }
            case "lookup_invoice" -> {
                Optional<SimulatedNode.Invoice> found;
                try {
                    found = node.find(PaymentHash.fromHex(params.path("payment_hash").asText()));
                } catch (IllegalArgumentException e) {
                    found = Optional.empty();
                }
                if (found.isEmpty()) {
                    error(reply, "NOT_FOUND", "invoice not found");
                } else {
                    reply.set("result", transaction(found.get()));
                }
            }
            case "pay_invoice" -> {
                try {
                    Preimage preimage = node.pay(params.path("invoice").asText());
                    ObjectNode result = reply.putObject("result");
                    result.put("preimage", HexFormat.of().formatHex(preimage.bytes()));
                    result.put("fees_paid", 1000);
                } catch (RuntimeException e) {
                    error(reply, "PAYMENT_FAILED", e.getMessage());
                }
            }
            case "get_info" -> {
                ObjectNode result = reply.putObject("result");
                result.put("alias", "simulated wallet");
                result.put("pubkey", node.nodeId());
                result.put("network", "regtest");
                result.putArray("methods").add("make_invoice").add("lookup_invoice").add("pay_invoice").add("get_info");
            }
            default -> error(reply, "NOT_IMPLEMENTED", "unknown method " + method);
        }
    }

    private ObjectNode transaction(SimulatedNode.Invoice i) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "incoming");
        t.put("state", i.settled() ? "settled" : node.expired(i) ? "expired" : "pending");
        t.put("invoice", i.bolt11);
        t.put("description", i.memo == null ? "" : i.memo);
        t.put("payment_hash", i.hash.hex());
        if (i.settled()) {
            t.put("preimage", HexFormat.of().formatHex(i.preimage.bytes()));
            t.put("settled_at", i.settledAt.getEpochSecond());
        }
        t.put("amount", i.amountMsat);
        t.put("fees_paid", 0);
        t.put("created_at", i.createdAt.getEpochSecond());
        t.put("expires_at", i.expiresAt().getEpochSecond());
        t.putObject("metadata");
        return t;
    }

    private void notifyReceived(SimulatedNode.Invoice invoice) {
        ObjectNode body = JSON.createObjectNode();
        body.put("notification_type", "payment_received");
        body.set("notification", transaction(invoice));
        boolean nip44 = encryption == Encryption.NIP44;
        String content = nip44 ? Nip44.encrypt(body.toString(), conversationKey, random)
                : Nip04.encrypt(body.toString(), walletKeys, clientKeys.publicKeyHex(), random);
        relay.publish(NostrEvent.sign(walletKeys, Instant.now().getEpochSecond(), nip44 ? 23197 : 23196,
                List.of(List.of("p", clientKeys.publicKeyHex())), content, random));
    }

    private static void error(ObjectNode reply, String code, String message) {
        reply.remove("result");
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        relay.close();
        workers.shutdownNow();
    }
}
