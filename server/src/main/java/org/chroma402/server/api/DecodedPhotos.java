package org.chroma402.server.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.chroma402.colorize.image.RgbImage;

/**
 * Photos decoded by the unpaid check, kept for the paid job that usually follows within seconds,
 * so the same bytes are not decoded twice. Keyed by the SHA-256 of the bytes; bounded by the
 * pixels' size (oldest first out), so unpaid requests can only push entries out, never grow it.
 * A job that finds nothing (another replica checked the photo, or it was pushed out) decodes.
 */
final class DecodedPhotos {
    private final long maxBytes;
    private final Map<String, RgbImage> photos = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    DecodedPhotos(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized void put(String imageSha256, RgbImage image) {
        long size = size(image);
        if (size > maxBytes) {
            return;
        }
        RgbImage old = photos.put(imageSha256, image);
        bytes += size - (old == null ? 0 : size(old));
        Iterator<Map.Entry<String, RgbImage>> eldest = photos.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, RgbImage> e = eldest.next();
            bytes -= size(e.getValue());
            eldest.remove();
        }
    }

    /** The photo, removed: a paid job uses it once. */
    synchronized Optional<RgbImage> take(String imageSha256) {
        RgbImage image = photos.remove(imageSha256);
        if (image != null) {
            bytes -= size(image);
        }
        return Optional.ofNullable(image);
    }

    synchronized long sizeBytes() {
        return bytes;
    }

    private static long size(RgbImage image) {
        return (long) image.rgb().length + (image.alpha() == null ? 0 : image.alpha().length);
    }
}
