package cs4j.tensor;

import java.util.Arrays;

/**
 * A float32, contiguous, row-major (NCHW) array on one device, with the slots autograd needs.
 *
 * <p>This class holds data and metadata only; maths lives in {@code cs4j.ops} (differentiable) and
 * {@code cs4j.backend} (primitive kernels). Reshaped views share storage ({@link #withShape}).
 *
 * <p>Placement: {@link #to} copies to another device; {@link #relocate} moves a parameter or buffer
 * in place, keeping the tensor object (optimiser state, checkpoints and closures refer to it).
 * Device memory is owned ({@link MemoryScope}); {@link #release()} returns it early.
 *
 * <p>NOTE: gradients are read-only. {@code grad} may share storage with another tensor's gradient
 * (the backward of {@code a + b} hands the same buffer to both), so never write into it; {@link
 * #zeroGrad()} drops it and the next backward allocates afresh.
 */
public final class Tensor {
  private final Shape shape;
  private Storage storage;
  private boolean requiresGrad;
  private Tensor grad;
  private GradFn gradFn;
  private int outputIndex;

  public Tensor(Shape shape, Storage storage) {
    if (storage.size() != shape.numel()) {
      throw new IllegalArgumentException(
          "Tensor: shape "
              + shape
              + " needs "
              + shape.numel()
              + " elements, storage has "
              + storage.size());
    }
    this.shape = shape;
    this.storage = storage;
  }

  // ---- factories -------------------------------------------------------------------------

  /** A new zero-filled tensor on {@code device}. */
  public static Tensor zeros(Device device, int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(s, device.allocate(s.numel()));
  }

  public static Tensor zeros(int... dims) {
    return zeros(Device.CPU, dims);
  }

  public static Tensor zeros(Shape shape, Device device) {
    return new Tensor(shape, device.allocate(shape.numel()));
  }

  /**
   * A new tensor on {@code device} with unspecified contents ({@link
   * Device#allocateUninitialized}): only for the output of a kernel that writes every element
   * before anything reads it; anything else needs {@link #zeros}.
   */
  public static Tensor uninitialized(Shape shape, Device device) {
    return new Tensor(shape, device.allocateUninitialized(shape.numel()));
  }

  public static Tensor ones(int... dims) {
    return full(1f, dims);
  }

  public static Tensor full(float value, int... dims) {
    float[] a = new float[Shape.of(dims).numel()];
    Arrays.fill(a, value);
    return new Tensor(Shape.of(dims), new HostStorage(a));
  }

  /** A rank-0 tensor holding {@code value}. */
  public static Tensor scalar(float value) {
    return new Tensor(Shape.scalar(), new HostStorage(new float[] {value}));
  }

  /** A CPU tensor holding a copy of {@code values}, which must have exactly numel(dims) entries. */
  public static Tensor of(float[] values, int... dims) {
    Shape s = Shape.of(dims);
    if (values.length != s.numel()) {
      throw new IllegalArgumentException(
          "Tensor.of: shape " + s + " needs " + s.numel() + " values, got " + values.length);
    }
    return new Tensor(s, new HostStorage(values.clone()));
  }

  /** Uniform samples in [lo, hi), drawn in index order from {@code rng}. */
  public static Tensor uniform(Rng rng, float lo, float hi, int... dims) {
    float[] a = new float[Shape.of(dims).numel()];
    for (int i = 0; i < a.length; i++) {
      a[i] = lo + (hi - lo) * rng.nextFloat();
    }
    return new Tensor(Shape.of(dims), new HostStorage(a));
  }

  /** Normal samples N(mean, std²), drawn in index order from {@code rng}. */
  public static Tensor normal(Rng rng, float mean, float std, int... dims) {
    float[] a = new float[Shape.of(dims).numel()];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (mean + std * rng.nextGaussian());
    }
    return new Tensor(Shape.of(dims), new HostStorage(a));
  }

  // ---- metadata --------------------------------------------------------------------------

  public Shape shape() {
    return shape;
  }

  public int dim(int i) {
    return shape.dim(i);
  }

  public int rank() {
    return shape.rank();
  }

  public int numel() {
    return shape.numel();
  }

  public Storage storage() {
    return storage;
  }

  public Device device() {
    return storage.device();
  }

  // ---- data movement ---------------------------------------------------------------------

  /** A copy of the values, in row-major order, on the host. */
  public float[] toArray() {
    float[] out = new float[numel()];
    device().download(storage, out);
    return out;
  }

  /** The single value of a one-element tensor. */
  public float item() {
    if (numel() != 1) {
      throw new IllegalStateException("Tensor.item: needs exactly one element, shape is " + shape);
    }
    return toArray()[0];
  }

  /**
   * This tensor on {@code device}: itself if already there, else a copy (not tracked by autograd).
   */
  public Tensor to(Device device) {
    if (device == device()) {
      return this;
    }
    float[] values = storage instanceof HostStorage host ? host.data() : toArray(); // upload copies
    return new Tensor(shape, device.upload(values));
  }

  /**
   * Moves this tensor to {@code device} in place, as PyTorch's {@code p.data = p.data.to(device)}:
   * the object keeps its identity and gets new storage holding its values; the old storage is
   * released. For leaves that own their storage (parameters, buffers): views made earlier with
   * {@link #withShape} keep the old storage. Returns this.
   */
  public Tensor relocate(Device device) {
    if (gradFn != null) {
      throw new IllegalStateException("relocate: only leaf tensors move in place, " + this);
    }
    if (device == device()) {
      return this;
    }
    Storage old = storage;
    storage = device.upload(storage instanceof HostStorage host ? host.data() : toArray());
    grad = null;
    old.device().release(old);
    return this;
  }

  /** Writes {@code values} (numel of them, row-major) into this tensor's existing storage. */
  public void copyFrom(float[] values) {
    if (values.length != numel()) {
      throw new IllegalArgumentException(
          "copyFrom: tensor " + shape + " holds " + numel() + " values, got " + values.length);
    }
    device().write(values, storage);
  }

  /**
   * Returns this tensor's memory now (to its pool on the CPU; a no-op for CPU storage allocated
   * with no scope open, which the garbage collector takes); it, and every view of its storage, must
   * not be used again.
   */
  public void release() {
    device().release(storage);
  }

  /**
   * The same storage seen with another shape of equal size; -1 in one place is inferred. Not
   * recorded by autograd: use {@code Ops.reshape} inside a differentiable computation.
   */
  public Tensor withShape(int... dims) {
    int infer = -1;
    long known = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              "reshape: more than one -1 in " + Arrays.toString(dims));
        }
        infer = i;
      } else {
        known *= dims[i];
      }
    }
    int[] d = dims.clone();
    if (infer >= 0) {
      if (known == 0 || numel() % known != 0) {
        throw new IllegalArgumentException(
            "reshape: cannot view shape " + shape + " as " + Arrays.toString(dims));
      }
      d[infer] = (int) (numel() / known);
    }
    Shape target = Shape.of(d);
    if (target.numel() != numel()) {
      throw new IllegalArgumentException(
          "reshape: shape " + shape + " (" + numel() + " elements) cannot be viewed as " + target);
    }
    return new Tensor(target, storage);
  }

  /** The same storage, cut off from the graph and not requiring a gradient. */
  public Tensor detach() {
    return new Tensor(shape, storage);
  }

  // ---- autograd slots --------------------------------------------------------------------

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf tensor (a parameter or input) as needing a gradient. Returns this. */
  public Tensor requiresGrad(boolean value) {
    if (gradFn != null && !value) {
      throw new IllegalStateException(
          "requiresGrad(false) on a tensor computed by an op: use detach() instead");
    }
    this.requiresGrad = value;
    return this;
  }

  /** The accumulated gradient (read-only, see class note), or null before any backward. */
  public Tensor grad() {
    return grad;
  }

  /** Used by autograd and optimisers to install a gradient. */
  public void setGrad(Tensor g) {
    if (g != null && !g.shape.equals(shape)) {
      throw new IllegalArgumentException(
          "setGrad: gradient shape " + g.shape + " does not match tensor shape " + shape);
    }
    this.grad = g;
  }

  /** Drops the gradient; the next backward starts accumulating from zero. */
  public void zeroGrad() {
    this.grad = null;
  }

  /** The op that produced this tensor, or null for a leaf. */
  public GradFn gradFn() {
    return gradFn;
  }

  /** Which output of {@link #gradFn()} this tensor is (ops may have several). */
  public int outputIndex() {
    return outputIndex;
  }

  /** Used by autograd when recording an op's output. */
  public void setGradFn(GradFn fn, int outputIndex) {
    this.gradFn = fn;
    this.outputIndex = outputIndex;
    this.requiresGrad = fn != null;
  }

  public boolean isLeaf() {
    return gradFn == null;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Tensor").append(shape).append(" on ").append(device());
    if (requiresGrad) {
      b.append(", requiresGrad");
    }
    if (numel() <= 16) {
      b.append(' ').append(Arrays.toString(toArray()));
    }
    return b.toString();
  }
}
