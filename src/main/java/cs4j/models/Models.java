package cs4j.models;

import cs4j.nn.Module;
import cs4j.tensor.Device;
import cs4j.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The model registry: a name → a freshly initialised network for an input shape.
 *
 * <p>Names: {@code resnet20} (reference-code variant, 1×1 conv shortcuts), {@code resnet20-a}
 * (option-A shortcuts), {@code resnet56}, {@code vgg11}, {@code vgg13}, {@code vgg16}, {@code
 * vgg19} (CIFAR variants, 32×32 input), {@code lenet300} (LeNet-300-100) and {@code conv4}.
 */
public final class Models {
  /** Builds a model; weights are then re-drawn by the chosen {@link InitScheme}. */
  @FunctionalInterface
  private interface Factory {
    Module create(InputSpec in, Rng rng);
  }

  private static final Map<String, Factory> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("resnet20", (in, rng) -> resnet(3, in, ResNetCifar.Shortcut.CONV_1X1, rng));
    REGISTRY.put("resnet20-a", (in, rng) -> resnet(3, in, ResNetCifar.Shortcut.OPTION_A, rng));
    REGISTRY.put("resnet56", (in, rng) -> resnet(9, in, ResNetCifar.Shortcut.CONV_1X1, rng));
    REGISTRY.put("vgg11", (in, rng) -> vgg(Vgg.VGG11, in, rng));
    REGISTRY.put("vgg13", (in, rng) -> vgg(Vgg.VGG13, in, rng));
    REGISTRY.put("vgg16", (in, rng) -> vgg(Vgg.VGG16, in, rng));
    REGISTRY.put("vgg19", (in, rng) -> vgg(Vgg.VGG19, in, rng));
    REGISTRY.put(
        "lenet300",
        (in, rng) -> new LeNet300(in.channels() * in.height() * in.width(), in.classes(), rng));
    REGISTRY.put(
        "conv4", (in, rng) -> new Conv4(in.channels(), in.height(), in.width(), in.classes(), rng));
  }

  private Models() {}

  /** The registered names, in a stable order. */
  public static Set<String> names() {
    return REGISTRY.keySet();
  }

  /**
   * A new model named {@code name} for inputs of {@code in}, initialised by {@code init} from
   * {@code seed} on the host and then moved to {@code device}, so that one seed gives the same
   * network on every device. Unknown names are refused with the list of known ones.
   */
  public static Module create(
      String name, InputSpec in, InitScheme init, long seed, Device device) {
    return create(name, in, init, seed).to(device);
  }

  /** {@link #create(String, InputSpec, InitScheme, long, Device)} on the CPU. */
  public static Module create(String name, InputSpec in, InitScheme init, long seed) {
    Factory f = REGISTRY.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "'; known models: " + String.join(", ", names()));
    }
    Rng rng = new Rng(seed);
    Module model = f.create(in, rng.split());
    init.apply(model, rng.split());
    return model;
  }

  /** A new model with the reference protocol's initialisation (Xavier-normal). */
  public static Module create(String name, InputSpec in, long seed) {
    return create(name, in, InitScheme.XAVIER_NORMAL, seed);
  }

  private static Module resnet(int blocks, InputSpec in, ResNetCifar.Shortcut sc, Rng rng) {
    return new ResNetCifar(blocks, in.channels(), in.classes(), sc, rng);
  }

  private static Module vgg(int[] plan, InputSpec in, Rng rng) {
    if (in.height() != 32 || in.width() != 32) {
      throw new IllegalArgumentException(
          "VGG (CIFAR variant) needs 32x32 input, got " + in.height() + "x" + in.width());
    }
    return new Vgg(plan, in.channels(), in.classes(), rng);
  }
}
