package io.liverec.pipelines.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Builds a small graph through {@link TfOps}, sets its variables and evaluates outputs (tests and
 * layer benchmarks).
 */
public final class GraphRunner {
  private GraphRunner() {}

  /** Output values and shapes. */
  public record Value(float[] data, long[] shape) {}

  /**
   * Builds, initialises, evaluates once and closes.
   *
   * @param values variable values by name; variables not listed keep their initialiser's values
   */
  public static List<Value> run(
      Map<String, float[]> values, Function<TfOps, List<Operand<?>>> build) {
    try (Built built = build(values, build)) {
      return built.evaluate();
    }
  }

  /** Builds and initialises a graph that can be evaluated many times (benchmarks). */
  public static Built build(Map<String, float[]> values, Function<TfOps, List<Operand<?>>> build) {
    Graph g = new Graph();
    try {
      TfOps ops = new TfOps(org.tensorflow.op.Ops.create(g));
      List<Operand<?>> outs = build.apply(ops);
      Session s = new Session(g);
      List<Tensor> feeds = new ArrayList<>();
      if (!ops.variables().isEmpty()) {
        Session.Runner init = s.runner();
        for (TfOps.Var v : ops.variables().values()) {
          float[] x = values.getOrDefault(v.name(), v.init().values(v.shape(), v.name(), 1));
          TFloat32 t = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(x, true, false));
          feeds.add(t);
          init.feed(v.value(), t).addTarget(v.assign());
        }
        init.run().close();
      }
      feeds.forEach(Tensor::close);
      return new Built(g, s, outs);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** An initialised graph and its session. */
  public static final class Built implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final List<Operand<?>> outputs;

    private Built(Graph graph, Session session, List<Operand<?>> outputs) {
      this.graph = graph;
      this.session = session;
      this.outputs = outputs;
    }

    /** Runs the graph and copies its outputs out. */
    public List<Value> evaluate() {
      Session.Runner r = session.runner();
      outputs.forEach(r::fetch);
      List<Value> result = new ArrayList<>();
      try (Result res = r.run()) {
        for (int i = 0; i < outputs.size(); i++) {
          TFloat32 t = (TFloat32) res.get(i);
          float[] data = new float[Math.toIntExact(t.size())];
          t.copyTo(DataBuffers.of(data, false, false));
          result.add(new Value(data, t.shape().asArray()));
        }
      }
      return result;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}
