package org.chroma402.l402.bolt11;

/** One spec invoice, for tests that need any valid invoice. */
final class Bolt11VectorsTestData {
    static final String FIRST_SPEC_INVOICE = org.chroma402.l402.Vectors.load("bolt11-valid.json")
            .get("valid").get(0).get("invoice").asText();

    private Bolt11VectorsTestData() {
    }
}
