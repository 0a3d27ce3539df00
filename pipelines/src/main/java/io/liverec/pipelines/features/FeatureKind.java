package io.liverec.pipelines.features;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one raw column becomes model input. */
public enum FeatureKind {
  /** Categorical, hashed into {@code hashSize} ids (0 = missing). A sparse field. */
  @JsonProperty("hash")
  HASH,
  /** Categorical, the {@code maxVocab} most frequent training values get ids 1..V (0 = OOV). */
  @JsonProperty("vocab")
  VOCAB,
  /** Numeric, bucketized by training-window quantile boundaries (0 = missing/NaN/inf). Sparse. */
  @JsonProperty("bucket")
  BUCKET,
  /** Numeric, standardised with the training-window mean and standard deviation. Dense. */
  @JsonProperty("dense")
  DENSE,
  /** A list of categorical values (recent rooms), hashed, cut/padded to {@code length}. */
  @JsonProperty("sequence")
  SEQUENCE,
  /** A fixed-width float vector (multimodal content embedding), passed through. */
  @JsonProperty("vector")
  VECTOR
}
