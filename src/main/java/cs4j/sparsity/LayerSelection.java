package cs4j.sparsity;

import cs4j.nn.Conv2d;
import cs4j.nn.Linear;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which layers a pruning method masks. The default follows the CS reference code: every 3×3 conv
 * (in ResNet-20 that is 19 layers; the 1×1 shortcut convs and the classifier stay dense).
 */
public enum LayerSelection {
  /** Every conv with a 3×3 kernel (the reference code). */
  CONV3X3,
  /** Every conv, 1×1 shortcuts included. */
  ALL_CONVS,
  /** Every linear layer (for MLPs such as LeNet-300-100). */
  LINEAR,
  /** Every conv and every linear layer (IMP's usual choice). */
  CONVS_AND_LINEAR;

  /** The selected layers of {@code model} under their dotted module names, in module order. */
  public Map<String, Maskable> select(Module model) {
    Map<String, Maskable> out = new LinkedHashMap<>();
    collect("", model, out);
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "layer selection " + this + " matches no layer of " + model.getClass().getSimpleName());
    }
    return out;
  }

  private void collect(String prefix, Module m, Map<String, Maskable> out) {
    if (m instanceof Maskable layer && matches(m)) {
      out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), layer);
    }
    m.children().forEach((name, child) -> collect(prefix + name + ".", child, out));
  }

  private boolean matches(Module m) {
    return switch (this) {
      case CONV3X3 -> m instanceof Conv2d c && c.kernelSize() == 3;
      case ALL_CONVS -> m instanceof Conv2d;
      case LINEAR -> m instanceof Linear;
      case CONVS_AND_LINEAR -> m instanceof Conv2d || m instanceof Linear;
    };
  }
}
