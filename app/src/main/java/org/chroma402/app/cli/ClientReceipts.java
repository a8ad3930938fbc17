package org.chroma402.app.cli;

import java.nio.file.Path;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;

/**
 * Where the paying client keeps its receipts: in the configured data directory when one is given,
 * else in the user's own {@code ~/.chroma402/}. The default data directory ({@code ./data}) is
 * relative to the working directory, so a run from another folder found no receipts and paid again
 * for photos it had bought; a buyer's receipts belong to the user, wherever they run it.
 */
final class ClientReceipts {
    static final String FILE = "client-receipts.jsonl";

    private ClientReceipts() {
    }

    static Path file(Settings settings) {
        if (!"default".equals(settings.sourceOf(SettingRegistry.DATA_DIR.key()))) {
            return Chroma402Config.from(settings).dataDir().resolve(FILE);
        }
        return Path.of(System.getProperty("user.home"), ".chroma402", FILE);
    }
}
