package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import cs4j.tensor.StepGraph;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;

/**
 * A CUDA graph recorded from the calling thread's stream, instantiated once and launched by each
 * {@link #replay()}. Capture runs in relaxed mode, so that the caching allocator may still call
 * cuMemAlloc while recording. Scratch blocks that kernels used during the capture ({@link
 * CudaLauncher.Temp}) belong to the graph until it is closed, like the tensors of its pool.
 */
final class CudaGraph implements StepGraph {
  private final CudaContext ctx;
  private final CudaDevice device;
  private final CUgraph graph;
  private final CUgraphExec exec;
  private final List<Scratch> scratch;
  private boolean closed;

  /** A block of the allocator kept by the graph: address, size and stream. */
  record Scratch(CUdeviceptr ptr, long bytes, Object stream) {}

  private CudaGraph(
      CudaContext ctx, CudaDevice device, CUgraph graph, CUgraphExec exec, List<Scratch> scratch) {
    this.ctx = ctx;
    this.device = device;
    this.graph = graph;
    this.exec = exec;
    this.scratch = scratch;
  }

  /** Records what {@code body} issues on the calling thread's stream. */
  static CudaGraph record(CudaContext ctx, CudaDevice device, Runnable body) {
    CUstream stream = ctx.stream();
    List<Scratch> scratch = new ArrayList<>();
    cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED);
    CUgraph graph = new CUgraph();
    device.beginCapture(scratch);
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      device.endCapture();
      try { // the stream must leave capture mode; the half-recorded graph is dropped
        cuStreamEndCapture(stream, graph);
        cuGraphDestroy(graph);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      scratch.forEach(b -> device.allocator().release(b.ptr(), b.bytes(), b.stream()));
      throw e;
    }
    device.endCapture();
    cuStreamEndCapture(stream, graph);
    CUgraphExec exec = new CUgraphExec();
    cuGraphInstantiate(exec, graph, 0);
    return new CudaGraph(ctx, device, graph, exec, scratch);
  }

  @Override
  public void replay() {
    if (closed) {
      throw new IllegalStateException("CudaGraph.replay: the graph was closed");
    }
    cuGraphLaunch(exec, ctx.stream());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ctx.makeCurrent();
      cuGraphExecDestroy(exec);
      cuGraphDestroy(graph);
      scratch.forEach(s -> device.allocator().release(s.ptr(), s.bytes(), s.stream()));
    }
  }
}
