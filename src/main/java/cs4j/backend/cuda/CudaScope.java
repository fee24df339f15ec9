package cs4j.backend.cuda;

import cs4j.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The owner of the device tensors allocated while it is open, on this thread: closing it returns
 * them all to the caching allocator. Scopes nest; {@link #keep} hands a tensor to the enclosing
 * scope, or makes it permanent when this scope is outermost. Tensors allocated with no scope open
 * are permanent (parameters, batch-norm buffers, momentum) until {@link CudaDevice#release}.
 *
 * <p>A training step is one scope:
 *
 * <pre>{@code
 * try (CudaScope step = CudaScope.open()) {
 *   Tensor loss = ...forward...;
 *   Autograd.backward(loss);          // reads the loss: the step's one host sync
 *   sgd.step();
 *   step.keep(sgd.momentumBuffers()); // created on the first step: they must outlive it
 *   model.zeroGrad();
 * }                                    // activations, gradients, temporaries released here
 * }</pre>
 *
 * NOTE: a tensor that escapes a closed scope without keep() fails on its next use, naming the
 * kernel, rather than silently reading reused memory.
 */
public final class CudaScope implements AutoCloseable {
  private static final ThreadLocal<CudaScope> CURRENT = new ThreadLocal<>();

  private final CudaScope parent;
  private final Set<CudaStorage> owned = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;

  private CudaScope(CudaScope parent) {
    this.parent = parent;
  }

  /** Opens a scope nested in the thread's current one. */
  public static CudaScope open() {
    CudaScope s = new CudaScope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** Registers a new storage with the thread's current scope, if any. */
  static void adopt(CudaStorage storage) {
    CudaScope s = CURRENT.get();
    if (s != null) {
      s.owned.add(storage);
    }
  }

  /** Moves {@code t}'s storage to the enclosing scope (or makes it permanent); returns t. */
  public Tensor keep(Tensor t) {
    if (t != null && t.storage() instanceof CudaStorage cs && owned.remove(cs) && parent != null) {
      parent.owned.add(cs);
    }
    return t;
  }

  /** {@link #keep(Tensor)} for each tensor (nulls are skipped). */
  public void keep(Iterable<Tensor> tensors) {
    for (Tensor t : tensors) {
      keep(t);
    }
  }

  /** Number of storages this scope will release. */
  public int size() {
    return owned.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (CURRENT.get() != this) {
      throw new IllegalStateException(
          "CudaScope.close: scopes must close innermost first, on the thread that opened them");
    }
    for (CudaStorage s : owned) {
      s.release();
    }
    owned.clear();
    closed = true;
    if (parent == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(parent);
    }
  }
}
