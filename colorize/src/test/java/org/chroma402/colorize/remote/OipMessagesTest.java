package org.chroma402.colorize.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The message shapes of Triton's binary tensor data extension document (docs/protocol/
 * extension_binary_data.md in triton-inference-server/server), replayed against our codec: the
 * request with a [2,2] UINT32 and a [3] BOOL input sent as 19 bytes of binary data, and the [3,2]
 * FP32 response of 24 bytes.
 */
class OipMessagesTest {
    /** The document's request JSON, as a client following it would send it. */
    private static final String DOC_REQUEST = """
            {
              "model_name" : "mymodel",
              "inputs" : [
                {
                  "name" : "input0",
                  "shape" : [ 2, 2 ],
                  "datatype" : "UINT32",
                  "parameters" : {
                    "binary_data_size" : 16
                  }
                },
                {
                  "name" : "input1",
                  "shape" : [ 3 ],
                  "datatype" : "BOOL",
                  "parameters" : {
                    "binary_data_size" : 3
                  }
                }
              ],
              "outputs" : [
                {
                  "name" : "output0",
                  "parameters" : {
                    "binary_data" : true
                  }
                }
              ]
            }""";

    private static final String DOC_RESPONSE = """
            {
              "outputs" : [
                {
                  "name" : "output0",
                  "shape" : [ 3, 2 ],
                  "datatype"  : "FP32",
                  "parameters" : {
                    "binary_data_size" : 24
                  }
                }
              ]
            }""";

    private static byte[] concat(byte[] json, byte[] binary) {
        return ByteBuffer.allocate(json.length + binary.length).put(json).put(binary).array();
    }

    @Test
    void readsTheDocumentsRequest() throws Exception {
        byte[] json = DOC_REQUEST.getBytes(StandardCharsets.UTF_8);
        ByteBuffer uint32 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).putInt(3).putInt(4);
        byte[] bools = {1, 0, 1};
        byte[] body = concat(json, concat(uint32.array(), bools));
        assertThat(body.length).as("Content-Length is the JSON plus 19 bytes").isEqualTo(json.length + 19);
        OipMessages.InferRequest request = OipMessages.parseInferRequest(body, json.length);
        assertThat(request.inputs()).hasSize(2);
        assertThat(request.inputs().get(0).shape()).containsExactly(2, 2);
        assertThat(request.inputs().get(0).data()).isEqualTo(uint32.array());
        assertThat(request.inputs().get(1).datatype()).isEqualTo("BOOL");
        assertThat(request.inputs().get(1).data()).containsExactly(1, 0, 1);
        assertThat(request.outputs()).containsExactly("output0");
        assertThat(request.binaryOutputs()).isTrue();
    }

    @Test
    void readsTheDocumentsResponse() throws Exception {
        byte[] json = DOC_RESPONSE.getBytes(StandardCharsets.UTF_8);
        float[] values = {0.5f, -1f, 2.25f, 3f, Float.MIN_VALUE, -0f};
        byte[] body = concat(json, OipTensor.fp32("x", new long[] {3, 2}, values).data());
        assertThat(body.length).isEqualTo(json.length + 24);
        List<OipTensor> outputs = OipMessages.parseInferResponse(body, json.length);
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).shape()).containsExactly(3, 2);
        assertThat(outputs.get(0).floats()).containsExactly(values);
    }

    @Test
    void whatWeSendHasTheDocumentsLayout() throws Exception {
        OipTensor input = OipTensor.fp32("input", new long[] {1, 3, 2, 2}, new float[12]);
        OipMessages.Body body = OipMessages.inferRequest(null, List.of(input), List.of("output"));
        assertThat(body.contentType()).isEqualTo("application/octet-stream");
        assertThat(body.bytes().length).isEqualTo(body.jsonLength() + 48);
        String json = new String(body.bytes(), 0, body.jsonLength(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"binary_data_size\":48", "\"binary_data\":true", "\"datatype\":\"FP32\"")
                .doesNotContain("\"data\"");
        assertThat(OipMessages.parseInferRequest(body.bytes(), body.jsonLength()).inputs()).containsExactly(input);
        // And a JSON response (no binary_data asked) is read too.
        OipMessages.Body jsonAnswer = OipMessages.inferResponse("m", null,
                List.of(OipTensor.fp32("output", new long[] {1, 2}, new float[] {1.5f, -2f})), false);
        assertThat(jsonAnswer.jsonLength()).isNull();
        assertThat(OipMessages.parseInferResponse(jsonAnswer.bytes(), null).get(0).floats()).containsExactly(1.5f, -2f);
    }

    @Test
    void bodiesThatDoNotAddUpAreRefused() {
        byte[] json = DOC_RESPONSE.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(json, new byte[23]), json.length))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(json, new byte[25]), json.length))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("after the last tensor");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(json, json.length + 1))
                .isInstanceOf(OipFormatException.class);
        String wrongShape = DOC_RESPONSE.replace("[ 3, 2 ]", "[ 4, 2 ]");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(wrongShape.getBytes(StandardCharsets.UTF_8),
                new byte[24]), wrongShape.length())).isInstanceOf(OipFormatException.class).hasMessageContaining("24 bytes");
        String negative = DOC_RESPONSE.replace("[ 3, 2 ]", "[ -3, 2 ]");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(negative.getBytes(StandardCharsets.UTF_8),
                new byte[24]), negative.length())).isInstanceOf(OipFormatException.class);
        // A size that overflows 64 bits is refused, not thrown as an ArithmeticException (a 500).
        String overflowing = DOC_RESPONSE.replace("[ 3, 2 ]", "[ 4611686018427387904, 4 ]");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(overflowing.getBytes(StandardCharsets.UTF_8),
                new byte[24]), overflowing.length())).isInstanceOf(OipFormatException.class).hasMessageContaining("overflows");
        // 1.5 would be read as 1 by a lenient conversion.
        String fractional = DOC_RESPONSE.replace("[ 3, 2 ]", "[ 1.5, 2 ]");
        assertThatThrownBy(() -> OipMessages.parseInferResponse(concat(fractional.getBytes(StandardCharsets.UTF_8),
                new byte[24]), fractional.length())).isInstanceOf(OipFormatException.class).hasMessageContaining("integers");
    }

    @Test
    void jsonDataIsReadIntoTheTensorNotIntoATree() throws Exception {
        int elements = 4 * 3 * 256 * 256;
        StringBuilder json = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[4,3,256,256],"
                + "\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < elements; i++) {
            json.append(i == 0 ? "" : ",").append(i % 1000 / 1000.0 + 0.0001);
        }
        byte[] body = json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);

        // What each way keeps on the heap while the request is served (what grew the worker's RSS).
        long tree = retainedBy(() -> OipMessages.JSON.readTree(body));
        OipMessages.InferRequest[] parsed = new OipMessages.InferRequest[1];
        long streamed = retainedBy(() -> parsed[0] = OipMessages.parseInferRequest(body, null, elements));
        System.out.printf("a %d MiB JSON request of %d values: a JSON tree keeps %d MiB, the streamed read %d MiB (%.1fx less)%n",
                body.length >> 20, elements, tree >> 20, streamed >> 20, (double) tree / streamed);

        float[] floats = parsed[0].inputs().get(0).floats();
        assertThat(floats).hasSize(elements);
        assertThat(floats[1]).isEqualTo(0.0011f);
        // The tensor's floats (4 bytes a value) and their copy as bytes, not a node per value.
        assertThat(streamed).isLessThan(3L * elements * 4 + (1 << 20));
        assertThat(streamed).isLessThan(tree / 2);
    }

    @Test
    void moreValuesThanOneRequestMayCarryAreRefusedBeforeAnyIsRead() throws Exception {
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[17,3,4,4],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
        assertThatThrownBy(() -> OipMessages.parseInferRequest(json.getBytes(StandardCharsets.UTF_8), null, 16 * 3 * 4 * 4))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("more than the 768");
        String binary = "{\"inputs\":[{\"name\":\"input\",\"shape\":[17,3,4,4],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":3264}}]}";
        byte[] head = binary.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OipMessages.parseInferRequest(concat(head, new byte[3264]), head.length, 16 * 3 * 4 * 4))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("more than the 768");
        // Data longer than its shape is refused as soon as it runs over, not after reading it all.
        String longer = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
        assertThatThrownBy(() -> OipMessages.parseInferRequest(longer.getBytes(StandardCharsets.UTF_8), null, 768))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("more than 2 values");
        String onlyData = "{\"inputs\":[{\"data\":[1,2]}],\"outputs\":[]}";
        assertThatThrownBy(() -> OipMessages.parseInferRequest(onlyData.getBytes(StandardCharsets.UTF_8), null, 768))
                .isInstanceOf(OipFormatException.class).hasMessageContaining("missing");
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Heap bytes still in use, after a collection, while what {@code work} returned is kept. */
    private static long retainedBy(Work work) throws Exception {
        long before = usedAfterGc();
        Object kept = work.run();
        long after = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(kept);
        return Math.max(1, after - before);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Property(tries = 500)
    void anyBodyParsesOrIsRefusedWithATypedError(@ForAll byte[] body, @ForAll int length) {
        try {
            OipMessages.parseInferRequest(body, Math.floorMod(length, body.length + 1));
        } catch (OipFormatException expected) {
            // refused
        }
    }
}
