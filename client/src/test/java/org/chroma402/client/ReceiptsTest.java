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
        receipts.done("http://s", "bb");

        Receipts reopened = Receipts.open(file);
        assertThat(reopened.find("http://s", "aa")).hasValueSatisfying(r -> assertThat(r.credential()).isEqualTo("L402 m:p"));
        assertThat(reopened.find("http://s", "bb")).isEmpty();
        assertThat(reopened.find("http://other", "aa")).isEmpty();
        assertThat(Files.getPosixFilePermissions(file)).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
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
