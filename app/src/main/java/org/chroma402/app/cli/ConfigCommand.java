package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.ServeConfig;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** {@code chroma402 config}: the settings Chroma402 knows, and a check of the configuration given. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Show and check settings.",
        subcommands = {ConfigCommand.Known.class, ConfigCommand.Check.class})
public final class ConfigCommand {

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Every setting with its default and meaning, as a Markdown table (the README's).")
    static final class Known implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(SettingRegistry.markdownTable());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration (file, environment, flags) and print what is set, secrets redacted.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            Settings settings = options.settings();
            ServeConfig.from(settings, Chroma402Config.from(settings));
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, String> e : settings.asMap().entrySet()) {
                out.println(e.getKey() + " = " + (SettingRegistry.isSecret(e.getKey()) ? "<redacted>" : e.getValue()));
            }
            out.println("configuration is valid");
            return ExitCodes.OK;
        }
    }
}
