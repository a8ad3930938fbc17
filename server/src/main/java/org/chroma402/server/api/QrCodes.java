package org.chroma402.server.api;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Locale;
import java.util.Map;

/** QR codes as compact SVG (one path), drawn server-side with ZXing so the page needs no library. */
final class QrCodes {
    /** What fits a QR code (version 40, level M, alphanumeric: 3391 characters) with the {@code lightning:} prefix. */
    static final int MAX_INVOICE_LENGTH = 3000;

    private QrCodes() {
    }

    static String svg(String text) {
        BitMatrix matrix;
        try {
            // BOLT11 suggests upper case for QR codes: it fits the compact alphanumeric mode.
            matrix = new QRCodeWriter().encode(text.toUpperCase(Locale.ROOT), BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text too long for a QR code", e);
        }
        int w = matrix.getWidth();
        int h = matrix.getHeight();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (matrix.get(x, y)) {
                    int start = x;
                    while (x < w && matrix.get(x, y)) {
                        x++;
                    }
                    path.append('M').append(start).append(' ').append(y).append('h').append(x - start).append("v1h-")
                            .append(x - start).append('z');
                } else {
                    x++;
                }
            }
        }
        // width/height of one unit per module: the page reads the module count from them and scales by whole numbers.
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h
                + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
