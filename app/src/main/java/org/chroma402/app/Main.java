package org.chroma402.app;

import org.chroma402.app.cli.BenchCommand;
import org.chroma402.app.cli.ColorizeCommand;
import org.chroma402.app.cli.ConfigCommand;
import org.chroma402.app.cli.ExitCodes;
import org.chroma402.app.cli.InvoiceCommand;
import org.chroma402.app.cli.McpCommand;
import org.chroma402.app.cli.KeysCommand;
import org.chroma402.app.cli.ModelsCommand;
import org.chroma402.app.cli.PayCommand;
import org.chroma402.app.cli.ServeCommand;
import org.chroma402.app.cli.TokenCommand;
import org.chroma402.app.cli.WorkerCommand;
import org.chroma402.app.config.ConfigException;
import org.chroma402.server.metrics.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code chroma402} command: every subcommand of the one executable jar. */
@Command(name = "chroma402", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Pay-per-image photo colorization (DDColor) over Lightning (L402).",
        subcommands = {ServeCommand.class, ColorizeCommand.class, PayCommand.class, ModelsCommand.class,
            KeysCommand.class, ConfigCommand.class, BenchCommand.class, TokenCommand.class, InvoiceCommand.class, McpCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

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
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException config) {
                if (config.problems().size() == 1) {
                    commandLine.getErr().println("error: configuration: " + e.getMessage());
                } else {
                    commandLine.getErr().println("error: configuration: " + config.problems().size() + " mistakes");
                    config.problems().forEach(p -> commandLine.getErr().println("  - " + p));
                }
                return ExitCodes.USAGE;
            }
            if (e instanceof InUseException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return ExitCodes.IN_USE;
            }
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    /** A mistyped option or command: what was wrong, the closest real one, and the usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            org.apache.commons.text.similarity.LevenshteinDistance distance =
                    new org.apache.commons.text.similarity.LevenshteinDistance(3);
            for (String given : unmatched.getUnmatched()) {
                String word = given.split("=", 2)[0];
                // Options for what looks like an option, commands for a word; values are left alone.
                java.util.Collection<String> known = word.startsWith("--")
                        ? cmd.getCommandSpec().optionsMap().keySet().stream().filter(k -> k.startsWith("--")).toList()
                        : word.startsWith("-") || !word.matches("[a-z][a-z-]+") ? java.util.List.of()
                        : cmd.getSubcommands().keySet();
                known.stream().filter(k -> distance.apply(word, k) >= 0)
                        .min(java.util.Comparator.comparingInt(k -> distance.apply(word, k)))
                        .ifPresent(best -> err.println("did you mean '" + best + "'?"));
            }
        }
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        return ExitCodes.USAGE;
    }

    /** Without a command there is nothing to do: say how to use it, on stderr, and exit 2 like any usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The version and commit from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.of(Main.class);
            return new String[] {"chroma402 " + build.version() + " (commit " + build.commit() + ")"};
        }
    }
}
