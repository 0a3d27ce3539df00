package io.liverec.pipelines.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The running half of a model built on {@link TfOps}: the session over its graph, every variable
 * initialised from the seed, SaveV2/RestoreV2 checkpoints of all registered variables (model,
 * optimizer slots, task weights), and {@link Call}s that own their fed tensors. Open it after the
 * whole graph is built: the checkpoint ops cover the variables registered by then.
 */
public final class GraphSession implements AutoCloseable {
  private final Graph graph;
  private final TfOps ops;
  private final Session session;
  private final String checkpointName;
  private final Placeholder<TString> checkpointPrefix;
  private final Op saveOp;
  private final List<Op> restoreOps = new ArrayList<>();

  /**
   * @param orderedOps run independent ops in one fixed order (one inter-op thread), so a step never
   *     depends on thread scheduling and a resumed run continues bit for bit; intra-op threads
   *     still use every core inside each kernel
   * @param checkpointName file prefix of checkpoints inside a checkpoint directory
   */
  public GraphSession(
      Graph graph, TfOps ops, long seed, boolean orderedOps, String checkpointName) {
    this.graph = graph;
    this.ops = ops;
    this.checkpointName = checkpointName;
    org.tensorflow.op.Ops tf = ops.tf();
    this.checkpointPrefix = tf.withName("checkpoint_prefix").placeholder(TString.class);
    List<String> names = List.copyOf(ops.variables().keySet());
    String[] nameArray = names.toArray(String[]::new);
    String[] slices = new String[nameArray.length];
    Arrays.fill(slices, "");
    List<Operand<?>> tensors = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    for (String name : names) {
      tensors.add(ops.variables().get(name).variable());
      types.add(TFloat32.class);
    }
    var nameConst = tf.constant(StandardCharsets.UTF_8, nameArray);
    var sliceConst = tf.constant(StandardCharsets.UTF_8, slices);
    this.saveOp = tf.train.save(checkpointPrefix, nameConst, sliceConst, tensors);
    Restore restored = tf.train.restore(checkpointPrefix, nameConst, sliceConst, types);
    for (int i = 0; i < nameArray.length; i++) {
      restoreOps.add(
          tf.assign(
              ops.variables().get(nameArray[i]).variable(), TfOps.f(restored.tensors().get(i))));
    }
    this.session =
        orderedOps
            ? new Session(
                graph,
                org.tensorflow.proto.ConfigProto.newBuilder()
                    .setInterOpParallelismThreads(1)
                    .build())
            : new Session(graph);
    ops.initialise(session, seed);
  }

  /** A new call: feed, fetch, target, run; closing it closes every tensor it was fed. */
  public Call call() {
    return new Call(session.runner());
  }

  /** Current values of the named variables, in the given order. */
  public Map<String, float[]> values(List<String> names) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Call c = call()) {
      names.forEach(n -> c.fetch(ops.variables().get(n).variable()));
      try (Result r = c.run()) {
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), Tensors.read(r.get(i)));
        }
      }
    }
    return out;
  }

  /** The current value of one operand (a variable or anything computable without feeds). */
  public float[] value(Operand<?> operand) {
    try (Call c = call().fetch(operand);
        Result r = c.run()) {
      return Tensors.read(r.get(0));
    }
  }

  /** Writes every registered variable to {@code dir/<checkpointName>.*}. */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
    }
    try (TString prefix = TString.scalarOf(prefixIn(dir))) {
      session.runner().feed(checkpointPrefix, prefix).addTarget(saveOp).run().close();
    }
  }

  /**
   * Reads every registered variable back.
   *
   * @throws IllegalArgumentException when {@code dir} holds no checkpoint, or one of another model
   */
  public void restore(Path dir) {
    Path index = dir.resolve(checkpointName + ".index");
    if (!Files.isRegularFile(index)) {
      throw new IllegalArgumentException(
          "no " + checkpointName + " checkpoint in " + dir + " (missing " + index + ")");
    }
    try (TString prefix = TString.scalarOf(prefixIn(dir))) {
      Session.Runner runner = session.runner().feed(checkpointPrefix, prefix);
      restoreOps.forEach(runner::addTarget);
      runner.run().close();
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new IllegalArgumentException(
          "checkpoint " + dir + " does not match this model: " + e.getMessage(), e);
    }
  }

  private String prefixIn(Path dir) {
    return dir.resolve(checkpointName).toAbsolutePath().toString();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  /** One session run that owns the tensors fed to it. */
  public static final class Call implements AutoCloseable {
    private final Session.Runner runner;
    private final List<Tensor> fed = new ArrayList<>();

    private Call(Session.Runner runner) {
      this.runner = runner;
    }

    /** Feeds {@code value} to {@code input}; the call closes {@code value}. */
    public Call feed(Operand<?> input, Tensor value) {
      fed.add(value);
      runner.feed(input, value);
      return this;
    }

    public Call fetch(Operand<?> output) {
      runner.fetch(output);
      return this;
    }

    public Call target(Op op) {
      runner.addTarget(op);
      return this;
    }

    /** Runs; the caller closes the result. */
    public Result run() {
      return runner.run();
    }

    @Override
    public void close() {
      fed.forEach(Tensor::close);
    }
  }
}
