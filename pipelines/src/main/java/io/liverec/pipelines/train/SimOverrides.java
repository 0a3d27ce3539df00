package io.liverec.pipelines.train;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.sim.SimulatorConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code name=value} overrides of {@link SimulatorConfig}'s public fields (the ablation's {@code
 * --sim} option), and a one-line description of every field so an ablation's reuse key changes
 * whenever any simulator setting does.
 */
final class SimOverrides {
  private SimOverrides() {}

  /** Applies {@code name=value} pairs to a copy of {@code base}; unknown names fail naming them. */
  static SimulatorConfig apply(SimulatorConfig base, List<String> assignments) {
    SimulatorConfig c = base.copy();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw LiverecException.badInput("--sim: expected name=value, got '" + a + "'");
      }
      String name = a.substring(0, eq).trim();
      String value = a.substring(eq + 1).trim();
      Field f = field(name);
      try {
        Class<?> t = f.getType();
        if (t == int.class) {
          f.setInt(c, Integer.parseInt(value));
        } else if (t == long.class) {
          f.setLong(c, Long.parseLong(value));
        } else if (t == double.class) {
          f.setDouble(c, Double.parseDouble(value));
        } else if (t == boolean.class) {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("not true/false");
          }
          f.setBoolean(c, Boolean.parseBoolean(value));
        } else if (t == LocalDate.class) {
          f.set(c, LocalDate.parse(value));
        } else {
          throw LiverecException.badInput("--sim: field '" + name + "' cannot be set");
        }
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw LiverecException.badInput(
            "--sim " + name + ": bad " + f.getType().getSimpleName() + " '" + value + "'");
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return c;
  }

  private static Field field(String name) {
    try {
      Field f = SimulatorConfig.class.getField(name);
      if (Modifier.isStatic(f.getModifiers())) {
        throw new NoSuchFieldException(name);
      }
      return f;
    } catch (NoSuchFieldException e) {
      throw LiverecException.badInput("--sim: SimulatorConfig has no field '" + name + "'");
    }
  }

  /** Every public field as {@code name=value}, in declaration order. */
  static String describe(SimulatorConfig c) {
    List<String> parts = new ArrayList<>();
    for (Field f : SimulatorConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      try {
        parts.add(f.getName() + "=" + f.get(c));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(" ", parts);
  }
}
