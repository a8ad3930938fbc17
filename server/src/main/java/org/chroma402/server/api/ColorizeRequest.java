package org.chroma402.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.chroma402.colorize.image.Base64Image;
import org.chroma402.colorize.image.ImageException;
import org.chroma402.colorize.image.ImageLimits;
import org.chroma402.colorize.pipeline.ModelInfo;
import org.chroma402.server.gate.RequestBinding;
import org.chroma402.server.metrics.StageClock;

/**
 * A parsed {@code POST /api/l402/colorize-image} body: the image bytes, the model size and the
 * optional render size ({@code input_size}, beyond the public API; null when not sent), the
 * optional colour strength ({@code saturation} in hundredths; null when not sent or 1), with the
 * digest a token for it must be bound to. Unknown fields are ignored.
 */
record ColorizeRequest(byte[] imageBytes, String model, Integer inputSize, Integer saturationPercent, String imageSha256,
        String digest) {
    static final String DEFAULT_MODEL = "large";

    static ColorizeRequest parse(byte[] body, ImageLimits limits, List<String> models) {
        return parse(body, limits, models, new StageClock());
    }

    /** Parses a body, timing the JSON and the base64 steps on {@code laps}. */
    static ColorizeRequest parse(byte[] body, ImageLimits limits, List<String> models, StageClock laps) {
        JsonNode root;
        try {
            root = JsonBodies.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body is not valid JSON",
                    "send Content-Type: application/json with a body like {\"image\": \"<base64>\", \"model_size\": \"large\"}");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body could not be read", "send the request again");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object",
                    "send {\"image\": \"<base64>\", \"model_size\": \"large\"}");
        }
        JsonNode image = root.get("image");
        if (image == null || image.isNull() || (image.isTextual() && image.asText().isBlank())) {
            throw new ApiException(ErrorCode.MISSING_IMAGE, "the request has no image",
                    "put the photo, base64-encoded, in the \"image\" field");
        }
        if (!image.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_BASE64, "the image field must be a base64 string",
                    "put the photo, base64-encoded, in the \"image\" field as a string");
        }
        String model = DEFAULT_MODEL;
        JsonNode size = root.get("model_size");
        if (size != null && !size.isNull()) {
            if (!size.isTextual() || !models.contains(size.asText())) {
                throw new ApiException(ErrorCode.UNKNOWN_MODEL_SIZE,
                        "unknown model_size " + size + "; this server offers " + String.join(", ", models),
                        "use model_size \"" + String.join("\" or \"", models) + "\", or leave it out for \"large\"");
            }
            model = size.asText();
        }
        Integer inputSize = inputSize(root.get("input_size"));
        Integer saturation = saturationPercent(root.get("saturation"));
        laps.lap("json");
        byte[] bytes;
        try {
            bytes = Base64Image.decode(image.asText(), limits);
        } catch (ImageException e) {
            throw ImageErrors.toApi(e);
        }
        laps.lap("base64");
        String imageSha256 = RequestBinding.imageSha256(bytes);
        return new ColorizeRequest(bytes, model, inputSize, saturation, imageSha256,
                RequestBinding.digestOfHash(model, inputSize, saturation, imageSha256));
    }

    /** The optional render size: 256 to 1024 in steps of 32, as the official pipeline's --input_size. */
    static Integer inputSize(JsonNode size) {
        if (size == null || size.isNull()) {
            return null;
        }
        if (!size.canConvertToInt() || !size.isIntegralNumber() || !ModelInfo.isOfferedSize(size.asInt())) {
            throw new ApiException(ErrorCode.INVALID_INPUT_SIZE, "input_size " + size + " is not a render size: use "
                    + ModelInfo.MIN_INPUT_SIZE + " to " + ModelInfo.MAX_INPUT_SIZE + " in steps of " + ModelInfo.INPUT_SIZE_STEP,
                    "leave input_size out for the model's own (512), or send a multiple of 32 such as 768");
        }
        return size.asInt();
    }

    /** The colour strength a request may choose, as colorization services' saturation: 0 (grey) to 2. */
    static final BigDecimal MAX_SATURATION = BigDecimal.valueOf(2);

    /**
     * The optional colour strength in hundredths, null for the model's own colours (absent, null
     * or 1). At most two decimals: a token is bound to one exact strength, and a finer one would
     * look the same while buying something else (1.234 and 1.2341 must not be two purchases of
     * one picture, nor be silently rounded into one).
     */
    static Integer saturationPercent(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal strength = null;
        if (value.isIntegralNumber()) {
            strength = value.decimalValue();
        } else if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
            // The shortest decimal of the double is what the client wrote (1.2, not 1.1999999…).
            strength = value.isBigDecimal() ? value.decimalValue() : BigDecimal.valueOf(value.doubleValue());
        }
        if (strength == null || strength.signum() < 0 || strength.compareTo(MAX_SATURATION) > 0
                || strength.stripTrailingZeros().scale() > 2) {
            throw new ApiException(ErrorCode.INVALID_SATURATION, "saturation " + value
                    + " is not a colour strength: use a number from 0 (grey) to 2 with at most two decimals",
                    ErrorCode.INVALID_SATURATION.suggestion());
        }
        int percent = strength.movePointRight(2).intValueExact();
        return percent == 100 ? null : percent;
    }
}
