package org.chroma402.colorize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.chroma402.colorize.checkpoint.Checkpoint;
import org.chroma402.colorize.checkpoint.CheckpointException;
import org.chroma402.colorize.checkpoint.CheckpointLimits;
import org.chroma402.colorize.checkpoint.DType;
import org.chroma402.colorize.checkpoint.TensorEntry;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.colorize.testing.TestResources;
import org.chroma402.onnx.OnnxModel;
import org.chroma402.onnx.proto.OnnxProto.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing checkpoints: every key, shape and type checked first; a refused install leaves nothing. */
class CheckpointInstallerTest {
    @TempDir
    Path models;

    private final CheckpointInstaller installer = new CheckpointInstaller(CheckpointLimits.DEFAULT, new ModelFileCheck());

    /** A checkpoint in memory with the tiny network's keys and shapes (zero weights), edited by the test. */
    private static Checkpoint tiny(Consumer<Map<String, TensorEntry>> edit) {
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (DdcolorGraph.Weight w : DdcolorGraph.of(DdcolorArchitecture.TINY).weights().values()) {
            tensors.put(w.key(), new TensorEntry(w.key(), DType.F32, w.shape()));
        }
        tensors.put("decoder.layers.0.bn.num_batches_tracked", new TensorEntry("decoder.layers.0.bn.num_batches_tracked", DType.I64,
                new long[0]));
        edit.accept(tensors);
        return new Checkpoint() {
            @Override
            public Map<String, TensorEntry> tensors() {
                return tensors;
            }

            @Override
            public void readFloat32(String key, ByteBuffer out) {
                out.position(out.position() + (int) tensors.get(key).elementCount() * 4);
            }

            @Override
            public String format() {
                return "test checkpoint";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void installsAGraphOnnxRuntimeLoadsWithARecordOfItsSource() throws Exception {
        CheckpointInstaller.Installed installed = installer.install(tiny(t -> { }), DdcolorArchitecture.TINY, models.resolve("tiny"),
                new CheckpointInstaller.Source("https://example.test/tiny.pth", "ab".repeat(32), 123), (d, t) -> { });
        ModelInfo info = ModelFileCheck.inspect(installed.graph());
        assertThat(info.dynamicSize()).isTrue();
        assertThat(info.dynamicBatch()).isTrue();
        assertThat(Files.size(models.resolve("tiny/weights.bin"))).isEqualTo(DdcolorGraph.of(DdcolorArchitecture.TINY).weightsBytes());
        var record = new ObjectMapper().readTree(models.resolve("tiny/model.json").toFile());
        assertThat(record.path("architecture").asText()).isEqualTo("ddcolor-tiny");
        assertThat(record.path("checkpoint_sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(leftovers()).containsExactly("tiny");
        // The colour decoder's product is installed as a MatMul before the last shuffle (EinsumAsMatMul); that it still
        // colours as the official code does is OfficialCheckpointFidelityTest's work.
        assertThat(OnnxModel.read(installed.graph()).proto().getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .doesNotContain("Einsum").contains("MatMul");
    }

    @Test
    void namesMissingUnexpectedAndMisshapenKeys() {
        String conv = "encoder.arch.downsample_layers.0.0.weight";
        assertThatThrownBy(() -> DdcolorGraph.of(DdcolorArchitecture.TINY).check(tiny(t -> t.remove(conv))))
                .hasMessageContaining("1 missing key(s): " + conv);
        assertThatThrownBy(() -> DdcolorGraph.of(DdcolorArchitecture.TINY).check(tiny(t -> t.put("extra.weight",
                new TensorEntry("extra.weight", DType.F32, new long[] {1})))))
                .hasMessageContaining("1 unexpected key(s): extra.weight");
        assertThatThrownBy(() -> DdcolorGraph.of(DdcolorArchitecture.TINY).check(tiny(t -> t.put(conv,
                new TensorEntry(conv, DType.F32, new long[] {96, 3, 4, 5})))))
                .hasMessageContaining(conv + " has shape [96, 3, 4, 5] but DDColor-T (ConvNeXt-T encoder) needs [96, 3, 4, 4]");
        assertThatThrownBy(() -> DdcolorGraph.of(DdcolorArchitecture.TINY).check(tiny(t -> t.put(conv,
                new TensorEntry(conv, DType.I64, new long[] {96, 3, 4, 4})))))
                .hasMessageContaining(conv + " holds I64 values");
    }

    @Test
    void tellsATinyCheckpointFromALargeOne() {
        assertThatThrownBy(() -> DdcolorGraph.of(DdcolorArchitecture.LARGE).check(tiny(t -> { })))
                .hasMessageContaining("is not DDColor-L (ConvNeXt-L encoder) (it is DDColor-T (ConvNeXt-T encoder))");
    }

    @Test
    void aRefusedCheckpointInstallsNothingAndKeepsTheModelThatWasThere() throws Exception {
        installer.install(tiny(t -> { }), DdcolorArchitecture.TINY, models.resolve("tiny"),
                new CheckpointInstaller.Source("first", "00".repeat(32), 1), (d, t) -> { });
        for (String hostile : new String[] {"evil-os-system.pth", "short-storage.pth", "truncated.pth", "zip-bomb.pth", "small-state.bin"}) {
            assertThatThrownBy(() -> installer.install(TestResources.path("checkpoints/" + hostile), DdcolorArchitecture.TINY,
                    models.resolve("tiny"), new CheckpointInstaller.Source(hostile, "11".repeat(32), 1), (d, t) -> { }))
                    .as(hostile).isInstanceOf(CheckpointException.class);
        }
        assertThatThrownBy(() -> installer.install(tiny(t -> t.remove("mean")), DdcolorArchitecture.TINY, models.resolve("tiny"),
                new CheckpointInstaller.Source("second", "22".repeat(32), 1), (d, t) -> { })).hasMessageContaining("mean");
        assertThat(leftovers()).containsExactly("tiny");
        assertThat(Files.readString(models.resolve("tiny/model.json"))).contains("\"first\"");
    }

    private java.util.List<String> leftovers() throws Exception {
        try (Stream<Path> list = Files.list(models)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
