package cs4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.io.Json;
import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The PyTorch reference fixtures in {@code test-data/fixtures} (written by {@code
 * test-data/gen_fixtures.py}; layout in {@code test-data/README.md}).
 *
 * <p>A fixture holds {@code input.*}, {@code output.*}, {@code gout.*} (upstream gradients), {@code
 * grad.*} (gradients of the inputs) and {@code state.*} (e.g. running statistics after the step).
 * Large random inputs are not stored but regenerated from their recipe in the metadata; large
 * results are stored at sampled positions. {@link Fixture} hides both.
 */
public final class Fixtures {
  private Fixtures() {}

  /** test-data/fixtures, found by walking up from the working directory (module or repo root). */
  public static Path dir() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("test-data").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Fixtures: no test-data/fixtures in " + start + " or any parent directory");
  }

  /** The fixture files, sorted by name. */
  public static List<Path> all() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fixture {@code name} (the file name without {@code .safetensors}). */
  public static Fixture load(String name) {
    return load(dir().resolve(name + ".safetensors"));
  }

  public static Fixture load(Path file) {
    try {
      return new Fixture(file, Safetensors.read(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One fixture file: its tensors by key ({@code input.x}, {@code grad.w}, ...) and its params. */
  public static final class Fixture {
    private final Path file;
    private final SafetensorsFile st;
    private final Map<String, Object> params;

    @SuppressWarnings("unchecked")
    Fixture(Path file, SafetensorsFile st) {
      this.file = file;
      this.st = st;
      this.params = (Map<String, Object>) Json.parse(st.metadata().getOrDefault("params", "{}"));
    }

    public String name() {
      String f = file.getFileName().toString();
      return f.substring(0, f.length() - ".safetensors".length());
    }

    /** The op the generator ran, e.g. {@code conv2d}. */
    public String op() {
      return st.metadata().get("op");
    }

    public boolean has(String key) {
      return st.contains(key) || st.metadata().containsKey("recipe." + key);
    }

    /** A fresh tensor holding {@code key} (stored, or regenerated from its recipe). */
    public Tensor tensor(String key) {
      String recipe = st.metadata().get("recipe." + key);
      if (recipe != null) {
        return fromRecipe(key, recipe);
      }
      try {
        return st.tensor(key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code input.<name>} as a leaf that requires a gradient. */
    public Tensor input(String name) {
      return tensor("input." + name).requiresGrad(true);
    }

    public float floatParam(String name) {
      return ((Number) param(name)).floatValue();
    }

    public int intParam(String name) {
      return ((Number) param(name)).intValue();
    }

    public Object param(String name) {
      if (!params.containsKey(name)) {
        throw new IllegalArgumentException(name() + ": no param '" + name + "' in " + params);
      }
      return params.get(name);
    }

    /**
     * Asserts that {@code actual} matches the stored {@code key}: shape first, then every value (or
     * every sampled position) within |a − e| ≤ rtol·|e| + atolRel·max|e|, i.e. an absolute
     * tolerance scaled by the tensor's magnitude, so one setting serves tensors of any scale.
     */
    public void assertClose(String key, Tensor actual, double rtol, double atolRel) {
      String what = name() + " " + key;
      Tensor stored = tensor(key);
      Shape fullShape = sampledShape(key);
      assertEquals(
          fullShape != null ? fullShape : stored.shape(), actual.shape(), what + ": shape");
      float[] expected = stored.toArray();
      double atol = atolRel * maxAbs(expected);
      if (fullShape == null) {
        TensorAssert.assertClose(expected, actual.toArray(), rtol, atol, what);
        return;
      }
      float[] index = tensor(key + ".index").toArray();
      float[] a = actual.toArray();
      for (int k = 0; k < index.length; k++) {
        int i = (int) index[k];
        TensorAssert.assertClose(
            new float[] {expected[k]},
            new float[] {a[i]},
            rtol,
            atol,
            what + " at flat index " + i + " (sampled)");
      }
    }

    private Shape sampledShape(String key) {
      String s = st.metadata().get("sampled." + key);
      return s == null ? null : Shape.of(ints((List<?>) Json.parse(s)));
    }

    private Tensor fromRecipe(String key, String json) {
      Map<?, ?> r = (Map<?, ?>) Json.parse(json);
      if (!"splitmix64_uniform".equals(r.get("dist"))) {
        throw new IllegalArgumentException(name() + ": unknown recipe for " + key + ": " + json);
      }
      int[] dims = ints((List<?>) r.get("shape"));
      float[] v =
          splitMixUniform(
              ((Number) r.get("seed")).longValue(),
              Shape.of(dims).numel(),
              ((Number) r.get("lo")).floatValue(),
              ((Number) r.get("hi")).floatValue());
      return Tensor.of(v, dims);
    }
  }

  /**
   * The generator's input recipe, bit for bit: value i (from 1) is lo + (hi − lo)·u in float
   * arithmetic with u = (mix(seed + i·γ) >>> 40)·2⁻²⁴, mix the SplitMix64 finaliser. Kept here
   * rather than using cs4j's Rng so that the fixtures do not depend on main code's generator.
   */
  static float[] splitMixUniform(long seed, int n, float lo, float hi) {
    float[] out = new float[n];
    long state = seed;
    for (int i = 0; i < n; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      float u = (z >>> 40) * 0x1.0p-24f;
      out[i] = lo + (hi - lo) * u;
    }
    return out;
  }

  private static int[] ints(List<?> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).intValue();
    }
    return out;
  }

  private static double maxAbs(float[] values) {
    double m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
