package org.chroma402.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.chroma402.colorize.image.ImageDecoder;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.image.RgbImage;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.lightning.PayOptions;
import org.chroma402.lightning.PaymentBackend;
import org.chroma402.lightning.PaymentResult;
import org.chroma402.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real server on loopback, paying through the server's development wallet. */
class Chroma402ClientTest {
    private static final byte[] PHOTO = TestResources.bytes("fixtures/inputs/buffalo.png");
    private static final ClientOptions FAST = new ClientOptions(10, Duration.ofSeconds(60), 3,
            new PayOptions(Duration.ofSeconds(10), 0));

    @TempDir
    Path dir;
    private TestServer server;
    private CountingWallet wallet;

    /** The development wallet, counting payments, so tests can tell what was paid. */
    static final class CountingWallet implements PaymentBackend {
        final PaymentBackend inner;
        final AtomicInteger payments = new AtomicInteger();

        CountingWallet(PaymentBackend inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public PaymentResult pay(String bolt11, PayOptions options) {
            PaymentResult result = inner.pay(bolt11, options);
            payments.incrementAndGet();
            return result;
        }
    }

    @BeforeEach
    void start() {
        server = new TestServer(dir.resolve("server"));
        wallet = new CountingWallet(new DevWallet(server.base));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Chroma402Client client(java.net.URI url, Receipts receipts) {
        return new Chroma402Client(url, wallet, FAST, receipts, Clock.systemUTC());
    }

    @Test
    void paysAndGetsTheColorizedPhoto() throws Exception {
        Colorization result = client(server.base, Receipts.inMemory()).colorize(PHOTO, "large", Budget.unlimited());
        assertThat(result.paidSat()).isEqualTo(5);
        assertThat(result.contentType()).isEqualTo("image/png");
        assertThat(result.width()).isEqualTo(120);
        RgbImage image = new ImageDecoder(ImageLimits.DEFAULTS).decode(result.image());
        assertThat(image.width()).isEqualTo(120);
        assertThat(image.height()).isEqualTo(90);
        assertThat(wallet.payments).hasValue(1);
    }

    @Test
    void aPriceAboveTheLimitIsNotPaid() {
        Chroma402Client stingy = new Chroma402Client(server.base, wallet, FAST.withMaxPriceSat(4), Receipts.inMemory(),
                Clock.systemUTC());
        assertThatThrownBy(() -> stingy.colorize(PHOTO, "large", Budget.unlimited()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.isOverMaxPrice()).isTrue())
                .hasMessageContaining("5 sats").hasMessageContaining("limit of 4");
        assertThat(wallet.payments).hasValue(0);
    }

    @Test
    void badInputGetsTheServersErrorAndCostsNothing() {
        Chroma402Client client = client(server.base, Receipts.inMemory());
        assertThatThrownBy(() -> client.colorize("not an image at all".getBytes(), "large", Budget.unlimited()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isPresent();
                    assertThat(e.isBadInput()).isTrue();
                    assertThat(e.paidCredential()).isEmpty();
                });
        assertThatThrownBy(() -> client.colorize(PHOTO, "huge", Budget.unlimited()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(wallet.payments).hasValue(0);
    }

    @Test
    void aFailedRedeemIsRetriedWithTheSameCredential() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(server.base)) {
            proxy.failPaidRequests.set(2);
            Colorization result = client(proxy.url(), Receipts.inMemory()).colorize(PHOTO, "large", Budget.unlimited());
            assertThat(result.paidSat()).isEqualTo(5);
            assertThat(proxy.paidRequestsSeen).hasValue(3);
            assertThat(wallet.payments).hasValue(1);
        }
    }

    @Test
    void aPaymentThatCouldNotBeRedeemedIsRedeemedOnTheNextRunWithoutPayingAgain() throws Exception {
        Path receiptsFile = dir.resolve("receipts.jsonl");
        try (FlakyProxy proxy = new FlakyProxy(server.base)) {
            proxy.failPaidRequests.set(100);
            assertThatThrownBy(() -> client(proxy.url(), Receipts.open(receiptsFile)).colorize(PHOTO, "large",
                    Budget.unlimited())).isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.paidCredential()).hasValueSatisfying(c -> assertThat(c).startsWith("L402 "));
                        assertThat(e.getMessage()).contains("run the same command again");
                    });
            assertThat(wallet.payments).hasValue(1);
            assertThat(Files.getPosixFilePermissions(receiptsFile)).hasSize(2);

            proxy.failPaidRequests.set(0);
            Colorization result = client(proxy.url(), Receipts.open(receiptsFile)).colorize(PHOTO, "large",
                    Budget.unlimited());
            assertThat(result.paidSat()).isZero();
            assertThat(wallet.payments).as("paid once in all").hasValue(1);
            assertThat(Receipts.open(receiptsFile).isRedeemed(proxy.url().toString(), Chroma402Client.sha256(
                    Chroma402Client.requestBody(PHOTO, "large")))).as("redeemed receipts are kept for replays").isTrue();
        }
    }

    @Test
    void aPhotoBoughtBeforeIsReplayedForFreeEvenAfterItsResultWasSaved() {
        Path receiptsFile = dir.resolve("receipts.jsonl");
        Colorization bought = client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "large", Budget.unlimited());
        assertThat(bought.paidSat()).isEqualTo(5);

        Budget budget = Budget.of(0);
        Colorization sameRun = client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "large", budget);
        assertThat(sameRun.paidSat()).isZero();
        assertThat(sameRun.image()).isEqualTo(bought.image());
        assertThat(budget.spentSat()).as("a replay spends nothing").isZero();
        assertThat(wallet.payments).as("paid once in all").hasValue(1);

        Colorization otherModel = client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "tiny", Budget.unlimited());
        assertThat(otherModel.paidSat()).as("another model is another request").isPositive();
        assertThat(wallet.payments).hasValue(2);
    }

    @Test
    void theSamePhotoTwiceAtOnceIsBoughtOnce() throws Exception {
        Chroma402Client client = client(server.base, Receipts.inMemory());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> client.colorize(PHOTO, "large", Budget.unlimited()));
            var b = pool.submit(() -> client.colorize(PHOTO, "large", Budget.unlimited()));
            assertThat(a.get().paidSat() + b.get().paidSat()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(wallet.payments).hasValue(1);
    }

    @Test
    void aCredentialWhoseResultExpiredIsForgottenAndThePhotoBoughtAgain() throws Exception {
        Path receiptsFile = dir.resolve("receipts.jsonl");
        client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "large", Budget.unlimited());
        server.clock.advance(Duration.ofHours(25));

        Colorization again = client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "large", Budget.unlimited());
        assertThat(again.paidSat()).as("the server no longer replays it: paid again").isEqualTo(5);
        assertThat(wallet.payments).hasValue(2);
        assertThat(Files.readString(receiptsFile)).contains("\"stale\":true");
        assertThat(Receipts.open(receiptsFile).find(server.base.toString(), Chroma402Client.sha256(
                Chroma402Client.requestBody(PHOTO, "large")))).as("the new payment's receipt").isPresent();
    }

    @Test
    void aCredentialRefusedForAWrongPreimageIsNeverPaidAgain() throws Exception {
        Path receiptsFile = dir.resolve("receipts.jsonl");
        client(server.base, Receipts.open(receiptsFile)).colorize(PHOTO, "large", Budget.unlimited());
        Receipts.Receipt paid = Receipts.open(receiptsFile).find(server.base.toString(), Chroma402Client.sha256(
                Chroma402Client.requestBody(PHOTO, "large"))).orElseThrow();
        Receipts damaged = Receipts.inMemory();
        String macaroon = paid.credential().substring(0, paid.credential().lastIndexOf(':'));
        damaged.paid(new Receipts.Receipt(paid.server(), paid.requestSha256(), macaroon + ":" + "00".repeat(32),
                paid.amountSat(), paid.paidAt()));

        assertThatThrownBy(() -> client(server.base, damaged).colorize(PHOTO, "large", Budget.unlimited()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.errorCode()).hasValue("wrong_preimage"));
        assertThat(wallet.payments).as("the payment was made: not paid again").hasValue(1);
        assertThat(damaged.find(paid.server(), paid.requestSha256())).isPresent();
    }

    @Test
    void aServerThatIsNotThereIsAClearError() {
        Chroma402Client client = client(java.net.URI.create("http://127.0.0.1:9"), Receipts.inMemory());
        assertThatThrownBy(() -> client.colorize(PHOTO, "large", Budget.unlimited()))
                .isInstanceOf(ClientException.class).hasMessageContaining("cannot reach");
    }
}
