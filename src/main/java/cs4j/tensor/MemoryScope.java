package cs4j.tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The owner of the memory allocated on this thread while it is open: closing it releases every
 * {@link ReleasableStorage} allocated since (on any device). Scopes nest; {@link #keep} hands a
 * tensor to the enclosing scope, or makes it permanent when this scope is outermost. Storage
 * allocated with no scope open is permanent until its owner releases it ({@link Tensor#release()},
 * {@code Module.close()}, {@code Sgd.close()}).
 *
 * <p>On the CPU a scope is a buffer pool: while one is open, {@link Device#CPU} lends arrays from
 * the thread's {@link HostPool} as {@link ReleasableStorage} adopted here, and closing the scope
 * puts them back for the next step to take (see {@link HostPool} for how the pool stays bounded).
 * So host tensors follow the same rules as device memory: one that outlives its scope without
 * {@link #keep} refuses every later use. With no scope open, host storage is plain and
 * garbage-collected.
 *
 * <p>A training step is one scope; long-lived state (parameters, momentum, mask logits, masks) is
 * allocated outside it, once:
 *
 * <pre>{@code
 * try (MemoryScope step = device.openScope()) {
 *   Tensor loss = ...forward...;
 *   Autograd.backward(loss);
 *   sgd.step();                        // writes into parameters and momentum in place
 * }                                    // activations, gradients, temporaries released here
 * }</pre>
 *
 * NOTE: a tensor that escapes a closed scope without keep() fails on its next use (on CUDA naming
 * the kernel), rather than silently reading reused memory.
 */
public final class MemoryScope implements AutoCloseable {
  private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

  private final MemoryScope parent;
  private final Thread owner = Thread.currentThread();

  /** In allocation order, so a scope releases in a reproducible order (storages keep identity). */
  private final Set<ReleasableStorage> owned = new LinkedHashSet<>();

  private final HostPool hostPool = HostPool.local();
  private final long opened = hostPool.scopeOpened();
  private boolean closed;

  private MemoryScope(MemoryScope parent) {
    this.parent = parent;
  }

  /** Opens a scope nested in the thread's current one ({@link Device#openScope()}). */
  static MemoryScope open() {
    MemoryScope s = new MemoryScope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** The thread's innermost open scope, or null. */
  static MemoryScope current() {
    return CURRENT.get();
  }

  /**
   * Host storage of n floats from the thread's pool, owned by this scope: zero-filled when {@code
   * zeroed}, else holding a reused array's stale values ({@link Device#allocateUninitialized}).
   */
  HostStorage lendHost(int n, boolean zeroed) {
    PooledHostStorage s = hostPool.lend(n, zeroed);
    owned.add(s);
    return s;
  }

  /** Registers new device storage with the thread's current scope, if one is open. */
  public static void adopt(ReleasableStorage storage) {
    MemoryScope s = CURRENT.get();
    if (s != null) {
      s.owned.add(storage);
    }
  }

  /** Moves {@code t}'s storage to the enclosing scope (or makes it permanent); returns t. */
  public Tensor keep(Tensor t) {
    if (t != null && t.storage() instanceof ReleasableStorage rs && owned.remove(rs)) {
      if (parent != null) {
        parent.owned.add(rs);
      }
    }
    return t;
  }

  /** {@link #keep(Tensor)} for each tensor (nulls are skipped). */
  public void keep(Iterable<Tensor> tensors) {
    for (Tensor t : tensors) {
      keep(t);
    }
  }

  /**
   * Hands every storage this scope owns to the caller, who must release them (a captured graph's
   * pool); the scope is left empty.
   */
  public List<ReleasableStorage> detach() {
    List<ReleasableStorage> all = new ArrayList<>(owned);
    owned.clear();
    return all;
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
          "MemoryScope.close: scopes must close innermost first, on the thread that opened them"
              + " (opened on "
              + owner.getName()
              + ", closing on "
              + Thread.currentThread().getName()
              + ")");
    }
    List<ReleasableStorage> all = new ArrayList<>(owned);
    owned.clear();
    closed = true;
    if (parent == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(parent);
    }
    for (ReleasableStorage s : all) {
      s.release();
    }
    hostPool.trim(opened);
  }
}
