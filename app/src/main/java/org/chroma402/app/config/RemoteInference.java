package org.chroma402.app.config;

import static org.chroma402.app.config.SettingRegistry.ENGINE_REMOTE_MODEL;
import static org.chroma402.app.config.SettingRegistry.ENGINE_REMOTE_TIMEOUT;
import static org.chroma402.app.config.SettingRegistry.ENGINE_REMOTE_TOKEN;
import static org.chroma402.app.config.SettingRegistry.ENGINE_REMOTE_URLS;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the models run when not in this process: Open Inference Protocol servers (Triton or
 * {@code chroma402 worker}), each model under the servers' name for it. Empty {@code urls}: here.
 */
public record RemoteInference(List<URI> urls, Settings settings, String token, Duration timeout) {

    public static RemoteInference from(Settings s) {
        List<URI> urls = new ArrayList<>();
        for (String url : s.list(ENGINE_REMOTE_URLS)) {
            URI uri;
            try {
                uri = URI.create(url.strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("engine.remote.urls: '" + url + "' is not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException("engine.remote.urls: '" + url + "' must be an http:// or https:// URL");
            }
            urls.add(uri);
        }
        return new RemoteInference(List.copyOf(urls), s, s.get(ENGINE_REMOTE_TOKEN).orElse(null), s.duration(ENGINE_REMOTE_TIMEOUT));
    }

    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** The servers' name for one of our models. */
    public String remoteName(String model) {
        return settings.get(ENGINE_REMOTE_MODEL.forName(model)).orElse(model);
    }

    @Override
    public String toString() {
        return "RemoteInference[urls=" + urls + ", token=" + (token == null ? "none" : "redacted") + ", timeout=" + timeout + "]";
    }
}
