package cs4j.testing.checked;

import cs4j.backend.Backend;
import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.Device;
import cs4j.tensor.HostStorage;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.StepGraph;
import cs4j.tensor.Storage;
import cs4j.tensor.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device for proving device placement without a GPU ({@code --device checked}): the CPU kernels
 * over storage of its own type, with the CUDA device's rules.
 *
 * <ul>
 *   <li>Every backend call refuses a tensor that is not on this device (a host tensor left behind,
 *       a tensor of another device), naming the primitive and the argument.
 *   <li>Memory is owned as on CUDA: it belongs to the {@link MemoryScope} open when it was
 *       allocated, and a released tensor refuses every later use.
 *   <li>Uninitialised memory ({@link #allocateUninitialized}) is NaN, so that an op which allocates
 *       its output uninitialised and does not overwrite all of it differs from the CPU.
 *   <li>It counts live and peak bytes, and host syncs (downloads), which tests assert on.
 *   <li>It captures graphs as CUDA does ({@link #capture}): recording queues the kernel calls (and
 *       the zero-filling of new tensors) without running them, host transfers are refused while
 *       recording, and a replay runs the queue again. A host value frozen into a captured step
 *       therefore shows as a difference from eager execution, as it would on a GPU.
 * </ul>
 *
 * Results equal the CPU backend's bit for bit: the same kernels run on the same arrays (as long as
 * every uninitialised output is overwritten).
 */
public final class CheckedDevice extends Device {
  private final String name;
  private final Backend backend;
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLong downloads = new AtomicLong();
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();

  /** While this thread records a graph: the work recorded so far. */
  private final ThreadLocal<List<Runnable>> recording = new ThreadLocal<>();

  CheckedDevice(int index) {
    this.name = "checked:" + index;
    this.backend =
        (Backend)
            Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, new Kernels());
  }

  @Override
  public String name() {
    return name;
  }

  Backend backend() {
    return backend;
  }

  private CheckedStorage adopt(CheckedStorage s) {
    long live = liveBytes.addAndGet(s.bytes());
    peakBytes.accumulateAndGet(live, Math::max);
    MemoryScope.adopt(s);
    return s;
  }

  void freed(CheckedStorage s) {
    liveBytes.addAndGet(-s.bytes());
  }

  @Override
  public Storage allocate(int n) {
    return allocateFilled(n, 0f);
  }

  /**
   * NaN-filled storage (and NaN again at each replay): an op that allocates its output
   * uninitialised but leaves an element unwritten, or reads one before writing it, gives NaN here
   * where the CPU gives a number, which the parity tests refuse.
   */
  @Override
  public Storage allocateUninitialized(int n) {
    return allocateFilled(n, Float.NaN);
  }

  private Storage allocateFilled(int n, float value) {
    float[] data = new float[n];
    Arrays.fill(data, value);
    CheckedStorage s = adopt(new CheckedStorage(this, data));
    List<Runnable> graph = recording.get();
    if (graph != null) { // each replay fills it again (a captured memset zero-fills on CUDA)
      graph.add(() -> Arrays.fill(s.data("a replayed allocation"), value));
    }
    return s;
  }

  @Override
  public Storage upload(float[] values) {
    refuseWhileRecording("upload");
    return adopt(new CheckedStorage(this, values.clone()));
  }

  @Override
  public void write(float[] src, Storage dst) {
    refuseWhileRecording("write");
    float[] d = own(dst, "write").data("write");
    checkLength("write", d.length, src.length);
    System.arraycopy(src, 0, d, 0, src.length);
  }

  @Override
  public void download(Storage storage, float[] dst) {
    refuseWhileRecording("download");
    float[] src = own(storage, "download").data("download");
    checkLength("download", src.length, dst.length);
    System.arraycopy(src, 0, dst, 0, src.length);
    downloads.incrementAndGet();
  }

  @Override
  public void release(Storage storage) {
    own(storage, "release").release();
  }

  @Override
  public void synchronize() {
    refuseWhileRecording("synchronize");
  }

  @Override
  public boolean capturesGraphs() {
    return true;
  }

  @Override
  protected StepGraph record(Runnable body) {
    List<Runnable> work = new ArrayList<>();
    recording.set(work);
    try {
      body.run();
    } finally {
      recording.remove();
    }
    recorded.incrementAndGet();
    return new StepGraph() {
      @Override
      public void replay() {
        replays.incrementAndGet();
        work.forEach(Runnable::run);
      }

      @Override
      public void close() {}
    };
  }

  private void refuseWhileRecording(String what) {
    if (recording.get() != null) {
      throw new IllegalStateException(
          what + " on " + name + " while recording a graph: host transfers cannot be replayed");
    }
  }

  @Override
  public long liveBytes() {
    return liveBytes.get();
  }

  @Override
  public long peakLiveBytes() {
    return peakBytes.get();
  }

  /** How many graphs were recorded so far. */
  public long graphsRecorded() {
    return recorded.get();
  }

  /** How many graph replays ran so far. */
  public long replays() {
    return replays.get();
  }

  /** How many times the host waited for this device (downloads) so far. */
  public long downloads() {
    return downloads.get();
  }

  private CheckedStorage own(Storage s, String user) {
    if (s instanceof CheckedStorage c && c.device() == this) {
      return c;
    }
    throw new IllegalArgumentException(
        user + ": expected a tensor on " + name + ", got one on " + s.device().name());
  }

  /**
   * The backend: each call's tensors are checked to be live tensors of this device and handed to
   * the CPU backend as host views of the same arrays (scalars pass through).
   */
  private final class Kernels implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "device":
          return CheckedDevice.this;
        case "describe":
          return "checked test device: the CPU kernels ("
              + CpuBackend.get().describe()
              + ") over owned, placement-checked storage";
        case "toString":
          return name + " backend";
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        default:
          break;
      }
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Tensor t) {
          hostView(t, m.getName(), i); // placement is checked when the call is made
        }
      }
      List<Runnable> graph = recording.get();
      if (graph != null) {
        graph.add(() -> run(m, args));
        return null;
      }
      run(m, args);
      return null;
    }

    /** The CPU kernel on host views of the arguments' arrays (taken now: a replay re-checks). */
    private void run(Method m, Object[] args) {
      Object[] host = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        host[i] = args[i] instanceof Tensor t ? hostView(t, m.getName(), i) : args[i];
      }
      try {
        m.invoke(CpuBackend.get(), host);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private Tensor hostView(Tensor t, String primitive, int index) {
      if (!(t.storage() instanceof CheckedStorage c) || c.device() != CheckedDevice.this) {
        throw new IllegalArgumentException(
            primitive
                + " on "
                + name
                + ": argument "
                + index
                + " "
                + t.shape()
                + " is on "
                + t.device().name()
                + "; every tensor of a call must live on "
                + name);
      }
      return new Tensor(t.shape(), new HostStorage(c.data(primitive + " argument " + index)));
    }
  }
}
