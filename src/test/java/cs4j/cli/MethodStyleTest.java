package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import cs4j.sparsity.Methods;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.markers.Marker;

class MethodStyleTest {
  @Test
  void everyMethodOfTheRegistryAndRetrainHasAColourOfItsOwn() {
    List<String> methods = new ArrayList<>(Methods.names());
    methods.add(TicketRetraining.NAME);
    Map<Color, String> owner = new HashMap<>();
    for (String m : methods) {
      String other = owner.put(MethodStyle.colour(m), m);
      assertEquals(null, other, m + " has the colour of " + other);
    }
  }

  @Test
  void aMethodWithoutItsOwnColourStillKeepsOne() {
    assertEquals(MethodStyle.colour("my-method"), MethodStyle.colour("my-method"));
  }

  @Test
  void aMethodsFirstRunsHaveDistinctMarkersAndAnyIndexHasOne() {
    Set<Marker> first = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      first.add(MethodStyle.marker(i));
    }
    assertEquals(5, first.size(), "markers of runs 0-4: " + first);
    assertNotNull(MethodStyle.marker(1000));
  }
}
