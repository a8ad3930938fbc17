package org.chroma402.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.chroma402.l402.L402FormatException;
import org.chroma402.l402.MacaroonIdentifier;
import org.chroma402.l402.macaroon.Macaroon;
import org.chroma402.l402.macaroon.MacaroonCaveat;
import org.chroma402.l402.macaroon.MacaroonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code chroma402 token decode}: what an L402 macaroon says. */
@Command(name = "token", description = "Inspect L402 tokens (macaroons).", subcommands = TokenCommand.Decode.class,
        mixinStandardHelpOptions = true)
public final class TokenCommand {

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Print a macaroon (base64, v2 binary) as JSON. Exit code 2 if it is malformed.")
    static final class Decode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "MACAROON", description = "The macaroon in base64 (standard or URL-safe).")
        String macaroon;

        @Override
        public Integer call() {
            Macaroon m;
            try {
                m = MacaroonCodec.decodeBase64(macaroon);
            } catch (L402FormatException e) {
                spec.commandLine().getErr().println("error: not a valid macaroon: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            ObjectNode out = Json.object();
            out.put("location", m.location());
            try {
                MacaroonIdentifier id = MacaroonIdentifier.decode(m.identifier());
                ObjectNode idNode = out.putObject("identifier");
                idNode.put("version", id.version());
                idNode.put("payment_hash", id.paymentHash().hex());
                idNode.put("token_id", id.tokenId().hex());
            } catch (L402FormatException e) {
                // Not an L402 identifier: show its bytes.
                out.put("identifier", HexFormat.of().formatHex(m.identifier()));
            }
            ArrayNode caveats = out.putArray("caveats");
            for (MacaroonCaveat caveat : m.caveats()) {
                if (caveat.isFirstParty()) {
                    caveats.add(caveat.idText());
                } else {
                    caveats.add("third-party caveat at " + caveat.location() + ": " + HexFormat.of().formatHex(caveat.id()));
                }
            }
            out.put("signature", HexFormat.of().formatHex(m.signature()));
            spec.commandLine().getOut().println(Json.pretty(out));
            return ExitCodes.OK;
        }
    }
}
