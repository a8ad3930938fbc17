package org.chroma402.colorize.color;

/**
 * The CIEDE2000 colour difference (CIE 142-2001), with the implementation notes of Sharma, Wu and
 * Dalal (2005): how far apart two colours look, about 1 at a just-noticeable difference. Used to
 * judge what lower precision (INT8) does to colorized photos.
 */
public final class Ciede2000 {
    private static final double POW25_7 = Math.pow(25, 7);

    private Ciede2000() {
    }

    /** ΔE00 between Lab colours (L 0..100), with kL = kC = kH = 1. */
    public static double deltaE(double l1, double a1, double b1, double l2, double a2, double b2) {
        double c1 = Math.hypot(a1, b1);
        double c2 = Math.hypot(a2, b2);
        double cMean7 = Math.pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + POW25_7)));
        double a1p = (1 + g) * a1;
        double a2p = (1 + g) * a2;
        double c1p = Math.hypot(a1p, b1);
        double c2p = Math.hypot(a2p, b2);
        double h1p = hue(a1p, b1);
        double h2p = hue(a2p, b2);

        double dL = l2 - l1;
        double dC = c2p - c1p;
        double dh;
        if (c1p * c2p == 0) {
            dh = 0;
        } else if (Math.abs(h2p - h1p) <= 180) {
            dh = h2p - h1p;
        } else if (h2p - h1p > 180) {
            dh = h2p - h1p - 360;
        } else {
            dh = h2p - h1p + 360;
        }
        double dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(Math.toRadians(dh / 2));

        double lMean = (l1 + l2) / 2;
        double cMeanP = (c1p + c2p) / 2;
        double hMean;
        if (c1p * c2p == 0) {
            hMean = h1p + h2p;
        } else if (Math.abs(h1p - h2p) <= 180) {
            hMean = (h1p + h2p) / 2;
        } else if (h1p + h2p < 360) {
            hMean = (h1p + h2p + 360) / 2;
        } else {
            hMean = (h1p + h2p - 360) / 2;
        }
        double t = 1 - 0.17 * Math.cos(Math.toRadians(hMean - 30)) + 0.24 * Math.cos(Math.toRadians(2 * hMean))
                + 0.32 * Math.cos(Math.toRadians(3 * hMean + 6)) - 0.20 * Math.cos(Math.toRadians(4 * hMean - 63));
        double dTheta = 30 * Math.exp(-Math.pow((hMean - 275) / 25, 2));
        double cMeanP7 = Math.pow(cMeanP, 7);
        double rc = 2 * Math.sqrt(cMeanP7 / (cMeanP7 + POW25_7));
        double lMean50 = (lMean - 50) * (lMean - 50);
        double sl = 1 + 0.015 * lMean50 / Math.sqrt(20 + lMean50);
        double sc = 1 + 0.045 * cMeanP;
        double sh = 1 + 0.015 * cMeanP * t;
        double rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
        double x = dL / sl;
        double y = dC / sc;
        double z = dH / sh;
        return Math.sqrt(x * x + y * y + z * z + rt * y * z);
    }

    private static double hue(double a, double b) {
        if (a == 0 && b == 0) {
            return 0;
        }
        double h = Math.toDegrees(Math.atan2(b, a));
        return h < 0 ? h + 360 : h;
    }
}
