package org.chroma402.lightning.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class NostrEventTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void aSignedEventVerifiesAndSurvivesJson() throws Exception {
        NostrKeys keys = NostrKeys.generate(random);
        NostrEvent event = NostrEvent.sign(keys, 1_700_000_000L, 23194,
                List.of(List.of("p", "ab".repeat(32)), List.of("encryption", "nip44_v2")), "line\n\"quoted\"\t\u00e9\u2603", random);
        assertThat(event.verify()).isTrue();
        NostrEvent read = NostrEvent.fromJson(new ObjectMapper().readTree(event.toJson().toString()));
        assertThat(read).isEqualTo(event);
        assertThat(read.verify()).isTrue();
        assertThat(read.tag("encryption")).hasValue("nip44_v2");
    }

    @Test
    void anyChangeBreaksTheSignature() {
        NostrKeys keys = NostrKeys.generate(random);
        NostrEvent event = NostrEvent.sign(keys, 1_700_000_000L, 1, List.of(), "hello", random);
        assertThat(new NostrEvent(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), "hellO",
                event.sig()).verify()).isFalse();
        assertThat(new NostrEvent(event.id(), NostrKeys.generate(random).publicKeyHex(), event.createdAt(), event.kind(),
                event.tags(), event.content(), event.sig()).verify()).isFalse();
        String otherSig = NostrEvent.sign(keys, 1_700_000_001L, 1, List.of(), "hello", random).sig();
        assertThat(new NostrEvent(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(),
                otherSig).verify()).isFalse();
    }

    @Test
    void malformedEventsAreTypedErrors() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String bad : List.of("[]", "{}", "{\"id\":1}", "{\"id\":\"a\",\"pubkey\":\"b\",\"created_at\":1,\"kind\":1,"
                + "\"tags\":[\"notarray\"],\"content\":\"\",\"sig\":\"c\"}", "{\"id\":\"a\",\"pubkey\":\"b\",\"created_at\":1,"
                + "\"kind\":1,\"tags\":[[1]],\"content\":\"\",\"sig\":\"c\"}")) {
            assertThatThrownBy(() -> NostrEvent.fromJson(json.readTree(bad))).as(bad).isInstanceOf(NostrException.class);
        }
    }
}
