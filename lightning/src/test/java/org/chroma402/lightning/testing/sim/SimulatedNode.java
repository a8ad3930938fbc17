package org.chroma402.lightning.testing.sim;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Encoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.bolt11.Network;
import org.chroma402.l402.bolt11.NodeKey;
import org.chroma402.l402.bolt11.UnsignedInvoice;

/**
 * The Lightning node behind every backend simulator: it signs real BOLT11 invoices, keeps their
 * state, settles them when a test (or another simulated node) pays, and can pay invoices of any
 * other simulated node. Nodes meet in one in-memory "network".
 */
public final class SimulatedNode {
    private static final Map<PaymentHash, SimulatedNode> NETWORK = new ConcurrentHashMap<>();

    private final NodeKey key = NodeKey.generate(new SecureRandom());
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<PaymentHash, Invoice> invoices = new ConcurrentHashMap<>();
    private final AtomicLong addIndex = new AtomicLong();
    private final AtomicLong settleIndex = new AtomicLong();
    private final List<Consumer<Invoice>> settleListeners = new CopyOnWriteArrayList<>();

    /** One invoice as the node knows it. */
    public static final class Invoice {
        public final PaymentHash hash;
        public final Preimage preimage;
        public final String bolt11;
        public final long amountMsat;
        public final String memo;
        public final String label;
        public final Instant createdAt;
        public final long expirySeconds;
        public final long addIndex;
        public volatile String state = "OPEN";
        public volatile long settleIndex;
        public volatile Instant settledAt;
        public volatile long paidMsat;

        Invoice(PaymentHash hash, Preimage preimage, String bolt11, long amountMsat, String memo, String label,
                Instant createdAt, long expirySeconds, long addIndex) {
            this.hash = hash;
            this.preimage = preimage;
            this.bolt11 = bolt11;
            this.amountMsat = amountMsat;
            this.memo = memo;
            this.label = label;
            this.createdAt = createdAt;
            this.expirySeconds = expirySeconds;
            this.addIndex = addIndex;
        }

        public Instant expiresAt() {
            return createdAt.plusSeconds(expirySeconds);
        }

        public boolean settled() {
            return "SETTLED".equals(state);
        }
    }

    public SimulatedNode(Clock clock) {
        this.clock = clock;
    }

    public String nodeId() {
        return key.publicKeyHex();
    }

    public Clock clock() {
        return clock;
    }

    public Invoice create(long amountMsat, String memo, long expirySeconds, String label) {
        Preimage preimage = Preimage.random(random);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String bolt11 = Bolt11Encoder.encode(new UnsignedInvoice(Network.REGTEST, OptionalLong.of(amountMsat), now,
                preimage.hash(), secret, memo == null ? "" : memo, null, expirySeconds, 40, null), key);
        Invoice invoice = new Invoice(preimage.hash(), preimage, bolt11, amountMsat, memo, label, now, expirySeconds,
                addIndex.incrementAndGet());
        invoices.put(invoice.hash, invoice);
        NETWORK.put(invoice.hash, this);
        return invoice;
    }

    public Optional<Invoice> find(PaymentHash hash) {
        return Optional.ofNullable(invoices.get(hash));
    }

    public Optional<Invoice> findByLabel(String label) {
        return invoices.values().stream().filter(i -> label.equals(i.label)).findFirst();
    }

    public boolean expired(Invoice invoice) {
        return !invoice.settled() && !clock.instant().isBefore(invoice.expiresAt());
    }

    /** Marks an invoice paid, as an incoming payment would. */
    public Invoice settle(PaymentHash hash) {
        Invoice invoice = invoices.get(hash);
        if (invoice == null) {
            throw new IllegalArgumentException("no such invoice");
        }
        synchronized (invoice) {
            if (!invoice.settled()) {
                invoice.state = "SETTLED";
                invoice.settleIndex = settleIndex.incrementAndGet();
                invoice.settledAt = clock.instant();
                invoice.paidMsat = invoice.amountMsat;
            }
        }
        settleListeners.forEach(l -> l.accept(invoice));
        return invoice;
    }

    public void onSettle(Consumer<Invoice> listener) {
        settleListeners.add(listener);
    }

    /** Settled invoices with a settle index above {@code after}, in order. */
    public List<Invoice> settledAfter(long after) {
        List<Invoice> out = new ArrayList<>();
        invoices.values().stream().filter(i -> i.settled() && i.settleIndex > after)
                .sorted((a, b) -> Long.compare(a.settleIndex, b.settleIndex)).forEach(out::add);
        return out;
    }

    /** Pays an invoice of any simulated node; returns the preimage, or throws with a reason. */
    public Preimage pay(String bolt11) {
        Bolt11Invoice decoded;
        try {
            decoded = Bolt11Decoder.decode(bolt11);
        } catch (InvoiceFormatException e) {
            throw new IllegalArgumentException("invalid invoice: " + e.getMessage());
        }
        SimulatedNode payee = NETWORK.get(decoded.paymentHash());
        if (payee == null) {
            throw new IllegalStateException("no route to the payee");
        }
        Invoice invoice = payee.invoices.get(decoded.paymentHash());
        if (payee.expired(invoice)) {
            throw new IllegalStateException("invoice expired");
        }
        payee.settle(invoice.hash);
        return invoice.preimage;
    }
}
