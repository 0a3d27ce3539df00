package io.liverec.pipelines.ranking.multitask;

import io.liverec.pipelines.nn.Dense;
import io.liverec.pipelines.nn.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registry of shared-bottom structures (spec field {@code model.multitask.experts}): {@code none}
 * (one shared DNN), {@code mmoe} (shared experts, one softmax gate per task) and {@code cgc} (one
 * PLE level: task-specific plus shared experts, each task's gate mixing its own and the shared
 * ones). Every expert is a ReLU MLP with {@code model.hiddenUnits}. Variables owned by one task are
 * named {@code <task>/...}.
 */
public enum Experts {
  NONE("none"),
  MMOE("mmoe"),
  CGC("cgc");

  private final String specName;

  Experts(String specName) {
    this.specName = specName;
  }

  public String specName() {
    return specName;
  }

  /**
   * The bottom's output per task ({@code [N, width]} each) and the names of the kernels of the last
   * shared layer (GradNorm's W).
   */
  public record Bottom<T>(Map<String, T> perTask, int width, List<String> lastSharedKernels) {}

  /**
   * What a shared bottom needs to know.
   *
   * @param hiddenUnits every expert's (or the shared DNN's) ReLU MLP widths
   * @param tasks one output per task
   * @param numExperts shared experts (mmoe, cgc)
   * @param taskExperts task-specific experts per task (cgc)
   */
  public record Settings(
      List<Integer> hiddenUnits, List<String> tasks, int numExperts, int taskExperts) {}

  public <T> Bottom<T> apply(Ops<T> ops, String scope, T x, int in, Settings c) {
    List<Integer> units = c.hiddenUnits();
    int width = units.get(units.size() - 1);
    String last = "/dense" + (units.size() - 1) + "/kernel";
    Map<String, T> perTask = new LinkedHashMap<>();
    List<String> lastShared = new ArrayList<>();
    switch (this) {
      case NONE -> {
        T h = Dense.mlp(ops, scope + "/bottom", x, in, units);
        for (String task : c.tasks()) {
          perTask.put(task, h);
        }
        lastShared.add(scope + "/bottom" + last);
      }
      case MMOE, CGC -> {
        List<T> shared = new ArrayList<>();
        for (int k = 0; k < c.numExperts(); k++) {
          String name = scope + "/expert" + k;
          shared.add(Dense.mlp(ops, name, x, in, units));
          lastShared.add(name + last);
        }
        for (String task : c.tasks()) {
          List<T> candidates = new ArrayList<>();
          if (this == CGC) {
            for (int k = 0; k < c.taskExperts(); k++) {
              candidates.add(Dense.mlp(ops, task + "/expert" + k, x, in, units));
            }
          }
          candidates.addAll(shared);
          perTask.put(task, gate(ops, task + "/gate", x, in, candidates, width));
        }
      }
    }
    return new Bottom<>(perTask, width, lastShared);
  }

  /** Softmax-gated mixture of experts {@code [N, width]} each → {@code [N, width]}. */
  public static <T> T gate(Ops<T> ops, String name, T x, int in, List<T> experts, int width) {
    int k = experts.size();
    List<T> stacked = new ArrayList<>();
    for (T e : experts) {
      stacked.add(ops.reshape(e, -1, 1, width));
    }
    T all = ops.concat(stacked, 1); // [N, K, width]
    T weights = ops.softmax(Dense.layer(ops, name, x, in, k, false)); // [N, K]
    T mixed = ops.matmul(ops.reshape(weights, -1, 1, k), all); // [N, 1, width]
    return ops.reshape(mixed, -1, width);
  }

  /**
   * @throws IllegalArgumentException naming {@code model.multitask.experts}
   */
  public static Experts byName(String name) {
    String n = name == null ? "none" : name.trim().toLowerCase(Locale.ROOT);
    for (Experts e : values()) {
      if (e.specName.equals(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "model.multitask.experts: unknown '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(Experts::specName).toList()
            + ")");
  }
}
