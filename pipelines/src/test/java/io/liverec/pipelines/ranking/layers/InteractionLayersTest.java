package io.liverec.pipelines.ranking.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.GraphRunner;
import io.liverec.pipelines.nn.GraphRunner.Value;
import io.liverec.pipelines.nn.TfOps;
import io.liverec.pipelines.ranking.RankerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Numeric checks of the interaction layers against hand computations. */
class InteractionLayersTest {
  static final int N = 3; // rows
  static final int F = 4; // fields
  static final int D = 3; // embedding dim

  static float[] randomEmbeddings(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] e = new float[N * F * D];
    for (int i = 0; i < e.length; i++) {
      e[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return e;
  }

  static float at(float[] e, int n, int f, int d) {
    return e[(n * F + f) * D + d];
  }

  static Fields<org.tensorflow.Operand<?>> fields(TfOps ops, float[] e) {
    var emb = ops.constant(e, N, F, D);
    return new Fields<>(emb, F, D, null, 0, ops.reshape(emb, -1, F * D), F * D);
  }

  static RankerConfig config(ModelSpec m) {
    return RankerConfig.of(
        m,
        null,
        new FeatureSchema(
            List.of(
                new FeatureSchema.SparseField("a", 5),
                new FeatureSchema.SparseField("b", 5),
                new FeatureSchema.SparseField("c", 5),
                new FeatureSchema.SparseField("d", 5)),
            List.of(),
            0,
            0,
            0));
  }

  @Test
  void fmPairwiseEqualsNaivePairwiseSum() {
    float[] e = randomEmbeddings(1);
    Value v =
        GraphRunner.run(Map.of(), ops -> List.of(Fm.pairwise(ops, ops.constant(e, N, F, D))))
            .get(0);
    assertThat(v.shape()).containsExactly(N, 1);
    for (int n = 0; n < N; n++) {
      double naive = 0;
      for (int i = 0; i < F; i++) {
        for (int j = i + 1; j < F; j++) {
          for (int d = 0; d < D; d++) {
            naive += at(e, n, i, d) * at(e, n, j, d);
          }
        }
      }
      assertThat(v.data()[n]).isCloseTo((float) naive, offset(1e-5f));
    }
  }

  @Test
  void nfmBiInteractionEqualsNaiveElementwiseSum() {
    float[] e = randomEmbeddings(2);
    Value v =
        GraphRunner.run(Map.of(), ops -> List.of(Nfm.biInteraction(ops, ops.constant(e, N, F, D))))
            .get(0);
    assertThat(v.shape()).containsExactly(N, D);
    for (int n = 0; n < N; n++) {
      for (int d = 0; d < D; d++) {
        double naive = 0;
        for (int i = 0; i < F; i++) {
          for (int j = i + 1; j < F; j++) {
            naive += at(e, n, i, d) * at(e, n, j, d);
          }
        }
        assertThat(v.data()[n * D + d]).isCloseTo((float) naive, offset(1e-5f));
      }
    }
  }

  @Test
  void kfmWithIdentityKernelsEqualsFmInnerProducts() {
    float[] e = randomEmbeddings(3);
    for (String sharing : List.of("pair", "field", "shared")) {
      ModelSpec m = new ModelSpec();
      m.interactions = new ArrayList<>(List.of("kfm"));
      m.kfmKernelSharing = sharing;
      RankerConfig c = config(m);
      long[] shape =
          switch (sharing) {
            case "pair" -> new long[] {F, D, F * D};
            case "field" -> new long[] {F, D, D};
            default -> new long[] {D, D};
          };
      float[] kernel = identityKernels(shape);
      List<Value> v =
          GraphRunner.run(
              Map.of("kfm/kernel", kernel),
              ops -> {
                var f = fields(ops, e);
                return List.of(
                    c.interactions().get(Interactions.KFM).apply(ops, "kfm", f).wide(),
                    Fm.pairwise(ops, f.embeddings()));
              });
      assertThat(v.get(0).shape()).containsExactly(N, 1);
      for (int n = 0; n < N; n++) {
        assertThat(v.get(0).data()[n]).as(sharing).isCloseTo(v.get(1).data()[n], offset(1e-5f));
      }
    }
  }

  /**
   * The linear form of field and shared kernels equals the quadratic block form ({@link Kfm#term})
   * with the same kernels repeated along the block rows.
   */
  @Test
  void kfmLinearFormEqualsTheBlockForm() {
    float[] e = randomEmbeddings(8);
    for (String sharing : List.of("field", "shared")) {
      SplittableRandom r = new SplittableRandom(9);
      int kernels = sharing.equals("field") ? F : 1;
      float[] kernel = new float[kernels * D * D]; // [i][a][b] = phi_i[a][b]
      for (int k = 0; k < kernel.length; k++) {
        kernel[k] = (float) r.nextGaussian();
      }
      float[] blocks = new float[F * D * F * D]; // row (i, a), column (j, b) = phi_i[a][b]
      for (int i = 0; i < F; i++) {
        int owner = kernels == F ? i : 0;
        for (int a = 0; a < D; a++) {
          for (int j = 0; j < F; j++) {
            for (int b = 0; b < D; b++) {
              blocks[(i * D + a) * F * D + j * D + b] = kernel[(owner * D + a) * D + b];
            }
          }
        }
      }
      ModelSpec m = new ModelSpec();
      m.interactions = new ArrayList<>(List.of("kfm"));
      m.kfmKernelSharing = sharing;
      RankerConfig c = config(m);
      List<Value> v =
          GraphRunner.run(
              Map.of("kfm/kernel", kernel),
              ops -> {
                var f = fields(ops, e);
                return List.of(
                    c.interactions().get(Interactions.KFM).apply(ops, "kfm", f).wide(),
                    Kfm.term(ops, f.embeddings(), ops.constant(blocks, F * D, F * D), F, D));
              });
      assertThat(v.get(0).shape()).containsExactly(N, 1);
      for (int n = 0; n < N; n++) {
        assertThat(v.get(0).data()[n])
            .as("%s row %d", sharing, n)
            .isCloseTo(v.get(1).data()[n], offset(1e-5f));
      }
    }
  }

  @Test
  void kfmPairKernelsMatchTheDefinition() {
    float[] e = randomEmbeddings(4);
    SplittableRandom r = new SplittableRandom(5);
    float[] kernel = new float[F * D * F * D]; // [i][a][j*D + b] = phi_ij[a][b]
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] = (float) r.nextGaussian();
    }
    ModelSpec m = new ModelSpec();
    m.interactions = new ArrayList<>(List.of("kfm"));
    m.kfmKernelSharing = "pair";
    RankerConfig c = config(m);
    Value v =
        GraphRunner.run(
                Map.of("kfm/kernel", kernel),
                ops ->
                    List.of(
                        c.interactions()
                            .get(Interactions.KFM)
                            .apply(ops, "kfm", fields(ops, e))
                            .wide()))
            .get(0);
    for (int n = 0; n < N; n++) {
      double expected = 0;
      for (int i = 0; i < F; i++) {
        for (int j = i + 1; j < F; j++) {
          for (int a = 0; a < D; a++) {
            for (int b = 0; b < D; b++) {
              expected += at(e, n, i, a) * kernel[(i * D + a) * F * D + j * D + b] * at(e, n, j, b);
            }
          }
        }
      }
      assertThat(v.data()[n]).isCloseTo((float) expected, offset(1e-4f));
    }
  }

  @Test
  void crossLayerMatchesTheRecurrence() {
    float[] e = randomEmbeddings(6);
    int k = F * D;
    SplittableRandom r = new SplittableRandom(7);
    float[][] w = new float[2][k];
    float[][] b = new float[2][k];
    for (int l = 0; l < 2; l++) {
      for (int i = 0; i < k; i++) {
        w[l][i] = (float) r.nextGaussian() * 0.3f;
        b[l][i] = (float) r.nextGaussian() * 0.1f;
      }
    }
    Value v = runTwoCrossLayers(e, "vector", "w", w, b);
    for (int n = 0; n < N; n++) {
      double[] x0 = row(e, n, k);
      double[] x = x0.clone();
      for (int l = 0; l < 2; l++) {
        double xw = 0;
        for (int i = 0; i < k; i++) {
          xw += x[i] * w[l][i];
        }
        double[] next = new double[k];
        for (int i = 0; i < k; i++) {
          next[i] = x0[i] * xw + b[l][i] + x[i];
        }
        x = next;
      }
      for (int i = 0; i < k; i++) {
        assertThat(v.data()[n * k + i]).isCloseTo((float) x[i], offset(1e-5f));
      }
    }
  }

  @Test
  void matrixCrossLayerMatchesTheDcnV2Recurrence() {
    float[] e = randomEmbeddings(16);
    int k = F * D;
    SplittableRandom r = new SplittableRandom(17);
    float[][] w = new float[2][k * k]; // row-major [k, k]: (x W)_j = sum_i x_i W[i][j]
    float[][] b = new float[2][k];
    for (int l = 0; l < 2; l++) {
      for (int i = 0; i < k * k; i++) {
        w[l][i] = (float) r.nextGaussian() * 0.2f;
      }
      for (int i = 0; i < k; i++) {
        b[l][i] = (float) r.nextGaussian() * 0.1f;
      }
    }
    Value v = runTwoCrossLayers(e, "matrix", "W", w, b);
    for (int n = 0; n < N; n++) {
      double[] x0 = row(e, n, k);
      double[] x = x0.clone();
      for (int l = 0; l < 2; l++) {
        double[] next = new double[k];
        for (int j = 0; j < k; j++) {
          double xw = b[l][j];
          for (int i = 0; i < k; i++) {
            xw += x[i] * w[l][i * k + j];
          }
          next[j] = x0[j] * xw + x[j];
        }
        x = next;
      }
      for (int j = 0; j < k; j++) {
        assertThat(v.data()[n * k + j]).isCloseTo((float) x[j], offset(1e-4f));
      }
    }
  }

  /** Two cross layers of {@code form} with the given weights (named {@code weightName}). */
  private static Value runTwoCrossLayers(
      float[] e, String form, String weightName, float[][] w, float[][] b) {
    ModelSpec m = new ModelSpec();
    m.interactions = new ArrayList<>(List.of("cross"));
    m.crossLayers = 2;
    m.crossForm = form;
    RankerConfig c = config(m);
    Map<String, float[]> vars = new java.util.HashMap<>();
    for (int l = 0; l < 2; l++) {
      vars.put("cross/layer" + l + "/" + weightName, w[l]);
      vars.put("cross/layer" + l + "/b", b[l]);
    }
    Value v =
        GraphRunner.run(
                vars,
                ops ->
                    List.of(
                        c.interactions()
                            .get(Interactions.CROSS)
                            .apply(ops, "cross", fields(ops, e))
                            .wide()))
            .get(0);
    assertThat(v.shape()).containsExactly(N, F * D);
    return v;
  }

  /** Row {@code n} of a row-major [N, k] array, widened. */
  private static double[] row(float[] a, int n, int k) {
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      out[i] = a[n * k + i];
    }
    return out;
  }

  @Test
  void autoIntLayerMatchesHandAttention() {
    float[] e = randomEmbeddings(8);
    int heads = 2;
    int out = heads * D;
    SplittableRandom r = new SplittableRandom(9);
    Map<String, float[]> w = new java.util.HashMap<>();
    for (String p : List.of("query", "key", "value", "residual")) {
      float[] m = new float[D * out];
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) r.nextGaussian() * 0.5f;
      }
      w.put("att/" + p, m);
    }
    Value v =
        GraphRunner.run(
                w,
                ops -> List.of(AutoInt.layer(ops, "att", ops.constant(e, N, F, D), F, D, heads, D)))
            .get(0);
    assertThat(v.shape()).containsExactly(N, F, out);
    for (int n = 0; n < N; n++) {
      double[][][] proj = new double[4][F][out]; // q, k, v, residual
      String[] names = {"query", "key", "value", "residual"};
      for (int p = 0; p < 4; p++) {
        float[] m = w.get("att/" + names[p]);
        for (int f = 0; f < F; f++) {
          for (int o = 0; o < out; o++) {
            for (int d = 0; d < D; d++) {
              proj[p][f][o] += at(e, n, f, d) * m[d * out + o];
            }
          }
        }
      }
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < F; i++) {
          double[] scores = new double[F];
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < F; k++) {
            for (int a = 0; a < D; a++) {
              scores[k] += proj[0][i][h * D + a] * proj[1][k][h * D + a];
            }
            max = Math.max(max, scores[k]);
          }
          double z = 0;
          for (int k = 0; k < F; k++) {
            scores[k] = Math.exp(scores[k] - max);
            z += scores[k];
          }
          for (int a = 0; a < D; a++) {
            double mixed = 0;
            for (int k = 0; k < F; k++) {
              mixed += scores[k] / z * proj[2][k][h * D + a];
            }
            double expected = Math.max(0, mixed + proj[3][i][h * D + a]);
            assertThat(v.data()[(n * F + i) * out + h * D + a])
                .isCloseTo((float) expected, offset(1e-4f));
          }
        }
      }
    }
  }

  @Test
  void bitIntLayerMatchesHandUnitAttention() {
    float[] e = randomEmbeddings(10);
    int units = F * D;
    int rank = 2;
    SplittableRandom r = new SplittableRandom(11);
    Map<String, float[]> w = new java.util.HashMap<>();
    w.put("bit/head0/query", gaussian(r, units));
    w.put("bit/head0/key", gaussian(r, units * rank));
    w.put("bit/head0/value", gaussian(r, units * rank));
    w.put("bit/head0/output", gaussian(r, units));
    w.put("bit/residual", gaussian(r, units));
    Value v =
        GraphRunner.run(
                w,
                ops -> List.of(BitInt.layer(ops, "bit", ops.constant(e, N, units), units, rank, 1)))
            .get(0);
    assertThat(v.shape()).containsExactly(N, units);
    for (int n = 0; n < N; n++) {
      double[] k = new double[rank];
      double[] val = new double[rank];
      for (int m = 0; m < rank; m++) {
        for (int u = 0; u < units; u++) {
          k[m] += e[n * units + u] * w.get("bit/head0/key")[u * rank + m];
          val[m] += e[n * units + u] * w.get("bit/head0/value")[u * rank + m];
        }
      }
      for (int i = 0; i < units; i++) {
        double q = e[n * units + i] * w.get("bit/head0/query")[i];
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < rank; m++) {
          max = Math.max(max, q * k[m]);
        }
        double z = 0;
        double mixed = 0;
        for (int m = 0; m < rank; m++) {
          double a = Math.exp(q * k[m] - max);
          z += a;
          mixed += a * val[m];
        }
        double expected =
            Math.max(
                0,
                mixed / z * w.get("bit/head0/output")[i]
                    + e[n * units + i] * w.get("bit/residual")[i]);
        assertThat(v.data()[n * units + i]).isCloseTo((float) expected, offset(1e-4f));
      }
    }
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian() * 0.5f;
    }
    return x;
  }

  private static float[] identityKernels(long[] shape) {
    int size = 1;
    for (long s : shape) {
      size *= (int) s;
    }
    float[] k = new float[size];
    int rows = (int) (size / shape[shape.length - 1]);
    int cols = (int) shape[shape.length - 1];
    for (int row = 0; row < rows; row++) {
      int a = row % D;
      for (int col = 0; col < cols; col++) {
        if (col % D == a) {
          k[row * cols + col] = 1f;
        }
      }
    }
    return k;
  }
}
