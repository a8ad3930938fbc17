package org.chroma402.server.gate;

import java.util.List;

/**
 * What one colorization costs: the model's listed price ({@code pricing.<model>}, the base) for the
 * ordinary request, and more for the work that costs the server more, by one public rule:
 *
 * <pre>price = base × (1 + render_extra + photo_extra)</pre>
 *
 * <p>{@code render_extra} follows the render size the job runs at (the request's {@code input_size},
 * or the model's own): 0 up to 512, 1 up to 768, 3 up to 1024. {@code photo_extra} is one for every
 * started 12 megapixels beyond the first 12 (read from the photo's header before the invoice).
 *
 * <p>Why these numbers (tiny model, CPU-seconds per request): a 1-MP photo takes 2.83 at 512 and
 * 10.7 at 1024 (the model's run grows with the square of the size: ×3.8, so ×4; 768 interpolates to
 * ×2.2, so ×2); a 40-MP photo adds about 9 at either size (11.8 at 512, 19.45 at 1024) and leaves a
 * 95 MB PNG kept for a day. The two costs add up rather than multiply (the photo's part does not
 * grow with the render size), so their surcharges add: a 40-MP photo at 1024 is 7 base prices, not 16.
 * A default request (512, up to 12 MP) is the base price exactly.
 */
public final class PriceRule {

    /** One band of render sizes and what it adds, in base prices. */
    public record RenderBand(int upTo, int extra) {
    }

    /** The render bands, smallest first; sizes past the last are charged as the last (the API offers no more). */
    public static final List<RenderBand> RENDER_BANDS = List.of(new RenderBand(512, 0), new RenderBand(768, 1),
            new RenderBand(1024, 3));

    /** The megapixels the base price covers, and the step each further extra covers. */
    public static final int MEGAPIXELS_PER_STEP = 12;

    /** The rule as one line, for people. */
    public static final String FORMULA = "price_sats × (1 + render_extra + photo_extra)";

    private static final long PIXELS_PER_STEP = MEGAPIXELS_PER_STEP * 1_000_000L;

    private PriceRule() {
    }

    /**
     * The price of one request and why.
     *
     * @param baseSat the model's listed price
     * @param renderSize the size the job renders at
     * @param pixels the photo's pixel count, from its header
     * @param renderExtra base prices added for the render size
     * @param photoExtra base prices added for the photo's size
     */
    public record Price(long baseSat, int renderSize, long pixels, int renderExtra, int photoExtra) {
        public Price {
            if (baseSat < 1 || renderSize < 1 || pixels < 0 || renderExtra < 0 || photoExtra < 0) {
                throw new IllegalArgumentException("not a price: " + baseSat + " sats, size " + renderSize + ", "
                        + pixels + " pixels");
            }
        }

        /** How many base prices this request costs. */
        public long multiple() {
            return 1L + renderExtra + photoExtra;
        }

        public long sats() {
            return Math.multiplyExact(baseSat, multiple());
        }

        public long msat() {
            return Math.multiplyExact(sats(), 1000L);
        }
    }

    /** The price of rendering a photo of {@code pixels} at {@code renderSize} with a model listed at {@code baseSat}. */
    public static Price price(long baseSat, int renderSize, long pixels) {
        return new Price(baseSat, renderSize, pixels, renderExtra(renderSize), photoExtra(pixels));
    }

    static int renderExtra(int renderSize) {
        for (RenderBand band : RENDER_BANDS) {
            if (renderSize <= band.upTo()) {
                return band.extra();
            }
        }
        return RENDER_BANDS.get(RENDER_BANDS.size() - 1).extra();
    }

    static int photoExtra(long pixels) {
        // Started steps beyond the first: 12 MP → 0, 12.000001 → 1, 24 → 1, 30 → 2, 40 → 3.
        long steps = (pixels + PIXELS_PER_STEP - 1) / PIXELS_PER_STEP;
        return (int) Math.max(0, steps - 1);
    }
}
