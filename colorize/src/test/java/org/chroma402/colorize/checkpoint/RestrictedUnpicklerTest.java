package org.chroma402.colorize.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The unpickler on hand-written pickles and on random bytes: values or a CheckpointException, nothing else. */
class RestrictedUnpicklerTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void readsPlainValues() throws Exception {
        // {"a": [1, -2, True, None], "b": (3,)} as protocol 2 writes it.
        byte[] pickle = bytes(0x80, 2, '}', 'q', 0, '(', 'X', 1, 0, 0, 0, 'a', ']', 'q', 1, '(', 'K', 1, 'J', 0xfe, 0xff, 0xff, 0xff,
                0x88, 'N', 'e', 'X', 1, 0, 0, 0, 'b', 'K', 3, 0x85, 'q', 2, 'u', '.');
        Object value = RestrictedUnpickler.read(pickle);
        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map.get("a")).isEqualTo(java.util.Arrays.asList(1L, -2L, true, null));
        assertThat(map.get("b")).isEqualTo(new RestrictedUnpickler.Tuple(List.of(3L)));
    }

    @Test
    void refusesGlobalsBeyondTheStateDictOnes() {
        byte[] system = "cos\nsystem\n(X\u0002\u0000\u0000\u0000lstR.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.read(system)).hasMessageContaining("names the global os.system");
        byte[] storageTrick = "ctorch\nload\n.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RestrictedUnpickler.read(storageTrick)).hasMessageContaining("torch.load");
    }

    @Test
    void refusesMalformedPickles() {
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes(0x80, 2, 'h', 5, '.'))).hasMessageContaining("memo entry 5");
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes('X', 0xff, 0xff, 0xff, 0x7f))).hasMessageContaining("past the end");
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes('K', 1, 'K', 2, '.'))).hasMessageContaining("2 values");
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes('a', '.'))).hasMessageContaining("stack is empty");
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes(0x81))).hasMessageContaining("opcode 0x81");
        assertThatThrownBy(() -> RestrictedUnpickler.read(bytes(0x80, 2))).hasMessageContaining("truncated");
    }

    @RepeatedTest(20)
    void survivesRandomBytes() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            try {
                RestrictedUnpickler.read(junk);
            } catch (CheckpointException expected) {
                // The only way to fail.
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
    }

    @Test
    void refusesAListThatContainsItselfAsADictionaryKeyWithoutHashingIt() {
        // d = {}; l = []; l.append(l); d[l] = 1: hashing l recurses forever.
        byte[] pickle = bytes(0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'K', 1, 's', '.');
        assertThatThrownBy(() -> RestrictedUnpickler.read(pickle)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("keys must be strings or numbers");
    }

    @Test
    void refusesADeeplyNestedListAsADictionaryKey() {
        int depth = 200_000;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        out.write('}');
        for (int i = 0; i < depth; i++) {
            out.write(']');
        }
        for (int i = 1; i < depth; i++) {
            out.write('a');
        }
        out.write('K');
        out.write(1);
        out.write('s');
        out.write('.');
        assertThatThrownBy(() -> RestrictedUnpickler.read(out.toByteArray())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("keys must be strings or numbers");
    }
}
