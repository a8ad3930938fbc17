package org.chroma402.colorize.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PyTorch's nearest-neighbour index rule, including its exact cases for equal and doubled sizes. */
class NearestIndicesTest {

    @Test
    void followsPytorchsRule() {
        assertThat(Postprocessor.nearestIndices(4, 4)).containsExactly(0, 1, 2, 3);
        assertThat(Postprocessor.nearestIndices(3, 6)).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(Postprocessor.nearestIndices(4, 3)).containsExactly(0, 1, 2);
        assertThat(Postprocessor.nearestIndices(512, 1000)[999]).isEqualTo(511);
        assertThat(Postprocessor.nearestIndices(512, 7)).containsExactly(0, 73, 146, 219, 292, 365, 438);
    }
}
