package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.chroma402.l402.bolt11.Bolt11Decoder;
import org.chroma402.l402.bolt11.InvoiceFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chroma402 pay}: pays an invoice of a server running the development backend, through
 * its development wallet, and prints the preimage, so the whole L402 flow runs from a shell.
 */
@Command(name = "pay", mixinStandardHelpOptions = true,
        description = "Pay an invoice of a Chroma402 server that runs the development Lightning backend; prints the preimage.")
public final class PayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BOLT11", description = "The invoice from the 402 response.")
    String invoice;

    @Option(names = "--server", description = "The server that issued the invoice (default: ${DEFAULT-VALUE}).")
    URI server = URI.create("http://127.0.0.1:8402");

    @Override
    public Integer call() throws Exception {
        try {
            Bolt11Decoder.decode(invoice);
        } catch (InvoiceFormatException e) {
            spec.commandLine().getErr().println("error: not a valid invoice: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        String body = Json.MAPPER.createObjectNode().put("invoice", invoice.strip()).toString();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/dev/pay")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("error: cannot reach " + server + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        JsonNode json = Json.MAPPER.readTree(response.body());
        if (response.statusCode() != 200) {
            spec.commandLine().getErr().println("error: " + json.path("error").asText(response.body()));
            return ExitCodes.FAILURE;
        }
        spec.commandLine().getOut().println(json.get("preimage").asText());
        return ExitCodes.OK;
    }
}
