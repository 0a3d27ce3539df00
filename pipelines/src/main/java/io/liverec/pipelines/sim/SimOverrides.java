package io.liverec.pipelines.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.liverec.api.errors.LiverecException;
import java.util.List;

/**
 * {@code name=value} overrides of {@link SimulatorConfig}'s public fields (the {@code --sim} option
 * of {@code liverec simulate} and {@code liverec ablate ranking}), applied by Jackson's {@code
 * readerForUpdating}, and a one-line JSON of every field so an ablation's reuse key changes
 * whenever any simulator setting does.
 */
public final class SimOverrides {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules() // java.time for startDay, when on the class path
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private SimOverrides() {}

  /** Applies {@code name=value} pairs to a copy of {@code base}; bad ones fail naming the field. */
  public static SimulatorConfig apply(SimulatorConfig base, List<String> assignments) {
    SimulatorConfig c = base.copy();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw LiverecException.badInput("--sim: expected name=value, got '" + a + "'");
      }
      String name = a.substring(0, eq).trim();
      String value = a.substring(eq + 1).trim();
      ObjectNode node = JSON.createObjectNode();
      if (value.equals("true") || value.equals("false")) {
        node.put(name, Boolean.parseBoolean(value));
      } else {
        node.put(name, value); // numbers and dates coerced from text by the field's type
      }
      try {
        JSON.readerForUpdating(c).readValue(node);
      } catch (java.io.IOException e) {
        String why = e instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage();
        throw LiverecException.badInput("--sim " + name + "=" + value + ": " + why);
      }
    }
    return c;
  }

  /** Every public field as one line of JSON, in declaration order. */
  public static String describe(SimulatorConfig c) {
    try {
      return JSON.writeValueAsString(c);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot describe the simulator configuration", e);
    }
  }
}
