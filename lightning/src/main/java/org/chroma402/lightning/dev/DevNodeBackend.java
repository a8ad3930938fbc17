package org.chroma402.lightning.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.Preimage;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Encoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import org.chroma402.l402.bolt11.Network;
import org.chroma402.l402.bolt11.NodeKey;
import org.chroma402.l402.bolt11.UnsignedInvoice;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceBackend;
import org.chroma402.lightning.InvoiceNotFoundException;
import org.chroma402.lightning.InvoiceRequest;
import org.chroma402.lightning.InvoiceState;
import org.chroma402.lightning.LightningException;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.lightning.SettlementListener;
import org.chroma402.lightning.SettlementListeners;
import org.chroma402.lightning.SettlementStream;

/**
 * The embedded development node: everything real except that no money moves, like LNbits'
 * FakeWallet. It signs real regtest BOLT11 invoices with a persistent node key, keeps every
 * invoice on disk (so a paid invoice stays paid across restarts), enforces expiry, and pays its
 * own invoices (returning the preimage) while refusing anyone else's.
 *
 * <p>Layout of its directory: {@code node.key} (hex secret, owner-only) and
 * {@code invoices/<payment hash>.json}, each written atomically.
 */
public final class DevNodeBackend implements InvoiceBackend, PaymentBackend, SettlementStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** LND's default final CLTV delta. */
    private static final int MIN_FINAL_CLTV_EXPIRY = 80;

    private final Path invoicesDir;
    private final NodeKey nodeKey;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<PaymentHash, DevInvoice> cache = new ConcurrentHashMap<>();
    private final SettlementListeners listeners = SettlementListeners.inProcess();

    /** One invoice as stored on disk. */
    record DevInvoice(String paymentHash, String preimage, String bolt11, long amountMsat, long createdAt,
            long expiresAt, String state, Long settledAt) {
        DevInvoice paidAt(long when) {
            return new DevInvoice(paymentHash, preimage, bolt11, amountMsat, createdAt, expiresAt, "paid", when);
        }
    }

    public DevNodeBackend(Path directory, Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
        this.invoicesDir = directory.resolve("invoices");
        try {
            // Unpaid invoices' preimages are in here: owner only.
            OwnerOnly.createDirectories(directory);
            OwnerOnly.createDirectories(invoicesDir);
            this.nodeKey = loadOrCreateKey(directory.resolve("node.key"), random);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the development node in " + directory, e);
        }
    }

    private static NodeKey loadOrCreateKey(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return NodeKey.fromHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
        }
        NodeKey key = NodeKey.generate(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, HexFormat.of().formatHex(key.secret()) + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; the key is only a development key.
        }
        move(tmp, file);
        return key;
    }

    /** The node id invoices are signed with. */
    public String nodeId() {
        return nodeKey.publicKeyHex();
    }

    @Override
    public String name() {
        return "dev";
    }

    @Override
    public CreatedInvoice createInvoice(InvoiceRequest request) {
        Preimage preimage = Preimage.random(random);
        byte[] paymentSecret = new byte[32];
        random.nextBytes(paymentSecret);
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        UnsignedInvoice unsigned = new UnsignedInvoice(Network.REGTEST, OptionalLong.of(request.amountMsat()), now,
                preimage.hash(), paymentSecret, request.memo(), request.descriptionHash(),
                request.expiry().toSeconds(), MIN_FINAL_CLTV_EXPIRY, null);
        String bolt11 = Bolt11Encoder.encode(unsigned, nodeKey);
        Instant expiresAt = now.plus(request.expiry());
        DevInvoice invoice = new DevInvoice(preimage.hash().hex(), preimage.hex(), bolt11, request.amountMsat(),
                now.getEpochSecond(), expiresAt.getEpochSecond(), "open", null);
        store(invoice);
        return new CreatedInvoice(bolt11, preimage.hash(), expiresAt);
    }

    @Override
    public InvoiceState lookupInvoice(PaymentHash paymentHash) {
        DevInvoice invoice = load(paymentHash);
        return switch (invoice.state()) {
            case "paid" -> InvoiceState.paid(paymentHash, Preimage.fromHex(invoice.preimage()), invoice.amountMsat(),
                    Instant.ofEpochSecond(invoice.settledAt()));
            case "cancelled" -> new InvoiceState.Cancelled();
            default -> isExpired(invoice) ? new InvoiceState.Expired()
                    : new InvoiceState.Open(Instant.ofEpochSecond(invoice.expiresAt()));
        };
    }

    @Override
    public void checkHealth() {
        if (!Files.isDirectory(invoicesDir) || !Files.isWritable(invoicesDir)) {
            throw new LightningException("development node cannot write to " + invoicesDir);
        }
    }

    /**
     * Pays one of this node's own invoices and returns its preimage. Paying an already paid
     * invoice returns the same preimage again, so a retried click loses nothing.
     */
    @Override
    public PaymentResult pay(String bolt11, PayOptions options) {
        Bolt11Invoice decoded;
        try {
            decoded = Bolt11Decoder.decode(bolt11);
        } catch (InvoiceFormatException e) {
            throw new LightningException("not a valid invoice: " + e.getMessage());
        }
        byte[] payee = decoded.payeePubkey().orElseThrow();
        if (!java.util.Arrays.equals(payee, nodeKey.publicKey())) {
            throw new LightningException("the development node pays only its own invoices; this one is for node "
                    + HexFormat.of().formatHex(payee) + " (this node is " + nodeId() + ")");
        }
        PaymentHash paymentHash = decoded.paymentHash();
        DevInvoice settled;
        synchronized (this) {
            DevInvoice invoice;
            try {
                invoice = load(paymentHash);
            } catch (InvoiceNotFoundException e) {
                throw new LightningException("the development node has no record of this invoice");
            }
            if ("paid".equals(invoice.state())) {
                return new PaymentResult(Preimage.fromHex(invoice.preimage()), 0);
            }
            if ("cancelled".equals(invoice.state())) {
                throw new LightningException("invoice was cancelled");
            }
            if (isExpired(invoice)) {
                throw new LightningException("invoice expired at " + Instant.ofEpochSecond(invoice.expiresAt()));
            }
            settled = invoice.paidAt(clock.instant().getEpochSecond());
            store(settled);
        }
        Preimage preimage = Preimage.fromHex(settled.preimage());
        InvoiceState.Paid paid = (InvoiceState.Paid) lookupInvoice(paymentHash);
        listeners.settled(paymentHash, paid);
        return PaymentResult.verified(paymentHash, preimage, 0);
    }

    @Override
    public AutoCloseable subscribe(SettlementListener listener) {
        return listeners.add(listener);
    }

    private boolean isExpired(DevInvoice invoice) {
        return clock.instant().getEpochSecond() >= invoice.expiresAt();
    }

    private DevInvoice load(PaymentHash paymentHash) {
        DevInvoice cached = cache.get(paymentHash);
        if (cached != null) {
            return cached;
        }
        Path file = invoicesDir.resolve(paymentHash.hex() + ".json");
        if (!Files.exists(file)) {
            throw new InvoiceNotFoundException(paymentHash);
        }
        try {
            DevInvoice invoice = JSON.readValue(file.toFile(), DevInvoice.class);
            cache.put(paymentHash, invoice);
            return invoice;
        } catch (IOException e) {
            throw new LightningException("development node cannot read invoice " + paymentHash.hex(), e);
        }
    }

    private void store(DevInvoice invoice) {
        Path file = invoicesDir.resolve(invoice.paymentHash() + ".json");
        Path tmp = invoicesDir.resolve(invoice.paymentHash() + ".json.tmp");
        try {
            OwnerOnly.write(tmp, JSON.writeValueAsBytes(invoice));
            move(tmp, file);
        } catch (IOException e) {
            throw new LightningException("development node cannot write invoice " + invoice.paymentHash(), e);
        }
        cache.put(PaymentHash.fromHex(invoice.paymentHash()), invoice);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
