package org.chroma402.lightning;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.chroma402.l402.PaymentHash;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.Bolt11Invoice;
import org.chroma402.l402.bolt11.InvoiceFormatException;

/**
 * What every backend does with an invoice it is handed: decode it, check that it asks for the
 * requested amount and carries the payment hash the backend reported, and remember its expiry
 * (some wallet APIs do not report it on lookup). A backend that returns anything else is not
 * believed, so a client never gets a challenge it would overpay or could not redeem.
 */
public final class BackendInvoices {
    private static final int REMEMBERED = 100_000;

    private final String backend;
    private final Map<PaymentHash, Instant> expiries = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PaymentHash, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    public BackendInvoices(String backend) {
        this.backend = backend;
    }

    /** Checks a freshly created invoice against the request; returns it as a {@link CreatedInvoice}. */
    public CreatedInvoice accept(String bolt11, String reportedHashHex, InvoiceRequest request, long expectedMsat) {
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Decoder.decode(bolt11);
        } catch (InvoiceFormatException e) {
            throw new LightningException(backend + " returned an invalid invoice: " + e.getMessage());
        }
        if (invoice.amountMsat().isEmpty() || invoice.amountMsat().getAsLong() != expectedMsat) {
            throw new LightningException(backend + " returned an invoice for " + invoice.amountMsat()
                    + " msat instead of " + expectedMsat);
        }
        if (reportedHashHex != null && !invoice.paymentHash().hex().equalsIgnoreCase(reportedHashHex)) {
            throw new LightningException(backend + " reported a payment hash that is not the invoice's");
        }
        long expiry = invoice.expirySeconds();
        if (Math.abs(expiry - request.expiry().toSeconds()) > 1) {
            throw new LightningException(backend + " made an invoice that expires after " + expiry + " s instead of "
                    + request.expiry().toSeconds() + " s");
        }
        remember(invoice.paymentHash(), invoice.expiresAt());
        return new CreatedInvoice(invoice.encoded(), invoice.paymentHash(), invoice.expiresAt());
    }

    public synchronized void remember(PaymentHash hash, Instant expiresAt) {
        expiries.put(hash, expiresAt);
    }

    /** The expiry remembered for an invoice this process created, if any. */
    public synchronized Instant expiryOf(PaymentHash hash) {
        return expiries.get(hash);
    }

    /** Open or expired, for an unpaid invoice whose expiry is known. */
    public InvoiceState unpaid(PaymentHash hash, Instant expiresAt, Instant now) {
        Instant at = expiresAt != null ? expiresAt : expiryOf(hash);
        if (at != null && !now.isBefore(at)) {
            return new InvoiceState.Expired();
        }
        return new InvoiceState.Open(at == null ? now.plusSeconds(3600) : at);
    }
}
