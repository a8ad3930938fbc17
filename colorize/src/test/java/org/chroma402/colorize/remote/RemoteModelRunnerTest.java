package org.chroma402.colorize.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.junit.jupiter.api.Test;

/** Which model metadata the front-end accepts: DDColor's one FP32 input and output, as KServe or Triton list them. */
class RemoteModelRunnerTest {
    private static final InferenceServer SERVER = new InferenceServer(URI.create("http://127.0.0.1:1"), "m",
            Duration.ofSeconds(1), null);

    private static OipMessages.ModelMetadata metadata(long[] in, long[] out, String datatype) {
        return new OipMessages.ModelMetadata("m", "onnxruntime_onnx", List.of(new OipMessages.TensorSpec("input", datatype, in)),
                List.of(new OipMessages.TensorSpec("output", "FP32", out)));
    }

    @Test
    void acceptsKServeAndTritonShapes() throws Exception {
        ModelInfo kserve = RemoteModelRunner.check(metadata(new long[] {-1, 3, 512, 512}, new long[] {-1, 2, 512, 512}, "FP32"));
        assertThat(kserve.inputSize()).isEqualTo(512);
        assertThat(kserve.dynamicBatch()).isTrue();
        // Triton with max_batch_size > 0 leaves the batch axis out of its dims.
        ModelInfo triton = RemoteModelRunner.check(metadata(new long[] {3, 256, 256}, new long[] {2, 256, 256}, "FP32"));
        assertThat(triton.inputSize()).isEqualTo(256);
        ModelInfo fixed = RemoteModelRunner.check(metadata(new long[] {1, 3, 64, 64}, new long[] {1, 2, 64, 64}, "FP32"));
        assertThat(fixed.dynamicBatch()).isFalse();
    }

    @Test
    void refusesWhatIsNotDDColor() {
        assertThatThrownBy(() -> RemoteModelRunner.check(metadata(new long[] {1, 3, 64, 64}, new long[] {1, 2, 64, 64}, "FP16"))).isInstanceOf(OipFormatException.class).hasMessageContaining("FP16");
        assertThatThrownBy(() -> RemoteModelRunner.check(metadata(new long[] {1, 1, 64, 64}, new long[] {1, 2, 64, 64}, "FP32"))).isInstanceOf(OipFormatException.class);
        assertThatThrownBy(() -> RemoteModelRunner.check(metadata(new long[] {1, 3, 64, 64}, new long[] {1, 2, 32, 32}, "FP32"))).isInstanceOf(OipFormatException.class);
        assertThatThrownBy(() -> RemoteModelRunner.check(metadata(new long[] {1, 3, 64, 48}, new long[] {1, 2, 64, 48}, "FP32"))).isInstanceOf(OipFormatException.class);
    }

    @Test
    void withNoServerReachableConnectSaysSo() {
        assertThatThrownBy(() -> RemoteModelRunner.connect(List.of(SERVER)))
                .hasMessageContaining("no inference server answered").hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("connection refused").hasMessageNotContaining("null");
    }
}
