package cs4j.sparsity;

import cs4j.backend.HostTransfer;
import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary pruning masks of one model: dotted layer name → a host tensor of 0/1, the shape of that
 * layer's weight (K, C, R, S for convs; K, F for linear layers). 1 keeps a weight, 0 prunes it.
 *
 * <p>Saved as safetensors with PyTorch-style names {@code <layer>.mask} (for example {@code
 * stage1.block1.conv_a.mask}) and metadata {@code format = cs4j-masks/1}, {@code model = <model
 * name>}, so a mask file loads in PyTorch with {@code safetensors.torch.load_file}, and loading a
 * mask file of another model is refused before anything changes. Immutable.
 */
public final class Masks {
  public static final String FORMAT = "cs4j-masks/1";
  static final String SUFFIX = ".mask";

  private final String model;
  private final Map<String, Tensor> masks;

  private Masks(String model, Map<String, Tensor> masks) {
    this.model = model;
    this.masks = Collections.unmodifiableMap(masks);
  }

  /**
   * Masks for {@code model} (its registry name); every tensor must hold only 0 and 1. The tensors
   * (all on one device) are copied to the host in one transfer.
   */
  public static Masks of(String model, Map<String, Tensor> masks) {
    if (model == null || model.isEmpty()) {
      throw new IllegalArgumentException("Masks: the model name must be non-empty");
    }
    if (masks.isEmpty()) {
      throw new IllegalArgumentException("Masks: no layers for model " + model);
    }
    float[][] values = HostTransfer.download(new ArrayList<>(masks.values()));
    Map<String, Tensor> copy = new LinkedHashMap<>();
    int[] index = {0};
    masks.forEach(
        (name, t) -> {
          float[] v = values[index[0]++];
          for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && v[i] != 1f) {
              throw new IllegalArgumentException(
                  "Masks: layer '" + name + "' entry " + i + " is " + v[i] + ", expected 0 or 1");
            }
          }
          copy.put(name, Tensor.of(v, t.shape().dims()));
        });
    return new Masks(model, copy);
  }

  /** All-ones masks (nothing pruned) for the layers {@code selection} picks in {@code net}. */
  public static Masks dense(String model, Module net, LayerSelection selection) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    selection.select(net).forEach((name, layer) -> m.put(name, onesLike(layer)));
    return of(model, m);
  }

  private static Tensor onesLike(Maskable layer) {
    return Tensor.full(1f, layer.weight().value().shape().dims());
  }

  /** The model's registry name these masks belong to. */
  public String model() {
    return model;
  }

  /** Layer names in model order. */
  public Set<String> layers() {
    return masks.keySet();
  }

  /** The 0/1 mask of {@code layer} (host tensor; do not modify). */
  public Tensor get(String layer) {
    Tensor t = masks.get(layer);
    if (t == null) {
      throw new IllegalArgumentException(
          "Masks: no layer '" + layer + "'; layers: " + String.join(", ", masks.keySet()));
    }
    return t;
  }

  public Map<String, Tensor> tensors() {
    return masks;
  }

  public long total() {
    return report().total();
  }

  public long remaining() {
    return report().remaining();
  }

  public long remaining(String layer) {
    return count(get(layer));
  }

  /** Kept entries over all masked entries. */
  public double fractionRemaining() {
    return report().fractionRemaining();
  }

  public SparsityReport report() {
    List<SparsityReport.Layer> ls = new ArrayList<>();
    masks.forEach((n, t) -> ls.add(new SparsityReport.Layer(n, t.numel(), count(t))));
    return new SparsityReport(ls);
  }

  private static long count(Tensor t) {
    long n = 0;
    for (float v : t.toArray()) {
      if (v != 0f) {
        n++;
      }
    }
    return n;
  }

  /** Whether every weight kept here is also kept by {@code other} (same layers and shapes). */
  public boolean isSubsetOf(Masks other) {
    checkSameLayout(other);
    for (String n : masks.keySet()) {
      float[] a = masks.get(n).toArray();
      float[] b = other.masks.get(n).toArray();
      for (int i = 0; i < a.length; i++) {
        if (a[i] != 0f && b[i] == 0f) {
          return false;
        }
      }
    }
    return true;
  }

  private void checkSameLayout(Masks other) {
    if (!masks.keySet().equals(other.masks.keySet())) {
      throw new IllegalArgumentException(
          "Masks: layers differ: " + masks.keySet() + " vs " + other.masks.keySet());
    }
    masks.forEach(
        (n, t) -> {
          if (!t.shape().equals(other.masks.get(n).shape())) {
            throw new IllegalArgumentException(
                "Masks: layer '"
                    + n
                    + "' has shape "
                    + t.shape()
                    + " vs "
                    + other.masks.get(n).shape());
          }
        });
  }

  /**
   * Installs {@code w ⊙ m} as the weight transform of each masked layer of {@code net} (replacing
   * any transform there). The mask is a constant: it never requires a gradient, so pruned weights
   * get a zero gradient through the product.
   */
  public void apply(Module net) {
    apply(net, 1f);
  }

  /**
   * Installs {@code w ⊙ (scale·m)}: the CS ticket keeps the {@code c = 1/σ(s0)} factor of the soft
   * mask in the reference code, so its retraining uses {@code scale = c}.
   */
  public void apply(Module net, float scale) {
    Map<String, Maskable> layers = resolve(net);
    layers.forEach(
        (name, layer) -> {
          Tensor m = masks.get(name);
          float[] v = m.toArray();
          for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
          }
          Tensor scaled = Tensor.of(v, m.shape().dims()).to(layer.weight().value().device());
          layer.setWeightTransform(w -> Ops.mul(w, scaled));
        });
  }

  /** Removes the weight transform of every layer these masks name. */
  public void removeFrom(Module net) {
    resolve(net).values().forEach(l -> l.setWeightTransform(null));
  }

  /**
   * The layers of {@code net} these masks name, checking that each exists with the mask's shape.
   */
  Map<String, Maskable> resolve(Module net) {
    Map<String, Maskable> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      Module m = net;
      for (String part : e.getKey().split("\\.")) {
        m = m == null ? null : m.children().get(part);
      }
      if (!(m instanceof Maskable layer)) {
        throw new IllegalArgumentException(
            "Masks for model '"
                + model
                + "': the network has no maskable layer '"
                + e.getKey()
                + "'");
      }
      if (!layer.weight().value().shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException(
            "Masks for model '"
                + model
                + "': layer '"
                + e.getKey()
                + "' has weight shape "
                + layer.weight().value().shape()
                + ", mask has "
                + e.getValue().shape());
      }
      out.put(e.getKey(), layer);
    }
    return out;
  }

  /** Writes {@code <layer>.mask} tensors and the model name, atomically. */
  public void save(Path path) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    masks.forEach((n, m) -> t.put(n + SUFFIX, m));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("model", model);
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Safetensors.write(path, t, meta);
  }

  /**
   * Reads a mask file for model {@code model} whose layers must be exactly those {@code selection}
   * picks in {@code net}, with the same shapes and only 0s and 1s. A file for another model,
   * another layer set or other shapes is refused with an IOException naming the file and the first
   * difference.
   */
  public static Masks load(Path path, String model, Module net, LayerSelection selection)
      throws IOException {
    SafetensorsFile file = Safetensors.read(path);
    Map<String, String> meta = file.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(
          path
              + ": not a cs4j mask file (format "
              + meta.get("format")
              + ", expected "
              + FORMAT
              + ")");
    }
    if (!model.equals(meta.get("model"))) {
      throw new IOException(
          path
              + ": mask file is for model '"
              + meta.get("model")
              + "', this run uses model '"
              + model
              + "'");
    }
    Map<String, Maskable> layers = selection.select(net);
    for (String name : file.names()) {
      String layer =
          name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
      if (!layers.containsKey(layer)) {
        throw new IOException(
            path
                + ": mask '"
                + name
                + "' names no layer of the "
                + selection
                + " selection of model '"
                + model
                + "'");
      }
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, Maskable> e : layers.entrySet()) {
      String name = e.getKey() + SUFFIX;
      if (!file.contains(name)) {
        throw new IOException(
            path
                + ": no mask '"
                + name
                + "' for layer "
                + e.getKey()
                + " of model '"
                + model
                + "'");
      }
      if (!file.shape(name).equals(e.getValue().weight().value().shape())) {
        throw new IOException(
            path
                + ": mask '"
                + name
                + "' has shape "
                + file.shape(name)
                + ", the layer's weight has "
                + e.getValue().weight().value().shape());
      }
      m.put(e.getKey(), file.tensor(name));
    }
    try {
      return of(model, m);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }
}
