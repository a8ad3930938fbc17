package org.chroma402.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.ServeConfig;
import org.chroma402.app.config.Setting;
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
            description = "Validate the configuration (file, environment, flags) and print every setting's effective "
                    + "value and where it came from, secrets redacted.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            Settings settings = options.settings();
            ServeConfig serve = ServeConfig.from(settings, Chroma402Config.from(settings));
            PrintWriter out = spec.commandLine().getOut();
            java.util.Set<String> shown = new java.util.HashSet<>();
            for (Setting setting : SettingRegistry.all()) {
                if (setting == SettingRegistry.PRICING) {
                    // A family has no value of its own, but the models on sale do, configured or not.
                    for (Map.Entry<String, Long> price : serve.prices().entrySet()) {
                        String key = "pricing." + price.getKey();
                        shown.add(key);
                        print(out, key, setting, price.getValue().toString(), settings.sourceOf(key));
                    }
                }
                if (setting.isFamily()) {
                    continue;
                }
                shown.add(setting.key());
                print(out, setting.key(), setting, settings.get(setting).orElse(setting.defaultValue()),
                        settings.sourceOf(setting.key()));
            }
            for (Map.Entry<String, String> e : settings.asMap().entrySet()) {
                if (!shown.contains(e.getKey())) {
                    print(out, e.getKey(), SettingRegistry.find(e.getKey()).orElseThrow(), e.getValue(),
                            settings.sourceOf(e.getKey()));
                }
            }
            // The warnings (an unknown CHROMA402_* variable) were logged when the settings were read: once is enough.
            out.println("configuration is valid");
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, String key, Setting setting, String value, String source) {
            out.printf(java.util.Locale.ROOT, "%-32s = %-40s (%s)%n", key, value == null ? "" : setting.display(value), source);
        }
    }
}
