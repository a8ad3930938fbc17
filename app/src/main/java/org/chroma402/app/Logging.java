package org.chroma402.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.List;
import java.util.Locale;
import org.chroma402.app.config.ConfigException;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code logging.level} and {@code logging.format} to logback, once the settings are read. */
public final class Logging {
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private Logging() {
    }

    public static void apply(Settings settings) {
        String level = settings.string(SettingRegistry.LOGGING_LEVEL).toLowerCase(Locale.ROOT);
        String format = settings.string(SettingRegistry.LOGGING_FORMAT).toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("logging.level must be one of " + String.join(", ", LEVELS) + ", got '" + level
                    + "' (" + settings.sourceOf("logging.level") + ")");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException("logging.format must be text or json, got '" + format + "' ("
                    + settings.sourceOf("logging.format") + ")");
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.getLogger("org.chroma402").setLevel(Level.toLevel(level));
        if (format.equals("json")) {
            Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
            if (appender instanceof OutputStreamAppender<ILoggingEvent> stream && !(stream.getEncoder() instanceof JsonEncoder)) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.start();
                stream.stop();
                stream.setEncoder(json);
                stream.start();
            }
        }
    }
}
