package io.liverec.pipelines.features;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One feature of a {@link ColumnSpec}: which raw column it reads and how it is transformed.
 *
 * @param name feature name (unique; names the sparse field / dense input)
 * @param column raw column read (null = same as name)
 * @param kind the transform
 * @param size hash buckets ({@code hash}, {@code sequence}) or maximum vocabulary ({@code vocab});
 *     id 0 is reserved for missing/unknown
 * @param buckets number of quantile buckets ({@code bucket})
 * @param length padded length ({@code sequence}) or width ({@code vector})
 * @param salt hash salt (null = the feature name); give a sequence the name of the id feature it
 *     holds (e.g. {@code room_id}) so both share id space: that feature's vocabulary when it is a
 *     {@code vocab} feature, its hash otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureColumn(
    String name,
    String column,
    FeatureKind kind,
    Long size,
    Integer buckets,
    Integer length,
    String salt) {

  public String source() {
    return column == null ? name : column;
  }

  public String hashSalt() {
    return salt == null ? name : salt;
  }

  public static FeatureColumn hash(String name, long size) {
    return new FeatureColumn(name, null, FeatureKind.HASH, size, null, null, null);
  }

  public static FeatureColumn vocab(String name, long maxVocab) {
    return new FeatureColumn(name, null, FeatureKind.VOCAB, maxVocab, null, null, null);
  }

  public static FeatureColumn bucket(String name, int buckets) {
    return new FeatureColumn(name, null, FeatureKind.BUCKET, null, buckets, null, null);
  }

  public static FeatureColumn dense(String name) {
    return new FeatureColumn(name, null, FeatureKind.DENSE, null, null, null, null);
  }

  public static FeatureColumn sequence(String name, long size, int length, String salt) {
    return new FeatureColumn(name, null, FeatureKind.SEQUENCE, size, null, length, salt);
  }

  public static FeatureColumn vector(String name, int dim) {
    return new FeatureColumn(name, null, FeatureKind.VECTOR, null, null, dim, null);
  }
}
