package org.chroma402.client;

import java.time.Instant;

/**
 * What buying one colorization would cost, asked without paying: the server's invoice and its
 * amount, checked as before a payment. {@code alreadyPaid} means a receipt of an earlier payment
 * covers the request, so buying it costs nothing (the invoice fields are then null).
 */
public record PriceQuote(long amountSat, String invoice, String paymentHash, Instant invoiceExpiresAt,
        boolean alreadyPaid) {
}
