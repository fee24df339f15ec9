package cs4j.sparsity;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hyperparameter records as name → value maps, and records built from defaults plus textual
 * overrides. The names are the record's component names (for example {@code s0}, {@code lambda},
 * {@code betaFinal}); the canonical map is what a run directory's hash is computed from.
 *
 * <p>Supported component types: {@code int}, {@code long}, {@code double}, {@code float}, {@code
 * boolean}, {@code String} and enums (written by constant name, read case-insensitively with '-'
 * for '_'). Validation stays in each record's compact constructor, so an override that makes a
 * record impossible fails there with that record's message.
 */
public final class Hyperparameters {
  private Hyperparameters() {}

  /** The record's components in declaration order; enums as their names. */
  public static Map<String, Object> toMap(Record config) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent c : config.getClass().getRecordComponents()) {
      Object v = read(config, c);
      out.put(c.getName(), v instanceof Enum<?> e ? e.name() : v);
    }
    return out;
  }

  /**
   * A copy of {@code defaults} with the named components replaced by the parsed values. Unknown
   * names and unparsable values are refused, naming the record and the known components.
   */
  public static <R extends Record> R override(R defaults, Map<String, String> overrides) {
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) defaults.getClass();
    RecordComponent[] comps = type.getRecordComponents();
    List<String> known = new ArrayList<>();
    for (RecordComponent c : comps) {
      known.add(c.getName());
    }
    for (String key : overrides.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown hyperparameter '"
                + key
                + "' for "
                + type.getSimpleName()
                + "; known: "
                + String.join(", ", known));
      }
    }
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      types[i] = c.getType();
      String text = overrides.get(c.getName());
      args[i] = text == null ? read(defaults, c) : parse(type, c, text.trim());
    }
    try {
      Constructor<R> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
    }
  }

  private static Object read(Record r, RecordComponent c) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName(), e);
    }
  }

  private static Object parse(Class<?> owner, RecordComponent c, String text) {
    Class<?> t = c.getType();
    try {
      if (t == int.class) {
        return Integer.parseInt(text);
      } else if (t == long.class) {
        return Long.parseLong(text);
      } else if (t == double.class) {
        return Double.parseDouble(text);
      } else if (t == float.class) {
        return Float.parseFloat(text);
      } else if (t == boolean.class) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(text);
      } else if (t == String.class) {
        return text;
      } else if (t.isEnum()) {
        String want = text.replace('-', '_').toUpperCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (Object k : t.getEnumConstants()) {
          String name = ((Enum<?>) k).name();
          if (name.equals(want)) {
            return k;
          }
          names.add(name.toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", names));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          owner.getSimpleName()
              + "."
              + c.getName()
              + ": cannot use '"
              + text
              + "' ("
              + e.getMessage()
              + ")",
          e);
    }
    throw new IllegalStateException(
        owner.getSimpleName() + "." + c.getName() + ": unsupported type " + t.getSimpleName());
  }
}
