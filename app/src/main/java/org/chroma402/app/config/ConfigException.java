package org.chroma402.app.config;

/** A configuration value that is missing, unknown or malformed; the message names the setting. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
