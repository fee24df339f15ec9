package cs4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259), enough for file headers and metadata without a
 * dependency.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered), array →
 * {@code List<Object>}, string → {@code String}, number → {@code Long} when written without
 * fraction or exponent and within range (so byte offsets stay exact), else {@code Double}, {@code
 * true}/{@code false} → {@code Boolean}, {@code null} → {@code null}. Duplicate object keys are
 * rejected: a header that names a tensor twice is corrupt, not ambiguous.
 *
 * <p>Parsing is recursive, so nesting is bounded ({@link #MAX_DEPTH}, as serde_json does): a
 * hostile file of a few kilobytes of brackets would otherwise overflow the stack.
 */
public final class Json {
  /** The deepest nesting of arrays and objects accepted; cs4j's own files nest 3 deep. */
  private static final int MAX_DEPTH = 128;

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value filling the whole of {@code text} (whitespace around it allowed). */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value();
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing text");
    }
    return value;
  }

  /** Compact JSON for maps, iterables, strings, numbers, booleans and null. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  // ---- writing -------------------------------------------------------------------------------

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("Json.write: " + d + " has no JSON representation");
      }
      out.append(value);
    } else if (value instanceof Number n) {
      out.append(n.longValue());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "Json.write: object key is not a string: " + e.getKey());
        }
        out.append(first ? "" : ",");
        first = false;
        writeString(key, out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Iterable<?> list) {
      out.append('[');
      boolean first = true;
      for (Object o : list) {
        out.append(first ? "" : ",");
        first = false;
        write(o, out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "Json.write: cannot write a " + value.getClass().getName());
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }

  // ---- parsing -------------------------------------------------------------------------------

  private Object value() {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char ch = text.charAt(pos);
    return switch (ch) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (ch == '-' || (ch >= '0' && ch <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + ch + "'");
      }
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    enter();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyPos = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value();
      if (map.containsKey(key)) {
        pos = keyPos;
        throw error("duplicate key \"" + key + "\"");
      }
      map.put(key, v);
      skipWhitespace();
      char ch = peek();
      pos++;
      if (ch == '}') {
        depth--;
        return map;
      }
      if (ch != ',') {
        pos--;
        throw error("expected ',' or '}' in object");
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    enter();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value());
      skipWhitespace();
      char ch = peek();
      pos++;
      if (ch == ']') {
        depth--;
        return list;
      }
      if (ch != ',') {
        pos--;
        throw error("expected ',' or ']' in array");
      }
    }
  }

  /** Steps over the '{' or '[' that opens a nested value. */
  private void enter() {
    if (depth == MAX_DEPTH) {
      throw error("arrays and objects nested deeper than " + MAX_DEPTH);
    }
    depth++;
    pos++;
  }

  private String string() {
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char ch = text.charAt(pos++);
      if (ch == '"') {
        return b.toString();
      }
      if (ch < 0x20) {
        pos--;
        throw error("control character in string");
      }
      if (ch != '\\') {
        b.append(ch);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char esc = text.charAt(pos++);
      switch (esc) {
        case '"', '\\', '/' -> b.append(esc);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = hexDigit(text.charAt(pos + i));
            if (digit < 0) {
              throw error("bad \\u escape");
            }
            code = code * 16 + digit;
          }
          b.append((char) code);
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + esc + "'");
        }
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    boolean integral = true;
    if (text.startsWith("0", pos) && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
      throw error("leading zero in a number");
    }
    digits();
    if (pos < text.length() && text.charAt(pos) == '.') {
      integral = false;
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
    String s = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooLong) {
        // beyond long: fall through to a double
      }
    }
    return Double.parseDouble(s);
  }

  private void digits() {
    int start = pos;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a digit");
    }
  }

  /** The value of an ASCII hex digit, else -1 (Character.digit would take any script's digits). */
  private static int hexDigit(char ch) {
    if (isDigit(ch)) {
      return ch - '0';
    }
    char lower = (char) (ch | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  private static boolean isDigit(char ch) {
    return ch >= '0' && ch <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected '" + word + "'");
    }
    pos += word.length();
    return value;
  }

  private void expect(char ch) {
    if (peek() != ch) {
      throw error("expected '" + ch + "'");
    }
    pos++;
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char ch = text.charAt(pos);
      if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at character " + pos);
  }
}
