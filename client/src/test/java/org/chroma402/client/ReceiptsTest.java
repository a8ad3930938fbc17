package org.chroma402.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptsTest {
    @TempDir
    Path dir;

    @Test
    void receiptsSurviveARestartAndADamagedLine() throws Exception {
        Path file = dir.resolve("receipts.jsonl");
        Receipts receipts = Receipts.open(file);
        receipts.paid(new Receipts.Receipt("http://s", "aa", "L402 m:p", 5, Instant.parse("2026-11-24T10:00:00Z")));
        Files.writeString(file, "{\"server\": \"http://s\", \"request_sha", StandardOpenOption.APPEND);
        Files.writeString(file, "\n", StandardOpenOption.APPEND);
        receipts.paid(new Receipts.Receipt("http://s", "bb", "L402 n:q", 3, Instant.parse("2026-11-24T10:01:00Z")));
        receipts.redeemed("http://s", "bb");

        Receipts reopened = Receipts.open(file);
        assertThat(reopened.find("http://s", "aa")).hasValueSatisfying(r -> assertThat(r.credential()).isEqualTo("L402 m:p"));
        assertThat(reopened.isRedeemed("http://s", "aa")).isFalse();
        assertThat(reopened.find("http://s", "bb")).as("a redeemed credential still replays its request")
                .hasValueSatisfying(r -> assertThat(r.credential()).isEqualTo("L402 n:q"));
        assertThat(reopened.isRedeemed("http://s", "bb")).isTrue();
        assertThat(reopened.find("http://other", "aa")).isEmpty();
        assertThat(Files.getPosixFilePermissions(file)).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aReceiptIsForgottenOnlyWhenTheServerRefusedItForGood() {
        Path file = dir.resolve("receipts.jsonl");
        Receipts receipts = Receipts.open(file);
        receipts.paid(new Receipts.Receipt("http://s", "aa", "L402 m:p", 5, Instant.parse("2026-11-24T10:00:00Z")));
        receipts.redeemed("http://s", "aa");
        receipts.forget("http://s", "aa");
        assertThat(receipts.find("http://s", "aa")).isEmpty();
        assertThat(Receipts.open(file).find("http://s", "aa")).isEmpty();

        receipts.paid(new Receipts.Receipt("http://s", "aa", "L402 n:q", 5, Instant.parse("2026-11-25T10:00:00Z")));
        Receipts reopened = Receipts.open(file);
        assertThat(reopened.find("http://s", "aa")).as("the new payment counts").hasValueSatisfying(
                r -> assertThat(r.credential()).isEqualTo("L402 n:q"));
        assertThat(reopened.isRedeemed("http://s", "aa")).as("a new payment is not redeemed yet").isFalse();
    }

    @Test
    void receiptsWrittenBeforeTheyWereKeptAfterTheirResultStillReplay() throws Exception {
        // The lines an earlier version wrote: paid, then done once the output was saved (it then forgot the credential).
        Path file = Files.writeString(dir.resolve("receipts.jsonl"), """
                {"server":"http://s","request_sha256":"aa","credential":"L402 m:p","amount_sat":5,"paid_at":"2026-11-24T10:00:00Z"}
                {"server":"http://s","request_sha256":"aa","done":true}
                """);
        Receipts receipts = Receipts.open(file);
        assertThat(receipts.find("http://s", "aa")).hasValueSatisfying(r -> assertThat(r.credential()).isEqualTo("L402 m:p"));
        assertThat(receipts.isRedeemed("http://s", "aa")).isTrue();
    }

    @Test
    void aPaymentAnotherProcessRecordedIsFoundWithoutReopening() throws Exception {
        Path file = dir.resolve("receipts.jsonl");
        Receipts mcpSession = Receipts.open(file);
        assertThat(mcpSession.find("http://s", "aa")).isEmpty();

        Receipts commandLine = Receipts.open(file);
        commandLine.paid(new Receipts.Receipt("http://s", "aa", "L402 m:p", 5, Instant.parse("2026-11-24T10:00:00Z")));
        // Half a line: another process is still writing it.
        Files.writeString(file, "{\"server\":\"http://s\",\"request_sha256\":\"aa\",\"sta", StandardOpenOption.APPEND);
        assertThat(mcpSession.find("http://s", "aa")).hasValueSatisfying(r -> assertThat(r.credential()).isEqualTo("L402 m:p"));

        Files.writeString(file, "le\":true}\n", StandardOpenOption.APPEND);
        assertThat(mcpSession.find("http://s", "aa")).as("once whole, the line counts").isEmpty();
    }

    @Test
    void aBudgetIsNeverOverspent() {
        Budget budget = Budget.of(10);
        assertThat(budget.tryReserve(5)).isTrue();
        assertThat(budget.tryReserve(6)).isFalse();
        assertThat(budget.tryReserve(5)).isTrue();
        assertThat(budget.tryReserve(1)).isFalse();
        budget.release(5);
        assertThat(budget.spentSat()).isEqualTo(5);
        assertThat(Budget.unlimited().tryReserve(Long.MAX_VALUE)).isTrue();
    }
}
