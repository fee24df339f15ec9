package cs4j.cli;

import cs4j.io.Json;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON text of a hyperparameter set, and its hash, which names the run directory.
 *
 * <p>Canonical means: object keys sorted (by UTF-16 code units, {@link String#compareTo}), no
 * whitespace, and numbers normalised so that a value has one spelling whatever its Java type: an
 * integral value is written as an integer ({@code 85}, never {@code 85.0}), other values as the
 * shortest decimal that reads back to the same double, without exponent ({@code 0.00000001} for
 * 1e-8); floats go through their own shortest decimal first (0.1f is {@code 0.1}), and −0 is {@code
 * 0}. Records become objects of their components, enums their {@code name()} in lower case. NaN and
 * infinities have no canonical form and are refused.
 */
public final class CanonicalJson {
  /** Hex digits of the SHA-256 kept in a run directory's name (48 bits). */
  public static final int HASH_HEX_DIGITS = 12;

  private CanonicalJson() {}

  /** The canonical text of {@code value} (maps, lists, records, enums, strings, numbers…). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(normalise(value), out);
    return out.toString();
  }

  /** The first {@link #HASH_HEX_DIGITS} hex digits of SHA-256 over the canonical UTF-8 text. */
  public static String hash(Object value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(write(value).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * {@code value} as plain JSON values: sorted maps, lists, strings, booleans, null and {@link
   * BigDecimal} numbers.
   */
  static Object normalise(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return number(n);
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    if (value instanceof Record r) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          map.put(c.getName(), c.getAccessor().invoke(r));
        } catch (ReflectiveOperationException ex) {
          throw new IllegalArgumentException(
              "canonical JSON: cannot read " + r.getClass().getSimpleName() + "." + c.getName(),
              ex);
        }
      }
      return normalise(map);
    }
    if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "canonical JSON: object key is not a string: " + e.getKey());
        }
        sorted.put(key, normalise(e.getValue()));
      }
      return sorted;
    }
    if (value instanceof Iterable<?> items) {
      List<Object> list = new ArrayList<>();
      items.forEach(o -> list.add(normalise(o)));
      return list;
    }
    throw new IllegalArgumentException(
        "canonical JSON: cannot write a " + value.getClass().getName());
  }

  private static BigDecimal number(Number n) {
    if (n instanceof BigDecimal b) {
      return plain(b);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(
            "canonical JSON: " + d + " is not a number a hyperparameter can take");
      }
      // Float.toString is the float's own shortest decimal: 0.1f stays 0.1.
      return plain(new BigDecimal(n instanceof Float f ? Float.toString(f) : Double.toString(d)));
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static BigDecimal plain(BigDecimal b) {
    BigDecimal s = b.stripTrailingZeros();
    return s.signum() == 0 ? BigDecimal.ZERO : s.scale() < 0 ? s.setScale(0) : s;
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof BigDecimal b) {
      out.append(b.toPlainString());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",").append(Json.write(e.getKey())).append(':');
        write(e.getValue(), out);
        first = false;
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      out.append(Json.write(value));
    }
  }
}
