package org.chroma402.app;

import org.chroma402.app.cli.BenchCommand;
import org.chroma402.app.cli.ColorizeCommand;
import org.chroma402.app.cli.ConfigCommand;
import org.chroma402.app.cli.ExitCodes;
import org.chroma402.app.cli.InvoiceCommand;
import org.chroma402.app.cli.KeysCommand;
import org.chroma402.app.cli.ModelsCommand;
import org.chroma402.app.cli.PayCommand;
import org.chroma402.app.cli.ServeCommand;
import org.chroma402.app.cli.TokenCommand;
import org.chroma402.app.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code chroma402} command: every subcommand of the one executable jar. */
@Command(name = "chroma402", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Pay-per-image photo colorization (DDColor) over Lightning (L402).",
        subcommands = {ServeCommand.class, ColorizeCommand.class, PayCommand.class, ModelsCommand.class,
            KeysCommand.class, ConfigCommand.class, BenchCommand.class, TokenCommand.class, InvoiceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code, for {@link #main}. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output streams (tests capture them); returns its exit code. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("error: configuration: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"chroma402 " + (v == null ? "development build" : v)};
        }
    }
}
