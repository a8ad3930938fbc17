package org.chroma402.server.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.chroma402.l402.PaymentHash;

/**
 * How much paid work each payer has outstanding in this process, and how much in all, so a
 * challenge is refused <em>before</em> its invoice when more could not be served soon: a paid
 * request is never refused for load, so the only place to bound paid work is the 402.
 *
 * <p>A payer is the client address that asked for the invoice (the key the rate limit uses); a
 * job counts against that address even when its credential is redeemed from another one. What a
 * payer has outstanding: its paid jobs waiting or running here, and the invoices it was given that
 * are neither redeemed nor expired (one per request: asking again for the same request replaces
 * the older invoice). Without the invoices, a payer could take twenty invoices at once, pay them
 * all, and queue twenty jobs. The total counts only paid jobs, so strangers who never pay cannot
 * fill it.
 *
 * <p>Limits: counts are this process's; replicas each keep their own. A credential redeemed after
 * its invoice expired is counted against the address that redeems it.
 */
public final class PaidBacklog {
    /** How long an invoice being made holds its place before it is confirmed or cancelled. */
    private static final Duration ISSUING = Duration.ofMinutes(1);

    private final Clock clock;
    private final int perPayer;
    private final int total;
    private final Map<String, Payer> payers = new HashMap<>();
    private final Map<PaymentHash, Pending> byHash = new HashMap<>();
    private int jobs;
    private long calls;

    /**
     * @param perPayer paid jobs plus unredeemed invoices one client address may have outstanding
     * @param total paid jobs waiting or running in this process before new invoices are refused
     */
    public PaidBacklog(Clock clock, int perPayer, int total) {
        if (perPayer < 1 || total < 1) {
            throw new IllegalArgumentException("jobs.max-per-address and jobs.max-queued must be at least 1");
        }
        this.clock = clock;
        this.perPayer = perPayer;
        this.total = total;
    }

    /** What {@link #reserve} gave: a place for one invoice, or why there is none. */
    public sealed interface Admission permits Reservation, Refusal {
    }

    /** Why no invoice now, and in how many seconds asking again is likely to succeed. */
    public record Refusal(ChallengeResult.Cause cause, long retryAfterSeconds, String detail) implements Admission {
    }

    /** A place taken for one invoice: {@link #confirm} it once the invoice exists, else {@link #cancel} it. */
    public static final class Reservation implements Admission {
        private final String payer;
        private final String requestDigest;

        private Reservation(String payer, String requestDigest) {
            this.payer = payer;
            this.requestDigest = requestDigest;
        }
    }

    private static final class Pending {
        final Reservation reservation;
        final String payer;
        PaymentHash hash;
        Instant expiresAt;

        Pending(Reservation reservation, Instant expiresAt) {
            this.reservation = reservation;
            this.payer = reservation.payer;
            this.expiresAt = expiresAt;
        }
    }

    private static final class Payer {
        final Map<String, Pending> pending = new HashMap<>();
        int jobs;
    }

    /** Takes a place for one more invoice to {@code payer}, or says why there is none. */
    public synchronized Admission reserve(String payer, String requestDigest) {
        if (++calls % 1024 == 0) {
            prune();
        }
        Instant now = clock.instant();
        Payer p = payers.computeIfAbsent(payer, k -> new Payer());
        expire(p, now);
        boolean again = p.pending.containsKey(requestDigest);
        int outstanding = p.jobs + p.pending.size() - (again ? 1 : 0);
        if (outstanding >= perPayer) {
            long wait = p.jobs > 0 ? 5 : p.pending.values().stream().map(x -> x.expiresAt).min(Instant::compareTo)
                    .map(t -> Math.max(1, Duration.between(now, t).toSeconds() + 1)).orElse(5L);
            dropIfIdle(payer, p);
            return new Refusal(ChallengeResult.Cause.PAYER_BACKLOG, Math.min(wait, 600),
                    "this address has " + p.jobs + " paid job(s) and " + p.pending.size()
                            + " unredeemed invoice(s) outstanding; at most " + perPayer);
        }
        if (jobs >= total) {
            dropIfIdle(payer, p);
            return new Refusal(ChallengeResult.Cause.QUEUE_FULL, 5,
                    jobs + " paid jobs are waiting or running; at most " + total);
        }
        Reservation reservation = new Reservation(payer, requestDigest);
        Pending replaced = p.pending.put(requestDigest, new Pending(reservation, now.plus(ISSUING)));
        if (replaced != null && replaced.hash != null) {
            byHash.remove(replaced.hash);
        }
        return reservation;
    }

    /** The invoice was made: its place is held until it is redeemed or {@code invoiceExpiresAt}. */
    public synchronized void confirm(Reservation reservation, PaymentHash paymentHash, Instant invoiceExpiresAt) {
        Payer p = payers.get(reservation.payer);
        Pending pending = p == null ? null : p.pending.get(reservation.requestDigest);
        if (pending == null || pending.reservation != reservation) {
            return;
        }
        pending.hash = paymentHash;
        pending.expiresAt = invoiceExpiresAt;
        byHash.put(paymentHash, pending);
    }

    /** No invoice was made after all (refused later, or it failed): the place is given back. */
    public synchronized void cancel(Reservation reservation) {
        Payer p = payers.get(reservation.payer);
        if (p == null) {
            return;
        }
        Pending pending = p.pending.get(reservation.requestDigest);
        if (pending != null && pending.reservation == reservation) {
            p.pending.remove(reservation.requestDigest);
        }
        dropIfIdle(reservation.payer, p);
    }

    /**
     * A paid job starts waiting here: it counts against the payer its invoice was issued to (or
     * {@code redeemedFrom} when that is unknown) until {@link #jobEnded}.
     *
     * @return the payer the job counts against
     */
    public synchronized String jobStarted(PaymentHash paymentHash, String redeemedFrom) {
        Pending pending = byHash.remove(paymentHash);
        String payer = redeemedFrom;
        if (pending != null) {
            payer = pending.payer;
            Payer p = payers.get(payer);
            if (p != null) {
                p.pending.values().removeIf(x -> x == pending);
            }
        }
        payers.computeIfAbsent(payer, k -> new Payer()).jobs++;
        jobs++;
        return payer;
    }

    /** A job counted by {@link #jobStarted} ended (done, failed, or handed back). */
    public synchronized void jobEnded(String payer) {
        Payer p = payers.get(payer);
        if (p != null && p.jobs > 0) {
            p.jobs--;
            dropIfIdle(payer, p);
        }
        jobs = Math.max(0, jobs - 1);
    }

    /** Paid jobs waiting or running in this process. */
    public synchronized int jobs() {
        return jobs;
    }

    /** What one payer has outstanding now: paid jobs and unredeemed invoices. */
    public synchronized int outstanding(String payer) {
        Payer p = payers.get(payer);
        if (p == null) {
            return 0;
        }
        expire(p, clock.instant());
        return p.jobs + p.pending.size();
    }

    /** Forgets invoices that expired unredeemed, for every payer; run now and then. */
    public synchronized void prune() {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Payer>> it = payers.entrySet().iterator();
        while (it.hasNext()) {
            Payer p = it.next().getValue();
            expire(p, now);
            if (p.jobs == 0 && p.pending.isEmpty()) {
                it.remove();
            }
        }
    }

    private void expire(Payer p, Instant now) {
        p.pending.values().removeIf(x -> {
            boolean expired = !x.expiresAt.isAfter(now);
            if (expired && x.hash != null) {
                byHash.remove(x.hash);
            }
            return expired;
        });
    }

    private void dropIfIdle(String payer, Payer p) {
        if (p.jobs == 0 && p.pending.isEmpty()) {
            payers.remove(payer);
        }
    }
}
