package cs4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void multiStepDropsAtMilestonesLikeTheReferenceProtocol() {
    LrSchedule s = LrSchedule.multiStep(0.1, 71, 56);
    assertEquals(1.0, s.scale(0), 0);
    assertEquals(1.0, s.scale(55.99), 0);
    assertEquals(0.1, s.scale(56), 1e-12);
    assertEquals(0.01, s.scale(71.5), 1e-12);
  }

  @Test
  void cosineGoesFromOneToFloor() {
    LrSchedule s = LrSchedule.cosine(10, 0.0);
    assertEquals(1.0, s.scale(0), 1e-12);
    assertEquals(0.5, s.scale(5), 1e-12);
    assertEquals(0.0, s.scale(10), 1e-12);
    assertEquals(0.0, s.scale(12), 1e-12, "stays at the floor after the end");
  }

  @Test
  void warmupRampsLinearlyThenHandsOver() {
    LrSchedule s = LrSchedule.multiStep(0.1, 3).withWarmup(2);
    assertEquals(0.0, s.scale(0), 1e-12);
    assertEquals(0.25, s.scale(0.5), 1e-12);
    assertEquals(1.0, s.scale(2), 1e-12);
    assertEquals(0.1, s.scale(3), 1e-12);
  }
}
