package cs4j.nn;

import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order. Children added without a name are named by position ("0", "1", ...) as
 * in PyTorch's nn.Sequential; named ones keep their name (nn.Sequential of an OrderedDict).
 */
public final class Sequential extends Module {
  private final List<Module> layers = new ArrayList<>();

  public Sequential(Module... modules) {
    for (Module m : modules) {
      add(m);
    }
  }

  public Sequential add(Module m) {
    return add(Integer.toString(layers.size()), m);
  }

  public Sequential add(String name, Module m) {
    layers.add(registerModule(name, m));
    return this;
  }

  public List<Module> layers() {
    return List.copyOf(layers);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor y = x;
    for (Module m : layers) {
      y = m.forward(y);
    }
    return y;
  }
}
