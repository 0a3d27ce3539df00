package io.liverec.pipelines.ranking.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.liverec.pipelines.nn.GraphRunner;
import io.liverec.pipelines.nn.GraphRunner.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PcGradTest {

  /** Two tasks, each gradient split over two variables (a 2-vector and a scalar-like 1-vector). */
  static float[][] combine(float[] g1, float[] g2) {
    return combine(g1, g2, PcGrad.Scope.GLOBAL);
  }

  static float[][] combine(float[] g1, float[] g2, PcGrad.Scope scope) {
    List<Value> v =
        GraphRunner.run(
            Map.of(),
            ops ->
                PcGrad.combine(
                    ops,
                    List.of(
                        List.of(
                            ops.constant(new float[] {g1[0], g1[1]}, 2),
                            ops.constant(new float[] {g1[2]}, 1)),
                        List.of(
                            ops.constant(new float[] {g2[0], g2[1]}, 2),
                            ops.constant(new float[] {g2[2]}, 1))),
                    7,
                    scope));
    return new float[][] {v.get(0).data(), v.get(1).data()};
  }

  @Test
  void conflictingGradientsAreProjectedByTheFormula() {
    float[] g1 = {1, 2, -1};
    float[] g2 = {-2, 0.5f, 1};
    double dot = 1 * -2 + 2 * 0.5 + -1 * 1; // -2 < 0: conflict
    double n1 = 1 + 4 + 1;
    double n2 = 4 + 0.25 + 1;
    double[] p1 = new double[3];
    double[] p2 = new double[3];
    for (int i = 0; i < 3; i++) {
      p1[i] = g1[i] - dot / n2 * g2[i];
      p2[i] = g2[i] - dot / n1 * g1[i];
    }
    float[][] out = combine(g1, g2);
    assertThat(out[0][0]).isCloseTo((float) (p1[0] + p2[0]), offset(1e-6f));
    assertThat(out[0][1]).isCloseTo((float) (p1[1] + p2[1]), offset(1e-6f));
    assertThat(out[1][0]).isCloseTo((float) (p1[2] + p2[2]), offset(1e-6f));
    // the projected gradients no longer conflict with the other task
    double d = 0;
    for (int i = 0; i < 3; i++) {
      d += p1[i] * g2[i];
    }
    assertThat(d).isCloseTo(0, offset(1e-9));
  }

  @Test
  void nonConflictingGradientsAreLeftUnchanged() {
    float[] g1 = {1, 2, -1};
    float[] g2 = {2, 0.5f, 1}; // dot = 2 > 0
    float[][] out = combine(g1, g2);
    assertThat(out[0]).containsExactly(g1[0] + g2[0], g1[1] + g2[1]);
    assertThat(out[1]).containsExactly(g1[2] + g2[2]);
  }

  @Test
  void perVariableScopeProjectsAConflictThatTheGlobalDotProductHides() {
    // the tasks agree on the first variable (dot 2 + 1 = 3) and conflict on the second (-1 · 2 =
    // -2); over both the dot product is 1 > 0, so the global form changes nothing
    float[] g1 = {1, 2, -1};
    float[] g2 = {2, 0.5f, 2};
    float[][] global = combine(g1, g2, PcGrad.Scope.GLOBAL);
    assertThat(global[0]).containsExactly(3f, 2.5f);
    assertThat(global[1]).containsExactly(1f);
    float[][] perVariable = combine(g1, g2, PcGrad.Scope.VARIABLE);
    // first variable: no conflict, unchanged
    assertThat(perVariable[0]).containsExactly(3f, 2.5f);
    // second: p1 = -1 - (-2 / 4) · 2 = 0 and p2 = 2 - (-2 / 1) · (-1) = 0
    assertThat(perVariable[1][0]).isCloseTo(0f, offset(1e-6f));
  }

  @Test
  void perRowScopeProjectsOnlyTheConflictingRowsOfALookupTable() {
    // a 2×2 table: row 0 conflicts (2·-1 + 0·1 = -2), row 1 agrees (3·1 = 3); over the whole
    // table the dot product is 1 > 0, so the global and per-variable forms change nothing
    float[] g1 = {2, 0, 3, 0};
    float[] g2 = {-1, 1, 1, 0};
    java.util.function.Function<PcGrad.Scope, float[]> run =
        scope ->
            GraphRunner.run(
                    Map.of(),
                    ops ->
                        PcGrad.combine(
                            ops,
                            List.of(
                                List.of(ops.constant(g1, 2, 2)), List.of(ops.constant(g2, 2, 2))),
                            7,
                            scope,
                            List.of(true)))
                .get(0)
                .data();
    assertThat(run.apply(PcGrad.Scope.VARIABLE)).containsExactly(1, 1, 4, 0);
    // row 0: p1 = (2, 0) - (-2 / 2)·(-1, 1) = (1, 1); p2 = (-1, 1) - (-2 / 4)·(2, 0) = (0, 1)
    float[] rows = run.apply(PcGrad.Scope.ROW);
    assertThat(rows[0]).isCloseTo(1f, offset(1e-6f));
    assertThat(rows[1]).isCloseTo(2f, offset(1e-6f));
    // row 1: no conflict, unchanged
    assertThat(rows[2]).isEqualTo(4f);
    assertThat(rows[3]).isEqualTo(0f);
  }
}
