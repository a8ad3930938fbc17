package org.chroma402.colorize.color;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.chroma402.colorize.testing.TestResources;
import org.junit.jupiter.api.Test;

/** All 34 pairs of Sharma, Wu and Dalal's published test data, to their 4 decimals, both ways round. */
class Ciede2000Test {
    @Test
    void matchesThePublishedTestData() {
        int pairs = 0;
        for (String line : new String(TestResources.bytes("vectors/ciede2000-sharma-2005.csv"), StandardCharsets.US_ASCII).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            double[] v = new double[7];
            for (int i = 0; i < 7; i++) {
                v[i] = Double.parseDouble(f[i]);
            }
            assertThat(Ciede2000.deltaE(v[0], v[1], v[2], v[3], v[4], v[5])).as(line).isCloseTo(v[6], within(5e-5));
            assertThat(Ciede2000.deltaE(v[3], v[4], v[5], v[0], v[1], v[2])).as("reversed " + line).isCloseTo(v[6], within(5e-5));
            pairs++;
        }
        assertThat(pairs).isEqualTo(34);
        assertThat(Ciede2000.deltaE(40, 30, -20, 40, 30, -20)).isZero();
    }
}
