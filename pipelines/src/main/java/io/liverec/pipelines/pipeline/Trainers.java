package io.liverec.pipelines.pipeline;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The trainer of each task. {@link #defaults()} holds the trainers registered through {@code
 * META-INF/services/io.liverec.pipelines.pipeline.Trainer} with their default options; {@link
 * #with} replaces one (e.g. a ranking trainer that draws a progress bar).
 */
public final class Trainers {
  private final Map<Task, Trainer> byTask;

  private Trainers(Map<Task, Trainer> byTask) {
    this.byTask = byTask;
  }

  /** The registered trainers. */
  public static Trainers defaults() {
    Map<Task, Trainer> m = new EnumMap<>(Task.class);
    for (Trainer t : ServiceLoader.load(Trainer.class, Trainers.class.getClassLoader())) {
      Trainer before = m.put(t.task(), t);
      if (before != null) {
        throw new IllegalStateException(
            "two trainers for task " + t.task() + ": " + before.getClass() + ", " + t.getClass());
      }
    }
    return new Trainers(m);
  }

  /** These trainers only. */
  public static Trainers of(List<Trainer> trainers) {
    Map<Task, Trainer> m = new EnumMap<>(Task.class);
    trainers.forEach(t -> m.put(t.task(), t));
    return new Trainers(m);
  }

  /** A copy where {@code trainer} runs its task. */
  public Trainers with(Trainer trainer) {
    Map<Task, Trainer> m = new EnumMap<>(Task.class);
    m.putAll(byTask);
    m.put(trainer.task(), trainer);
    return new Trainers(m);
  }

  /** The trainer of the run's {@code spec.task} (ranking when unset). */
  public Trainer forRun(TrainingRun run) {
    if (run == null || run.getSpec() == null) {
      throw LiverecException.badInput("TrainingRun has no spec");
    }
    return forTask(run.getSpec().task == null ? Task.RANKING : run.getSpec().task);
  }

  public Trainer forTask(Task task) {
    Trainer t = byTask.get(task);
    if (t == null) {
      throw LiverecException.badInput(
          "spec.task: no trainer for '" + task + "' (have " + byTask.keySet() + ")");
    }
    return t;
  }
}
