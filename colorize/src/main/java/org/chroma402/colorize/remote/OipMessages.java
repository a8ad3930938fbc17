package org.chroma402.colorize.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
        if (!binary) {
            return jsonResponse(modelName, id, outputs);
        }
        ArrayNode out = root.putArray("outputs");
        for (OipTensor t : outputs) {
            tensorHeader(out.addObject(), t).putObject("parameters").put("binary_data_size", t.data().length);
        }
        return withBinary(root, outputs);
    }

    /** A response with its data as JSON numbers, written as it goes: a tree would cost tens of bytes a value. */
    private static Body jsonResponse(String modelName, String id, List<OipTensor> outputs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model_name", modelName);
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            for (OipTensor t : outputs) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeStringField("datatype", t.datatype());
                g.writeArrayFieldStart("data");
                for (float f : t.floats()) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Body(bytes.toByteArray(), null);
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

    /** Reads an inference request as a server receives it, with no bound on its tensors' size but the body's. */
    public static InferRequest parseInferRequest(byte[] body, Integer jsonLength) throws OipFormatException {
        return parseInferRequest(body, jsonLength, Long.MAX_VALUE);
    }

    /**
     * Reads an inference request as a server receives it. Its inputs may hold {@code maxElements}
     * values in all, whether as binary data or as JSON numbers: the declared shapes are checked
     * before any data is read, and JSON data is read straight into the tensor (4 bytes a value),
     * never into a JSON tree (tens of bytes a value).
     */
    public static InferRequest parseInferRequest(byte[] body, Integer jsonLength, long maxElements) throws OipFormatException {
        Parsed parsed = parse(body, jsonLength, "inputs", maxElements);
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
        return parse(body, jsonLength, "outputs", Long.MAX_VALUE).tensors;
    }

    /** Reads {@code GET /v2/models/{name}}. */
    public static ModelMetadata parseModelMetadata(byte[] body) throws OipFormatException {
        JsonNode root = readJson(body, 0, body.length, null);
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

    private static Parsed parse(byte[] body, Integer jsonLength, String listName, long maxElements) throws OipFormatException {
        int headerLength = jsonLength == null ? body.length : jsonLength;
        if (headerLength < 0 || headerLength > body.length) {
            throw new OipFormatException(HEADER_LENGTH + " " + headerLength + " does not fit a body of " + body.length + " bytes");
        }
        // The tree leaves out the tensors' JSON data, which is read into the tensors afterwards.
        JsonNode root = readJson(body, 0, headerLength, listName);
        long[] declared = declaredElements(root.path(listName), maxElements);
        ByteBuffer[] jsonData = readJsonData(body, headerLength, listName, declared);
        int offset = headerLength;
        int index = 0;
        List<OipTensor> tensors = new ArrayList<>();
        for (JsonNode n : root.path(listName)) {
            int i = index++;
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
            } else if (jsonData[i] != null && datatype.equals("FP32")) {
                data = jsonData[i].array();
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

    /** Each listed tensor's element count from its shape (-1 where it has none), refused past {@code maxElements} in all. */
    private static long[] declaredElements(JsonNode list, long maxElements) throws OipFormatException {
        long[] counts = new long[list.size()];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            JsonNode shape = list.get(i).get("shape");
            long elements = 1;
            if (shape == null || !shape.isArray() || shape.size() > 8) {
                counts[i] = -1;
                continue;
            }
            for (JsonNode d : shape) {
                long v = d.canConvertToLong() ? d.asLong() : -1;
                if (v < 0) {
                    elements = -1;
                    break;
                }
                elements = v == 0 || elements <= Long.MAX_VALUE / v ? elements * v : Long.MAX_VALUE;
            }
            counts[i] = elements;
            total = elements < 0 ? total : Math.min(Long.MAX_VALUE - elements, total) + elements;
        }
        if (total > maxElements) {
            throw new OipFormatException("the tensors hold " + total + " values, more than the " + maxElements
                    + " one request may carry");
        }
        return counts;
    }

    /**
     * The FP32 JSON data of each listed tensor, read straight into little-endian floats (null where
     * a tensor has none), each refused as soon as it holds other than its shape's count of numbers.
     */
    private static ByteBuffer[] readJsonData(byte[] body, int length, String listName, long[] declared) throws OipFormatException {
        ByteBuffer[] data = new ByteBuffer[declared.length];
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body, 0, length)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!field.equals(listName) || p.nextToken() != JsonToken.START_ARRAY) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isData = p.currentName().equals("data");
                        if (p.nextToken() == JsonToken.START_ARRAY && isData && i < declared.length && declared[i] >= 0) {
                            data[i] = readFloats(p, declared[i]);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new OipFormatException("the message is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new OipFormatException("the message cannot be read");
        }
        return data;
    }

    private static ByteBuffer readFloats(com.fasterxml.jackson.core.JsonParser p, long expected) throws java.io.IOException,
            OipFormatException {
        if (expected > Integer.MAX_VALUE / 4) {
            throw new OipFormatException(expected + " values do not fit one tensor");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) expected * 4).order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new OipFormatException("data must be numbers");
            }
            if (++count > expected) {
                throw new OipFormatException("more than " + expected + " values for the tensor's shape");
            }
            buffer.putFloat(p.getFloatValue());
        }
        if (count != expected) {
            throw new OipFormatException(count + " values for a shape of " + expected);
        }
        return buffer;
    }

    private static JsonNode readJson(byte[] body, int offset, int length, String listName) throws OipFormatException {
        try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.filter.FilteringParserDelegate(
                JSON.getFactory().createParser(body, offset, length), new WithoutData(listName),
                com.fasterxml.jackson.core.filter.TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            JsonNode root = JSON.readTree(parser);
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

    /** Everything but the listed tensors' {@code data}, which is read apart into floats. */
    private static final class WithoutData extends com.fasterxml.jackson.core.filter.TokenFilter {
        private final String listName;
        private final int depth;

        WithoutData(String listName) {
            this(listName, 0);
        }

        private WithoutData(String listName, int depth) {
            this.listName = listName;
            this.depth = depth;
        }

        @Override
        public com.fasterxml.jackson.core.filter.TokenFilter includeProperty(String name) {
            if (depth == 0) {
                return name.equals(listName) ? new WithoutData(listName, 1) : INCLUDE_ALL;
            }
            return depth == 2 && name.equals("data") ? null : INCLUDE_ALL;
        }

        @Override
        public com.fasterxml.jackson.core.filter.TokenFilter includeElement(int index) {
            return depth == 1 ? new WithoutData(listName, 2) : INCLUDE_ALL;
        }

        @Override
        protected boolean _includeScalar() {
            return true;
        }

        @Override
        public boolean includeEmptyObject(boolean contentsFiltered) {
            // An input that held only data stays in the list, so inputs keep their places.
            return true;
        }

        @Override
        public boolean includeEmptyArray(boolean contentsFiltered) {
            return true;
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
