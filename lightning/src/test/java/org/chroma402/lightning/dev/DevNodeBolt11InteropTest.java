package org.chroma402.lightning.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chroma402.l402.testing.NodeScripts;
import org.chroma402.lightning.CreatedInvoice;
import org.chroma402.lightning.InvoiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development node's invoices read by the bolt11 package from npm (bitcoinjs), signature included. */
class DevNodeBolt11InteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNode() {
        NodeScripts.requireInstalled();
    }

    @Test
    void bitcoinjsBolt11ReadsOurInvoices() throws Exception {
        DevNodeBackend node = new DevNodeBackend(dir, Clock.systemUTC(), new SecureRandom());
        List<CreatedInvoice> invoices = new ArrayList<>();
        long[] amounts = {1_000, 5_000, 21_000_000, 123_456};
        for (long amount : amounts) {
            invoices.add(node.createInvoice(InvoiceRequest.withMemo(amount, "Chroma402: colorize one photo (large)",
                    Duration.ofMinutes(10))));
        }
        ObjectMapper json = new ObjectMapper();
        String input = json.writeValueAsString(invoices.stream().map(CreatedInvoice::bolt11).toList());
        JsonNode out = json.readTree(NodeScripts.run("bolt11.mjs", input));
        for (int i = 0; i < invoices.size(); i++) {
            JsonNode d = out.get(i);
            assertThat(d.get("complete").asBoolean()).isTrue();
            assertThat(d.get("payee").asText()).as("payee recovered from the signature").isEqualTo(node.nodeId());
            assertThat(d.get("millisatoshis").asLong()).isEqualTo(amounts[i]);
            assertThat(d.get("payment_hash").asText()).isEqualTo(invoices.get(i).paymentHash().hex());
            assertThat(d.get("expire_time").asLong()).isEqualTo(600);
            assertThat(d.get("description").asText()).isEqualTo("Chroma402: colorize one photo (large)");
        }
    }
}
