package cs4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Graph;
import cs4j.nn.Module;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsTest {

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    // The CS reference code's ResNet-20, BN affine included, mask logits excluded.
    "resnet20, cifar, 272282",
    // option A drops the two 1×1 shortcut convs (16·32 + 32·64 weights).
    "resnet20-a, cifar, 269722",
    "resnet56, cifar, 855578",
    // OpenLTH's VGG-16, with conv biases.
    "vgg16, cifar, 14728266",
    "vgg11, cifar, 9231114",
    "vgg13, cifar, 9416010",
    "vgg19, cifar, 20040522",
    // 784·300 + 300 + 300·100 + 100 + 100·10 + 10
    "lenet300, mnist, 266610",
    "conv4, cifar, 2425930",
    // convs 259,008 + Linear(6272, 256) 1,605,888 + Linear(256, 256) 65,792 + 2,570
    "conv4, mnist, 1933258",
  })
  void parameterCountsArePinned(String name, String data, long expected) {
    InputSpec in = data.equals("cifar") ? InputSpec.CIFAR10 : InputSpec.MNIST;
    assertEquals(expected, Models.create(name, in, 1).parameterCount(), name);
  }

  @Test
  void resnet20NamesMatchTheReferenceCode() {
    Map<String, Tensor> state = Models.create("resnet20", InputSpec.CIFAR10, 1).stateDict();
    List<String> names = List.copyOf(state.keySet());
    assertEquals("conv0.weight", names.get(0));
    assertEquals(
        List.of(
            "bn0.weight",
            "bn0.bias",
            "bn0.running_mean",
            "bn0.running_var",
            "bn0.num_batches_tracked"),
        names.subList(1, 6));
    assertTrue(state.containsKey("stage1.block1.conv_a.weight"));
    assertTrue(state.containsKey("stage2.block1.downsample.weight"));
    assertTrue(state.containsKey("stage3.block3.bn_b.running_var"));
    assertEquals(Shape.of(10, 64), state.get("classifier.weight").shape());
    assertEquals("classifier.bias", names.get(names.size() - 1));
  }

  @Test
  void vgg16NamesFollowOpenLth() {
    Map<String, Tensor> state = Models.create("vgg16", InputSpec.CIFAR10, 1).stateDict();
    assertEquals(Shape.of(64, 3, 3, 3), state.get("layers.0.conv.weight").shape());
    assertEquals(Shape.of(64), state.get("layers.1.bn.running_mean").shape());
    assertTrue(state.containsKey("layers.3.conv.bias"), "index 2 is the first max pool");
    assertEquals(Shape.of(10, 512), state.get("fc.weight").shape());
  }

  @Test
  void everyModelMapsABatchToLogits() {
    for (String name : Models.names()) {
      InputSpec in =
          name.startsWith("lenet") || name.equals("conv4") ? InputSpec.MNIST : InputSpec.CIFAR10;
      Module m = Models.create(name, in, 3);
      Tensor x = Tensor.normal(new Rng(2), 0, 1, 2, in.channels(), in.height(), in.width());
      try (var s = Graph.noGrad()) {
        Tensor y = m.forward(x);
        assertEquals(Shape.of(2, 10), y.shape(), name);
        for (float v : y.toArray()) {
          assertTrue(Float.isFinite(v), name + " produced " + v);
        }
      }
    }
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    float[] a =
        Models.create("resnet20", InputSpec.CIFAR10, 7).stateDict().get("conv0.weight").toArray();
    float[] b =
        Models.create("resnet20", InputSpec.CIFAR10, 7).stateDict().get("conv0.weight").toArray();
    float[] c =
        Models.create("resnet20", InputSpec.CIFAR10, 8).stateDict().get("conv0.weight").toArray();
    assertTrue(java.util.Arrays.equals(a, b));
    assertTrue(!java.util.Arrays.equals(a, c));
  }

  @Test
  void xavierNormalHasTheRightSpread() {
    Tensor w =
        Models.create("vgg16", InputSpec.CIFAR10, 5).stateDict().get("layers.14.conv.weight");
    // [512, 512, 3, 3]: std = sqrt(2 / (fanIn + fanOut)) = sqrt(2 / 9216)
    double sq = 0;
    for (float v : w.toArray()) {
      sq += v * v;
    }
    double std = Math.sqrt(sq / w.numel());
    assertEquals(Math.sqrt(2.0 / 9216), std, 0.01 * std, "sample std of Xavier-normal weights");
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Models.create("resnet21", InputSpec.CIFAR10, 1));
    assertTrue(
        e.getMessage().contains("resnet21") && e.getMessage().contains("resnet20"), e.getMessage());
  }
}
