package org.chroma402.server.api;

import org.chroma402.colorize.image.ImageException;

/** How refused images are reported: 413 for size, 400 for the rest, never an invoice. */
final class ImageErrors {
    private ImageErrors() {
    }

    static ApiException toApi(ImageException e) {
        return switch (e.reason()) {
            case EMPTY -> new ApiException(ErrorCode.MISSING_IMAGE, e.getMessage(),
                    "put the photo, base64-encoded, in the \"image\" field");
            case BAD_BASE64 -> new ApiException(ErrorCode.INVALID_BASE64, e.getMessage(),
                    "encode the file's bytes with standard base64 (a data:image/...;base64, prefix is fine)");
            case TOO_LARGE -> new ApiException(ErrorCode.IMAGE_TOO_LARGE, e.getMessage(),
                    "send a smaller file: re-save it as JPEG or scale it down");
            case TOO_MANY_PIXELS -> new ApiException(ErrorCode.IMAGE_TOO_LARGE, e.getMessage(),
                    "scale the photo down below the pixel limit and send it again");
            case UNSUPPORTED_FORMAT -> new ApiException(ErrorCode.UNSUPPORTED_FORMAT, e.getMessage(),
                    "convert the photo to JPEG or PNG");
            case NOT_AN_IMAGE -> new ApiException(ErrorCode.INVALID_IMAGE, e.getMessage(),
                    "send a photo in PNG, JPEG, WebP, BMP, GIF or TIFF format");
            case CORRUPT -> new ApiException(ErrorCode.INVALID_IMAGE, e.getMessage(),
                    "the file looks damaged or incomplete: open it on your device and save it again");
            case TOO_COMPLEX -> new ApiException(ErrorCode.IMAGE_TOO_COMPLEX, e.getMessage(),
                    "open the photo on your device and save it again as an ordinary (baseline) JPEG or PNG");
        };
    }
}
