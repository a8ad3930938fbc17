package org.chroma402.colorize.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Open Inference Protocol's (KServe v2, as NVIDIA Triton speaks it) inference messages over
 * HTTP, with the binary tensor data extension: a JSON object, then each binary tensor's bytes in
 * the order the JSON lists them, the JSON's length in {@code Inference-Header-Content-Length}.
 * Both directions, so the client and the worker share one codec. Hostile bodies (sizes that do not
 * add up, shapes that do not match their data) are refused with {@link OipFormatException}.
 */
public final class OipMessages {
    /** The header that gives the JSON part's length when binary tensor data follows. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private OipMessages() {
    }

    /** A message body ready to send, and the length of its JSON part (null when it is all JSON). */
    public record Body(byte[] bytes, Integer jsonLength) {
        public String contentType() {
            return jsonLength == null ? "application/json" : "application/octet-stream";
        }
    }

    /** What an inference request asks: its inputs, which outputs (empty: all), and in which form. */
    public record InferRequest(String id, List<OipTensor> inputs, List<String> outputs, boolean binaryOutputs) {
    }

    /** The shape and datatype of one model input or output, as model metadata lists them ({@code -1}: dynamic). */
    public record TensorSpec(String name, String datatype, long[] shape) {
        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /** {@code GET /v2/models/{name}}: what a model takes and gives. */
    public record ModelMetadata(String name, String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    }

    /** A request with every input as binary data and the named outputs asked for as binary data. */
    public static Body inferRequest(String id, List<OipTensor> inputs, List<String> outputs) {
        ObjectNode root = JSON.createObjectNode();
        if (id != null) {
            root.put("id", id);
        }
        ArrayNode in = root.putArray("inputs");
        for (OipTensor t : inputs) {
            ObjectNode n = tensorHeader(in.addObject(), t);
            n.putObject("parameters").put("binary_data_size", t.data().length);
        }
        ArrayNode out = root.putArray("outputs");
        for (String name : outputs) {
            out.addObject().put("name", name).putObject("parameters").put("binary_data", true);
        }
        return withBinary(root, inputs);
    }

    /** A response; outputs as binary data when {@code binary}, else as JSON numbers (FP32 only). */
    public static Body inferResponse(String modelName, String id, List<OipTensor> outputs, boolean binary) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model_name", modelName);
        if (id != null) {
            root.put("id", id);
        }
        ArrayNode out = root.putArray("outputs");
        for (OipTensor t : outputs) {
            ObjectNode n = tensorHeader(out.addObject(), t);
            if (binary) {
                n.putObject("parameters").put("binary_data_size", t.data().length);
            } else {
                ArrayNode data = n.putArray("data");
                for (float f : t.floats()) {
                    data.add(f);
                }
            }
        }
        if (!binary) {
            return new Body(root.toString().getBytes(StandardCharsets.UTF_8), null);
        }
        return withBinary(root, outputs);
    }

    private static ObjectNode tensorHeader(ObjectNode n, OipTensor t) {
        n.put("name", t.name());
        ArrayNode shape = n.putArray("shape");
        for (long d : t.shape()) {
            shape.add(d);
        }
        n.put("datatype", t.datatype());
        return n;
    }

    private static Body withBinary(ObjectNode root, List<OipTensor> tensors) {
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream(json.length + tensors.stream().mapToInt(t -> t.data().length).sum());
        body.writeBytes(json);
        tensors.forEach(t -> body.writeBytes(t.data()));
        return new Body(body.toByteArray(), json.length);
    }

    /** Reads an inference request as a server receives it. */
    public static InferRequest parseInferRequest(byte[] body, Integer jsonLength) throws OipFormatException {
        Parsed parsed = parse(body, jsonLength, "inputs");
        List<String> outputs = new ArrayList<>();
        boolean binary = parsed.root.path("parameters").path("binary_data_output").asBoolean(false);
        for (JsonNode o : parsed.root.path("outputs")) {
            outputs.add(text(o, "name"));
            if (o.path("parameters").path("binary_data").asBoolean(false)) {
                binary = true;
            }
        }
        return new InferRequest(parsed.root.path("id").isTextual() ? parsed.root.get("id").asText() : null,
                parsed.tensors, outputs, binary);
    }

    /** Reads an inference response as a client receives it. */
    public static List<OipTensor> parseInferResponse(byte[] body, Integer jsonLength) throws OipFormatException {
        return parse(body, jsonLength, "outputs").tensors;
    }

    /** Reads {@code GET /v2/models/{name}}. */
    public static ModelMetadata parseModelMetadata(byte[] body) throws OipFormatException {
        JsonNode root = readJson(body, 0, body.length);
        return new ModelMetadata(text(root, "name"), root.path("platform").asText(""), specs(root.path("inputs")),
                specs(root.path("outputs")));
    }

    /** Writes {@code GET /v2/models/{name}}. */
    public static byte[] modelMetadata(ModelMetadata metadata) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", metadata.name());
        root.putArray("versions").add("1");
        root.put("platform", metadata.platform());
        for (String part : List.of("inputs", "outputs")) {
            ArrayNode list = root.putArray(part);
            for (TensorSpec s : part.equals("inputs") ? metadata.inputs() : metadata.outputs()) {
                ObjectNode n = list.addObject().put("name", s.name()).put("datatype", s.datatype());
                ArrayNode shape = n.putArray("shape");
                for (long d : s.shape()) {
                    shape.add(d);
                }
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The protocol's error body, {@code {"error": "…"}}. */
    public static byte[] error(String message) {
        return JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<TensorSpec> specs(JsonNode list) throws OipFormatException {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode n : list) {
            out.add(new TensorSpec(text(n, "name"), text(n, "datatype"), shape(n)));
        }
        return out;
    }

    private record Parsed(JsonNode root, List<OipTensor> tensors) {
    }

    private static Parsed parse(byte[] body, Integer jsonLength, String listName) throws OipFormatException {
        int headerLength = jsonLength == null ? body.length : jsonLength;
        if (headerLength < 0 || headerLength > body.length) {
            throw new OipFormatException(HEADER_LENGTH + " " + headerLength + " does not fit a body of " + body.length + " bytes");
        }
        JsonNode root = readJson(body, 0, headerLength);
        int offset = headerLength;
        List<OipTensor> tensors = new ArrayList<>();
        for (JsonNode n : root.path(listName)) {
            String name = text(n, "name");
            String datatype = text(n, "datatype");
            long[] shape = shape(n);
            int size = OipTensor.elementSize(datatype);
            long elements = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new OipFormatException(name + " has a negative dimension");
                }
                try {
                    elements = Math.multiplyExact(elements, d);
                } catch (ArithmeticException e) {
                    throw new OipFormatException(name + " has a shape whose size overflows: " + java.util.Arrays.toString(shape));
                }
            }
            JsonNode binarySize = n.path("parameters").path("binary_data_size");
            byte[] data;
            if (!binarySize.isMissingNode()) {
                long bytes = binarySize.asLong(-1);
                if (bytes < 0 || bytes > body.length - offset) {
                    throw new OipFormatException(name + ": binary_data_size " + bytes + " runs past the body");
                }
                if (size > 0 && bytes != elements * size) {
                    throw new OipFormatException(name + ": " + bytes + " bytes for " + elements + " " + datatype + " elements");
                }
                data = Arrays.copyOfRange(body, offset, offset + (int) bytes);
                offset += (int) bytes;
            } else if (n.path("data").isArray() && datatype.equals("FP32")) {
                JsonNode values = n.get("data");
                if (values.size() != elements) {
                    throw new OipFormatException(name + ": " + values.size() + " values for shape " + Arrays.toString(shape));
                }
                ByteBuffer buffer = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (JsonNode v : values) {
                    if (!v.isNumber()) {
                        throw new OipFormatException(name + ": data must be numbers");
                    }
                    buffer.putFloat(v.floatValue());
                }
                data = buffer.array();
            } else {
                throw new OipFormatException(name + " has neither binary data nor FP32 JSON data");
            }
            tensors.add(new OipTensor(name, datatype, shape, data));
        }
        if (offset != body.length) {
            throw new OipFormatException((body.length - offset) + " bytes after the last tensor");
        }
        return new Parsed(root, tensors);
    }

    private static JsonNode readJson(byte[] body, int offset, int length) throws OipFormatException {
        try {
            JsonNode root = JSON.readTree(body, offset, length);
            if (root == null || !root.isObject()) {
                throw new OipFormatException("the message is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new OipFormatException("the message is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new OipFormatException("the message cannot be read");
        }
    }

    private static String text(JsonNode n, String field) throws OipFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new OipFormatException("missing \"" + field + "\"");
        }
        return v.asText();
    }

    private static long[] shape(JsonNode n) throws OipFormatException {
        JsonNode shape = n.get("shape");
        if (shape == null || !shape.isArray() || shape.size() > 8) {
            throw new OipFormatException("missing or odd \"shape\"");
        }
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            // isIntegralNumber: 1.5 converts to a long too (as 1), but is no dimension.
            if (!shape.get(i).isIntegralNumber() || !shape.get(i).canConvertToLong()) {
                throw new OipFormatException("a shape holds integers, not " + shape.get(i));
            }
            out[i] = shape.get(i).asLong();
        }
        return out;
    }
}
