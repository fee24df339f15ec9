package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import cs4j.backend.ConvGeometry;
import org.junit.jupiter.api.Test;

/** The plan cache: one plan per (geometry, output channels), and bounded. */
class ConvPlansTest {
  private final ConvPlans plans = new ConvPlans(new ScalarGemmKernel());

  @Test
  void reusesThePlanOfALayerAndKeepsLayersApart() {
    ConvGeometry g = ConvGeometry.square(8, 16, 4, 4, 3, 1, 1);
    ChannelVectorForward forward = plans.forward(g, 32);
    WeightGradient gradient = plans.gradient(g, 32);
    assertSame(forward, plans.forward(ConvGeometry.square(8, 16, 4, 4, 3, 1, 1), 32));
    assertSame(gradient, plans.gradient(g, 32));
    assertNotSame(forward, plans.forward(g, 33));
    assertNotSame(forward, plans.forward(ConvGeometry.square(9, 16, 4, 4, 3, 1, 1), 32));
    assertNotSame(gradient, plans.gradient(g, 33));
  }

  @Test
  void startsOverPastItsBound() {
    ConvGeometry first = ConvGeometry.square(1, 2, 2, 2, 1, 1, 0);
    ChannelVectorForward plan = plans.forward(first, 1);
    for (int batch = 2; batch <= 300; batch++) {
      plans.forward(ConvGeometry.square(batch, 2, 2, 2, 1, 1, 0), 1);
    }
    assertNotSame(plan, plans.forward(first, 1));
  }
}
