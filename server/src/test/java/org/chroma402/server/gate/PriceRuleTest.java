package org.chroma402.server.gate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public price rule as a table: base × (1 + render_extra + photo_extra). */
class PriceRuleTest {

    @ParameterizedTest(name = "{0}: {1} sats at {2} for {3} pixels costs {4}")
    @CsvSource({
            "the default request keeps its price,                   5, 512,  1000000,  5",
            "a 12-megapixel photo is still an ordinary one,         5, 512,  12000000, 5",
            "smaller renders cost the same,                         5, 256,  1000000,  5",
            "one pixel past 12 MP starts a step,                    5, 512,  12000001, 10",
            "a 24-megapixel photo is one step,                      5, 512,  24000000, 10",
            "a 30-megapixel photo is two steps,                     5, 512,  30000000, 15",
            "a 40-megapixel photo is three steps,                   5, 512,  40000000, 20",
            "just past 512 is the 768 band,                         5, 544,  1000000,  10",
            "768 is twice,                                          5, 768,  1000000,  10",
            "1024 is four times,                                    5, 1024, 1000000,  20",
            "render and photo surcharges add,                       5, 1024, 40000000, 35",
            "the large model's price scales alike,                  21, 1024, 1000000, 84",
            "an empty header counts as ordinary,                    3, 512,  0,        3",
    })
    void pricesFollowTheRule(String rule, long base, int size, long pixels, long sats) {
        PriceRule.Price price = PriceRule.price(base, size, pixels);
        assertThat(price.sats()).as(rule).isEqualTo(sats);
        assertThat(price.msat()).isEqualTo(sats * 1000);
        assertThat(price.sats()).isEqualTo(base * price.multiple());
    }
}
