package org.chroma402.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each value comes from, and errors that say so. */
class ConfigSourcesTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("chroma402.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void everyValueKnowsItsSource() throws Exception {
        Path file = yaml("server:\n  host: 0.0.0.0\n  port: 9000\npricing:\n  large: 21\n");
        Settings s = ConfigLoader.load(file, Map.of("CHROMA402_SERVER_PORT", "9100"), Map.of("tokens.redeem-window", "2h"));
        assertThat(s.sourceOf("server.host")).isEqualTo(file + ":2");
        assertThat(s.sourceOf("pricing.large")).isEqualTo(file + ":5");
        assertThat(s.sourceOf("server.port")).isEqualTo("environment variable CHROMA402_SERVER_PORT");
        assertThat(s.sourceOf("tokens.redeem-window")).isEqualTo("flag for tokens.redeem-window");
        assertThat(s.sourceOf("results.retention")).isEqualTo("default");
        assertThat(s.integer(SettingRegistry.SERVER_PORT)).isEqualTo(9100);
    }

    @Test
    void fleetSettingsAreReadAndCheckedTogether() throws Exception {
        Path file = yaml("""
                engine:
                  remote:
                    urls: http://gpu-1:8000, http://gpu-2:8000
                    model:
                      large: ddcolor_large_fp16
                results:
                  store: s3
                  delivery: redirect
                  s3:
                    bucket: photos
                    path-style: true
                """);
        Settings s = ConfigLoader.load(file, Map.of("CHROMA402_RESULTS_S3_SECRET_KEY", "hunter2",
                "CHROMA402_RESULTS_S3_ACCESS_KEY", "ak"), Map.of());
        RemoteInference remote = RemoteInference.from(s);
        assertThat(remote.urls()).extracting(java.net.URI::toString).containsExactly("http://gpu-1:8000", "http://gpu-2:8000");
        assertThat(remote.remoteName("large")).isEqualTo("ddcolor_large_fp16");
        assertThat(remote.remoteName("tiny")).as("the same name by default").isEqualTo("tiny");
        ServeConfig serve = ServeConfig.from(s, Chroma402Config.from(s));
        assertThat(serve.s3().bucket()).isEqualTo("photos");
        assertThat(serve.s3().pathStyle()).isTrue();
        assertThat(serve.s3().toString()).doesNotContain("hunter2");
        assertThat(serve.server().results().delivery()).isEqualTo(org.chroma402.server.config.ServerConfig.ResultPolicy.Delivery.REDIRECT);
        assertThatThrownBy(() -> RemoteInference.from(ConfigLoader.load(null, Map.of(), Map.of("engine.remote.urls", "gpu-1:8000"))))
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> ServeConfig.from(ConfigLoader.load(null, Map.of(), Map.of("results.store", "s3")),
                Chroma402Config.from(ConfigLoader.load(null, Map.of(), Map.of())))).hasMessageContaining("results.s3.bucket");
    }

    @Test
    void errorsNameTheVariableOrTheFileLine() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CHROMA402_SERVER_PORT", "abc"), Map.of()))
                .hasMessageContaining("server.port").hasMessageContaining("CHROMA402_SERVER_PORT");
        Path file = yaml("server:\n  port: eighty\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessageContaining(file + ":2");
    }

    @Test
    void aBadValueInTheFileIsReportedEvenWhenAFlagOverridesIt() throws Exception {
        Path file = yaml("server:\n  port: eighty\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of("server.port", "8402")))
                .hasMessageContaining(file + ":2");
    }

    @Test
    void unknownVariablesAreWarnedAboutWithASuggestion() {
        Settings s = ConfigLoader.load(null, Map.of("CHROMA402_SERVER_PROT", "1", "HOME", "/root"), Map.of());
        assertThat(s.warnings()).singleElement().asString().contains("CHROMA402_SERVER_PROT")
                .contains("did you mean CHROMA402_SERVER_PORT");
    }

    @Test
    void fileVariantsReadSecretsFromFiles() throws Exception {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cret\n");
        Settings s = ConfigLoader.load(null, Map.of("CHROMA402_DATABASE_PASSWORD_FILE", secret.toString()), Map.of());
        assertThat(s.get(SettingRegistry.DATABASE_PASSWORD)).contains("s3cret");
        assertThat(s.sourceOf("database.password")).contains("CHROMA402_DATABASE_PASSWORD_FILE");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CHROMA402_DATABASE_PASSWORD_FILE",
                dir.resolve("missing").toString()), Map.of())).hasMessageContaining("CHROMA402_DATABASE_PASSWORD_FILE");
        // A setting whose own name ends in _FILE is that setting, not a file to read.
        Settings model = ConfigLoader.load(null, Map.of("CHROMA402_MODELS_LARGE_FILE", "big.onnx"), Map.of());
        assertThat(model.get(SettingRegistry.MODEL_FILE.forName("large"))).contains("big.onnx");
    }

    /** pricing.<model> for a model beyond large and tiny offers it (it was read as no model at all). */
    @Test
    void aPriceForAnotherModelOffersIt() throws Exception {
        Path file = yaml("pricing:\n  artistic: 21\n  tiny: 3\n");
        Settings s = ConfigLoader.load(file, Map.of(), Map.of());
        ServeConfig serve = ServeConfig.from(s, Chroma402Config.from(s));
        assertThat(serve.prices()).containsEntry("artistic", 21L).containsEntry("tiny", 3L).containsEntry("large", 5L);
    }
}
