package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.chroma402.app.Assembly;
import org.chroma402.server.gate.RootKeyStore;
import org.chroma402.server.persistence.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code chroma402 keys}: the L402 root keys (list, rotate, retire). Secrets are never printed. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the L402 root keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Retire.class})
public final class KeysCommand {

    static Database open(ConfigOptions options) {
        return Assembly.database(options.settings());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the keys and which are active.")
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (Database db = open(options)) {
                RootKeyStore keys = Assembly.rootKeys(db);
                PrintWriter out = spec.commandLine().getOut();
                String current = keys.list().isEmpty() ? null : keys.currentKeyId();
                for (RootKeyStore.KeyInfo k : keys.list()) {
                    out.println(k.id() + "  created " + k.createdAt() + "  "
                            + (k.active() ? (k.id().equals(current) ? "active, current" : "active") : "retired " + k.retiredAt()));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new key for new tokens; tokens of older keys keep working until those are retired.")
    static final class Rotate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try (Database db = open(options)) {
                String id = Assembly.rootKeys(db).rotate();
                spec.commandLine().getOut().println("new current key " + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Retire a key: every token minted under it stops working (revocation).")
    static final class Retire implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            try (Database db = open(options)) {
                boolean retired = Assembly.rootKeys(db).retire(keyId);
                spec.commandLine().getOut().println(retired ? "retired " + keyId : "no active key " + keyId);
                return retired ? ExitCodes.OK : ExitCodes.USAGE;
            }
        }
    }
}
