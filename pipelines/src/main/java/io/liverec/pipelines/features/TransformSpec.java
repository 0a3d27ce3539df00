package io.liverec.pipelines.features;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.liverec.api.errors.LiverecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fitted feature transform: the column spec plus what was learnt from the training window
 * (vocabularies, bucket boundaries, means and standard deviations). Saved as {@code transform.json}
 * next to the model; serving loads the same file into a {@link FeatureTransform}, so training and
 * serving build identical inputs.
 *
 * @param columns the column spec it was fitted for
 * @param fitted one entry per feature, in {@link ColumnSpec#features()} order
 * @param fitWindow human-readable description of the rows it was fitted on
 * @param fitRows number of rows it was fitted on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformSpec(
    ColumnSpec columns, List<Fitted> fitted, String fitWindow, long fitRows) {

  public static final String FILE_NAME = "transform.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What one feature learnt.
   *
   * @param name feature name
   * @param vocab {@code vocab}: values with ids 1..V, most frequent first
   * @param boundaries {@code bucket}: ascending distinct boundaries; bucket id = 1 + number of
   *     boundaries ≤ x
   * @param mean {@code dense}: training mean of the finite values (also the NaN/inf replacement)
   * @param std {@code dense}: training population standard deviation (1 when 0)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Fitted(
      String name, List<String> vocab, double[] boundaries, Double mean, Double std) {}

  public TransformSpec {
    if (fitted.size() != columns.features().size()) {
      throw new IllegalArgumentException(
          "transform has " + fitted.size() + " fitted entries for " + columns.features().size());
    }
  }

  /** The model-facing shape these features produce. */
  @JsonIgnore
  public FeatureSchema schema() {
    List<FeatureSchema.SparseField> sparse = new ArrayList<>();
    List<String> dense = new ArrayList<>();
    int seqLength = 0;
    long seqVocab = 0;
    int mm = 0;
    for (int i = 0; i < fitted.size(); i++) {
      FeatureColumn c = columns.features().get(i);
      Fitted f = fitted.get(i);
      switch (c.kind()) {
        case HASH -> sparse.add(new FeatureSchema.SparseField(c.name(), c.size()));
        case VOCAB -> sparse.add(new FeatureSchema.SparseField(c.name(), f.vocab().size() + 1L));
        case BUCKET ->
            sparse.add(new FeatureSchema.SparseField(c.name(), f.boundaries().length + 2L));
        case DENSE -> dense.add(c.name());
        case SEQUENCE -> {
          seqLength = c.length();
          int shared = vocabFeature(c.hashSalt());
          seqVocab = shared < 0 ? c.size() : fitted.get(shared).vocab().size() + 1L;
        }
        case VECTOR -> mm += c.length();
      }
    }
    return new FeatureSchema(sparse, dense, seqLength, seqVocab, mm);
  }

  /** Index of the {@code vocab} feature called {@code name}, or -1. */
  int vocabFeature(String name) {
    for (int i = 0; i < fitted.size(); i++) {
      FeatureColumn c = columns.features().get(i);
      if (c.kind() == FeatureKind.VOCAB && c.name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public void save(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static TransformSpec load(Path file) {
    try {
      return JSON.readValue(file.toFile(), TransformSpec.class);
    } catch (IOException e) {
      throw LiverecException.badInput("cannot read transform spec " + file + ": " + e.getMessage());
    }
  }
}
