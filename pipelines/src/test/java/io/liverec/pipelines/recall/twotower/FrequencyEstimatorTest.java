package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrequencyEstimatorTest {

  @Test
  void gapFollowsTheMovingAverageOfAHandExample() {
    FrequencyEstimator f = new FrequencyEstimator(1, 1024, 0.5);
    f.update(7, 0); // first sighting at step 0: B = 1
    assertThat(f.probability(7)).isCloseTo(1.0, within(1e-12));
    f.update(7, 4); // B = 0.5·1 + 0.5·4 = 2.5
    assertThat(f.probability(7)).isCloseTo(1 / 2.5, within(1e-12));
    f.update(7, 6); // B = 0.5·2.5 + 0.5·2 = 2.25
    assertThat(f.probability(7)).isCloseTo(1 / 2.25, within(1e-12));
  }

  @Test
  void frequentItemsGetHigherProbabilityAndUnseenItemsTheFloor() {
    FrequencyEstimator f = new FrequencyEstimator(2, 4096, 0.05);
    for (long t = 0; t < 2000; t++) {
      f.update(1, t); // every step
      if (t % 10 == 0) {
        f.update(2, t); // every 10th step
      }
    }
    assertThat(f.probability(1)).isCloseTo(1.0, within(0.05));
    assertThat(f.probability(2)).isCloseTo(0.1, within(0.02));
    assertThat(f.probability(3)).isCloseTo(1 / FrequencyEstimator.UNSEEN_GAP, within(1e-12));
  }
}
