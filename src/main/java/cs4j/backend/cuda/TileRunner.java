package cs4j.backend.cuda;

import cs4j.tensor.Tensor;

/**
 * Launches a tile-GEMM kernel family ({@code <base>_128x16}, {@code _128x32}, {@code _64x64}) by
 * its {@link TilePlan}: directly into C when unsplit, else into a scratch buffer of splits × M × N
 * slices that cs4j_splitk_reduce adds in order into C (alpha·Σ + beta·C).
 */
final class TileRunner {
  private final CudaLauncher launcher;

  TileRunner(CudaLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * Runs kernel {@code base} of {@code module} for C [m, n] (reduction k) written to {@code c}.
   * {@code leading} are the kernel's arguments before its final (kPer, ws) pair.
   */
  void run(
      String module,
      String base,
      int m,
      int n,
      int k,
      float alpha,
      float beta,
      Tensor c,
      Object... leading) {
    TilePlan plan = TilePlan.of(m, n, k);
    Object[] args = new Object[leading.length + 2];
    System.arraycopy(leading, 0, args, 0, leading.length);
    args[leading.length] = plan.kPer();
    String kernel = base + plan.suffix();
    if (plan.splits() == 1) {
      args[leading.length + 1] = null;
      launcher.launch(module, kernel, plan.gridX(m), plan.gridY(n), 1, args);
      return;
    }
    long total = (long) m * n;
    try (CudaLauncher.Temp ws = launcher.temp(4L * total * plan.splits())) {
      args[leading.length + 1] = ws;
      launcher.launch(module, kernel, plan.gridX(m), plan.gridY(n), plan.splits(), args);
      launcher.launch1d(
          "gemm", "cs4j_splitk_reduce", total, ws, plan.splits(), (int) total, alpha, beta, c);
    }
  }
}
