package org.chroma402.lightning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import org.chroma402.l402.Preimage;
import org.junit.jupiter.api.Test;

class InvoiceStateTest {

    @Test
    void paidNeedsTheMatchingPreimage() {
        Preimage preimage = Preimage.random(new SecureRandom());
        Preimage other = Preimage.random(new SecureRandom());
        assertThat(InvoiceState.paid(preimage.hash(), preimage, 1, Instant.EPOCH).isPaid()).isTrue();
        assertThatThrownBy(() -> InvoiceState.paid(preimage.hash(), other, 1, Instant.EPOCH))
                .isInstanceOf(LightningException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> InvoiceState.paid(preimage.hash(), null, 1, Instant.EPOCH))
                .isInstanceOf(LightningException.class).hasMessageContaining("without a preimage");
        assertThatThrownBy(() -> PaymentResult.verified(preimage.hash(), other, 0))
                .isInstanceOf(LightningException.class);
    }

    @Test
    void requestsAreValidated() {
        assertThatThrownBy(() -> InvoiceRequest.withMemo(0, "x", java.time.Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvoiceRequest(1, null, null, java.time.Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(InvoiceRequest.withMemo(1_001, "x", java.time.Duration.ofMinutes(1)).amountSatRoundedUp())
                .isEqualTo(2);
    }
}
