package cs4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    Object v =
        Json.parse(
            " {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\\"y\\\\z\\n\\u03b2\\/\"},"
                + " \"big\": 9007199254740993, \"e\": {}, \"f\": []} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("a", "b", "big", "e", "f"), List.copyOf(m.keySet()), "key order kept");
    assertEquals(Arrays.asList(1L, -2.5, 300.0, true, false, null), m.get("a"));
    assertEquals("x\"y\\z\nβ/", ((Map<?, ?>) m.get("b")).get("c"));
    assertEquals(9007199254740993L, m.get("big"), "integers stay exact beyond 2^53");
    assertEquals(Map.of(), m.get("e"));
    assertEquals(List.of(), m.get("f"));
    assertNull(Json.parse("null"));
  }

  @Test
  void writesWhatItParses() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name \"q\"\t\\", List.of(1L, 2.5, true, "ä\u0001"));
    m.put("nothing", null);
    String text = Json.write(m);
    assertEquals("{\"name \\\"q\\\"\\t\\\\\":[1,2.5,true,\"ä\\u0001\"],\"nothing\":null}", text);
    assertEquals(m, Json.parse(text));
  }

  @Test
  void rejectsMalformedInputWithPosition() {
    for (String bad :
        List.of(
            "{\"a\":1,}",
            "{\"a\":1 \"b\":2}",
            "[1 2]",
            "\"open",
            "{\"a\":1}x",
            "tru",
            "01x",
            "-",
            "\"bad \\q escape\"",
            "\"raw\ncontrol\"",
            "\"\\u+041\"",
            "\"\\u-041\"",
            "01",
            "-01",
            "")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().contains("at character"), e.getMessage());
    }
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    for (String open : List.of("[", "{\"a\":")) {
      String deep = open.repeat(100_000);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
      assertTrue(e.getMessage().contains("nested deeper than 128"), e.getMessage());
    }
    // 128 levels are fine.
    assertEquals(1L, unwrap(Json.parse("[".repeat(127) + "[1" + "]".repeat(128)), 128));
  }

  private static Object unwrap(Object v, int levels) {
    for (int i = 0; i < levels; i++) {
      v = ((List<?>) v).get(0);
    }
    return v;
  }

  @Test
  void rejectsDuplicateKeys() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"w\":1,\"w\":2}"));
    assertTrue(e.getMessage().contains("duplicate key \"w\""), e.getMessage());
  }

  @Test
  void refusesNonFiniteNumbers() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
  }
}
