package cs4j.optim;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cs4j.nn.Parameter;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SgdTest {

  /** PyTorch's torch.optim.SGD step, transcribed in double precision. */
  private static void referenceStep(
      double[] w, double[] g, double[] buf, boolean first, ParamGroup pg, double lr) {
    for (int i = 0; i < w.length; i++) {
      double d = g[i] + pg.weightDecay() * w[i];
      if (pg.momentum() != 0) {
        buf[i] = first ? d : pg.momentum() * buf[i] + (1 - pg.dampening()) * d;
        d = pg.nesterov() ? d + pg.momentum() * buf[i] : buf[i];
      }
      w[i] -= lr * d;
    }
  }

  @ParameterizedTest(name = "momentum {0}, dampening {1}, wd {2}, nesterov {3}")
  @CsvSource({
    "0.9, 0, 1e-4, true",
    "0.9, 0, 5e-4, false",
    "0.5, 0.3, 0, false",
    "0, 0, 1e-2, false"
  })
  void matchesPyTorchsFormulationOverSeveralSteps(
      double momentum, double dampening, double wd, boolean nesterov) {
    Rng rng = new Rng(11);
    Parameter p = new Parameter(Tensor.normal(rng, 0, 1, 5, 7));
    ParamGroup group = new ParamGroup(List.of(p), 0.1, momentum, dampening, wd, nesterov);
    Sgd sgd = new Sgd(group);
    double[] w = toDouble(p.value().toArray());
    double[] buf = new double[w.length];
    double[] scales = {1.0, 1.0, 0.1, 0.5};
    for (int step = 0; step < scales.length; step++) {
      Tensor g = Tensor.normal(rng, 0, 1, 5, 7);
      p.value().setGrad(g);
      sgd.setLrScale(scales[step]);
      sgd.step();
      referenceStep(w, toDouble(g.toArray()), buf, step == 0, group, 0.1 * scales[step]);
      assertClose(toFloat(w), p.value().toArray(), 1e-6, 1e-7, "weights after step " + step);
    }
  }

  @Test
  void parametersWithoutGradientAreLeftAlone() {
    Parameter a = new Parameter(Tensor.ones(3));
    Parameter b = new Parameter(Tensor.ones(3));
    Sgd sgd = new Sgd(ParamGroup.nesterov(List.of(a, b), 0.1, 0.9, 0.1));
    a.value().setGrad(Tensor.full(1f, 3));
    sgd.step();
    assertArrayEquals(new float[] {1, 1, 1}, b.value().toArray());
    // d = g + wd·w = 1.1; buf = d; Nesterov: d + μ·buf = 2.09; w = 1 − 0.1·2.09
    assertEquals(0.791f, a.value().toArray()[0], 1e-6f, "first Nesterov step");
  }

  @Test
  void groupsHaveTheirOwnSettings() {
    Parameter w = new Parameter(Tensor.ones(2));
    Parameter s = new Parameter(Tensor.ones(2));
    Sgd sgd =
        new Sgd(
            List.of(
                new ParamGroup(List.of(w), 0.1, 0, 0, 0.5, false),
                new ParamGroup(List.of(s), 0.1, 0, 0, 0, false)));
    w.value().setGrad(Tensor.zeros(2));
    s.value().setGrad(Tensor.zeros(2));
    sgd.step();
    assertEquals(0.95f, w.value().toArray()[0], 1e-7f, "weight decay applies to group 1");
    assertEquals(1f, s.value().toArray()[0], 0f, "group 2 has no weight decay");
  }

  @Test
  void invalidSettingsAreRefused() {
    Parameter p = new Parameter(Tensor.ones(1));
    assertThrows(
        IllegalArgumentException.class, () -> new ParamGroup(List.of(p), -0.1, 0.9, 0, 0, true));
    assertThrows(
        IllegalArgumentException.class, () -> new ParamGroup(List.of(p), 0.1, 0, 0, 0, true));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Sgd(
                List.of(
                    ParamGroup.nesterov(List.of(p), 0.1, 0.9, 0),
                    ParamGroup.nesterov(List.of(p), 0.1, 0.9, 0))));
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
