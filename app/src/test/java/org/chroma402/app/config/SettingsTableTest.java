package org.chroma402.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one registry of settings, and the README and readers that must agree with it. */
class SettingsTableTest {

    @Test
    void theReadmeConfigurationTableIsTheRegistry() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("| key | default | meaning |");
        int end = readme.indexOf("<!-- end of settings-table -->");
        assertThat(start).as("the README has the settings table").isPositive();
        assertThat(readme.substring(start, end))
                .as("README.md's table is out of date: replace it with the output of './chroma402 config settings'")
                .isEqualTo(SettingRegistry.markdownTable());
    }

    @Test
    void everyFixedDefaultParsesAsItsType() {
        for (Setting s : SettingRegistry.all()) {
            if (s.hasFixedDefault()) {
                Settings.check(s, s.key(), s.defaultValue());
            }
        }
    }

    @Test
    void defaultsComeFromTheRegistry() {
        Settings none = ConfigLoader.load(null, Map.of(), Map.of());
        ServeConfig serve = ServeConfig.from(none, Chroma402Config.from(none));
        assertThat(serve.server().listening().port()).isEqualTo(Integer.parseInt(SettingRegistry.SERVER_PORT.defaultValue()));
        assertThat(serve.server().tokens().invoiceExpiry().toMinutes()).isEqualTo(10);
        assertThat(serve.prices()).containsEntry("large", 5L).containsEntry("tiny", 5L);
        assertThat(Chroma402Config.from(none).jpegQuality()).isEqualTo(0.92f);
    }

    @Test
    void familiesMatchTheirMembersOnly() {
        assertThat(SettingRegistry.find("pricing.artistic")).contains(SettingRegistry.PRICING);
        assertThat(SettingRegistry.find("models.paper.sha256")).contains(SettingRegistry.MODEL_SHA256);
        assertThat(SettingRegistry.find("models.paper.colour")).isEmpty();
        assertThat(SettingRegistry.find("pricing.")).isEmpty();
    }

    @Test
    void badValuesAreRefusedAtLoadNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.port", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CHROMA402_TOKENS_INVOICE_EXPIRY", "soon"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tokens.invoice-expiry");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.prot", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'server.port'");
    }

    @Test
    void secretsAreMarkedAndNeverDisplayed() {
        assertThat(SettingRegistry.all().stream().filter(Setting::secret).map(Setting::key)).contains(
                "database.password", "lightning.lnd.macaroon", "lightning.cln.rune", "lightning.lnbits.invoice-key",
                "lightning.lnbits.admin-key", "lightning.phoenixd.password", "lightning.nwc.uri");
        assertThat(SettingRegistry.DATABASE_PASSWORD.display("hunter2")).isEqualTo("<redacted>");
        assertThat(SettingRegistry.markdownTable()).doesNotContain("hunter2");
    }
}
