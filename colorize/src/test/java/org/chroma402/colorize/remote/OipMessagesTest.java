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

    @Property(tries = 500)
    void anyBodyParsesOrIsRefusedWithATypedError(@ForAll byte[] body, @ForAll int length) {
        try {
            OipMessages.parseInferRequest(body, Math.floorMod(length, body.length + 1));
        } catch (OipFormatException expected) {
            // refused
        }
    }
}
