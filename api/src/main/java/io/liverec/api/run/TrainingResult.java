package io.liverec.api.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished training reports. On a cluster the trainer container writes it as JSON to its
 * termination message ({@code /dev/termination-log}, at most 4 KiB) and the operator copies it into
 * the TrainingRun status; embedded, the runner returns it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrainingResult {
  /** Where the trainer writes the result in its container (the Kubernetes default path). */
  public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  private static final ObjectMapper JSON = new ObjectMapper();

  public Map<String, Double> metrics = new LinkedHashMap<>();
  public String mlflowRunId;
  public String modelUri;

  /** Registered model version, when the gates passed and the model was registered. */
  public String modelVersion;

  /** One line per gate that did not hold, with the value against the bound; empty = passed. */
  public List<String> gateFailures = new ArrayList<>();

  /**
   * Why the run is not (fully) in MLflow although a tracking server was configured, e.g. the server
   * was unreachable; null when tracking succeeded or is not configured. The run is kept in the
   * trainer's run directory and {@code liverec sync} uploads it later.
   */
  public String trackingError;

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a result; throws {@link IllegalArgumentException} saying what is wrong. */
  public static TrainingResult fromJson(String json) {
    try {
      TrainingResult r = JSON.readValue(json, TrainingResult.class);
      if (r.metrics == null) {
        r.metrics = new LinkedHashMap<>();
      }
      if (r.gateFailures == null) {
        r.gateFailures = new ArrayList<>();
      }
      return r;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a training result: " + e.getOriginalMessage(), e);
    }
  }
}
