package io.liverec.pipelines.nn;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Ops} that append ONNX nodes to a graph (opset {@value #OPSET}). Variables become
 * initializers holding the trained values looked up by name, so the same layer code that built the
 * training graph builds the inference graph. Tensor handles are ONNX value names.
 */
public final class OnnxOps implements Ops<String> {

  /** ONNX opset the graph targets (ReduceSum takes axes as an input from 13 on). */
  public static final int OPSET = 13;

  private final GraphProto.Builder graph;
  private final Map<String, float[]> values;
  private final Set<String> usedNames = new HashSet<>();
  private int counter;

  /**
   * @param graph graph under construction (inputs are added by the caller)
   * @param values trained variable values by variable name
   */
  public OnnxOps(GraphProto.Builder graph, Map<String, float[]> values) {
    this.graph = graph;
    this.values = values;
  }

  @Override
  public String variable(String name, long[] shape, Init init) {
    float[] v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("no trained value for variable " + name);
    }
    if (v.length != Init.numel(shape)) {
      throw new IllegalStateException("variable " + name + " has " + v.length + " values");
    }
    return floatInitializer(name, v, shape);
  }

  @Override
  public String constant(float[] values, long... shape) {
    return floatInitializer(fresh("const"), values, shape);
  }

  private String floatInitializer(String name, float[] v, long[] shape) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long s : shape) {
      t.addDims(s);
    }
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.allocate(v.length * Float.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      buf.putFloat(x);
    }
    t.setRawData(com.google.protobuf.ByteString.copyFrom(buf.array()));
    graph.addInitializer(t);
    usedNames.add(name);
    return name;
  }

  private String longInitializer(long[] v) {
    String name = fresh("const_i64");
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(v.length);
    for (long x : v) {
      t.addInt64Data(x);
    }
    graph.addInitializer(t);
    return name;
  }

  private String fresh(String prefix) {
    String name;
    do {
      name = prefix + "_" + counter++;
    } while (usedNames.contains(name));
    usedNames.add(name);
    return name;
  }

  private NodeProto.Builder node(String opType, String... inputs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType));
    for (String in : inputs) {
      n.addInput(in);
    }
    return n;
  }

  private String emit(NodeProto.Builder n) {
    String out = n.getName() + "_out";
    n.addOutput(out);
    graph.addNode(n);
    return out;
  }

  private String unary(String op, String x) {
    return emit(node(op, x));
  }

  private String binary(String op, String a, String b) {
    return emit(node(op, a, b));
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  private static AttributeProto intsAttr(String name, long... v) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  /** Renames {@code value} to {@code name} with an Identity node (graph outputs). */
  public String identity(String value, String name) {
    graph.addNode(node("Identity", value).addOutput(name));
    return name;
  }

  @Override
  public String matmul(String a, String b) {
    return binary("MatMul", a, b);
  }

  @Override
  public String add(String a, String b) {
    return binary("Add", a, b);
  }

  @Override
  public String sub(String a, String b) {
    return binary("Sub", a, b);
  }

  @Override
  public String mul(String a, String b) {
    return binary("Mul", a, b);
  }

  @Override
  public String div(String a, String b) {
    return binary("Div", a, b);
  }

  @Override
  public String maximum(String a, String b) {
    return binary("Max", a, b);
  }

  @Override
  public String minimum(String a, String b) {
    return binary("Min", a, b);
  }

  @Override
  public String sigmoid(String x) {
    return unary("Sigmoid", x);
  }

  @Override
  public String relu(String x) {
    return unary("Relu", x);
  }

  @Override
  public String exp(String x) {
    return unary("Exp", x);
  }

  @Override
  public String log(String x) {
    return unary("Log", x);
  }

  @Override
  public String abs(String x) {
    return unary("Abs", x);
  }

  @Override
  public String square(String x) {
    return binary("Mul", x, x);
  }

  @Override
  public String sqrt(String x) {
    return unary("Sqrt", x);
  }

  @Override
  public String softmax(String x) {
    return emit(node("Softmax", x).addAttribute(intAttr("axis", -1)));
  }

  @Override
  public String reduceSum(String x, int axis, boolean keepDims) {
    return emit(
        node("ReduceSum", x, longInitializer(new long[] {axis}))
            .addAttribute(intAttr("keepdims", keepDims ? 1 : 0)));
  }

  @Override
  public String reduceMean(String x, int axis, boolean keepDims) {
    return emit(
        node("ReduceMean", x)
            .addAttribute(intsAttr("axes", axis))
            .addAttribute(intAttr("keepdims", keepDims ? 1 : 0)));
  }

  @Override
  public String concat(List<String> xs, int axis) {
    if (xs.size() == 1) {
      return xs.get(0);
    }
    return emit(node("Concat", xs.toArray(String[]::new)).addAttribute(intAttr("axis", axis)));
  }

  @Override
  public String reshape(String x, long... shape) {
    return binary("Reshape", x, longInitializer(shape));
  }

  @Override
  public String transpose(String x, int... perm) {
    long[] p = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      p[i] = perm[i];
    }
    return emit(node("Transpose", x).addAttribute(intsAttr("perm", p)));
  }

  @Override
  public String gather(String table, String ids) {
    return emit(node("Gather", table, ids).addAttribute(intAttr("axis", 0)));
  }

  @Override
  public String addIds(String ids, long[] offsets) {
    return binary("Add", ids, longInitializer(offsets));
  }

  @Override
  public String nonZeroMask(String ids) {
    String zero = longInitializer(new long[] {0});
    String isPad = binary("Equal", ids, zero);
    String notPad = unary("Not", isPad);
    return emit(
        node("Cast", notPad).addAttribute(intAttr("to", TensorProto.DataType.FLOAT.getNumber())));
  }
}
