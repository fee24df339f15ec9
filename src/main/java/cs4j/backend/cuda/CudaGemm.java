package cs4j.backend.cuda;

import cs4j.tensor.Tensor;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * Row-major SGEMM (Backend.gemm) by cuBLAS when a CUDA 12 cuBLAS ({@code libcublas.so.12}) loads,
 * else by our tiled kernels (gemm.cu). {@code -Dcs4j.cuda.gemm=kernels} forces our kernels, {@code
 * =cublas} refuses to start without cuBLAS. The choice is logged at start-up ({@link #describe}).
 *
 * <p>cuBLAS is column-major: row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the
 * call swaps the operands and passes the row-major leading dimensions unchanged.
 */
final class CudaGemm {
  private final CudaContext ctx;
  private final CudaDevice device;
  private final TileRunner tiles;
  private final cublasHandle handle;
  private final String description;

  /** Chooses the path by {@code mode}: auto, cublas or kernels. */
  CudaGemm(CudaContext ctx, CudaDevice device, TileRunner tiles, String mode) {
    this.ctx = ctx;
    this.device = device;
    this.tiles = tiles;
    if (!mode.equals("auto") && !mode.equals("cublas") && !mode.equals("kernels")) {
      throw new IllegalArgumentException(
          "cs4j.cuda.gemm must be auto, cublas or kernels, got '" + mode + "'");
    }
    cublasHandle h = null;
    String why;
    if (mode.equals("kernels")) {
      why = "cs4j.cuda.gemm=kernels";
    } else {
      try {
        JCublas2.setExceptionsEnabled(true);
        ctx.makeCurrent();
        h = new cublasHandle();
        JCublas2.cublasCreate(h);
        why = null;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError | CudaException e) {
        h = null;
        why = "cuBLAS unavailable: " + Cuda.firstLine(e);
        if (mode.equals("cublas")) {
          throw new IllegalStateException("cs4j.cuda.gemm=cublas but " + why, e);
        }
      }
    }
    this.handle = h;
    this.description =
        h != null ? "cuBLAS (libcublas.so.12)" : "cs4j tiled SGEMM kernels (" + why + ")";
  }

  boolean usesCublas() {
    return handle != null;
  }

  String describe() {
    return description;
  }

  void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    if (handle == null) {
      tiles.run(
          "gemm",
          "cs4j_sgemm",
          m,
          n,
          k,
          alpha,
          beta,
          c,
          transA ? 1 : 0,
          transB ? 1 : 0,
          m,
          n,
          k,
          alpha,
          a,
          b,
          beta,
          c);
      return;
    }
    cublas(transA, transB, m, n, k, alpha, a, b, beta, c);
  }

  /**
   * cuBLAS on the calling thread's stream. The one handle is shared by every thread, so a call sets
   * its stream and enqueues the GEMM under the handle's lock.
   */
  private void cublas(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    synchronized (handle) {
      JCublas2.cublasSetStream(handle, new cudaStream_t(ctx.stream()));
      JCublas2.cublasSgemm(
          handle,
          transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
          transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
          n,
          m,
          k,
          Pointer.to(new float[] {alpha}),
          device.ptr(b, "cublasSgemm B"),
          transB ? k : n,
          device.ptr(a, "cublasSgemm A"),
          transA ? m : k,
          Pointer.to(new float[] {beta}),
          device.ptr(c, "cublasSgemm C"),
          n);
    }
  }
}
