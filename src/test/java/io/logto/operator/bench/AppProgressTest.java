package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppProgressTest {

  @Test
  void percentilesAreNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(AppProgress.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(AppProgress.percentile(sorted, 0.95)).isEqualTo(10);
    assertThat(AppProgress.percentile(new double[] {42}, 0.95)).isEqualTo(42);
    assertThat(AppProgress.percentile(new double[0], 0.5)).isZero();
  }
}
