package cs4j.backend.cuda;

import cs4j.backend.ConvGeometry;
import cs4j.tensor.Tensor;

/**
 * Convolution as implicit GEMMs on our kernels (conv.cu): no im2col buffer, no col2im scatter.
 *
 * <pre>
 *   forward          y [N, K, P, Q]: M = N·P·Q, columns K, reduction C·R·S
 *   backward data   dX [N, C, H, W]: M = N·H·W, columns C, reduction K·R·S
 *   backward weight dW [K, C, R, S]: M = C·R·S, columns K, reduction N·P·Q (split-K)
 * </pre>
 *
 * All three kernels take (in0, in1, out, N, C, H, W, K, R, S, strideH, strideW, padH, padW) and
 * overwrite their output.
 */
final class CudaConv {
  private final TileRunner tiles;

  CudaConv(TileRunner tiles) {
    this.tiles = tiles;
  }

  void forward(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
    int k = w.dim(0);
    run("cs4j_conv_fwd", g.n() * g.p() * g.q(), k, g.c() * g.r() * g.s(), x, w, y, g, k);
  }

  void backwardData(Tensor dY, Tensor w, Tensor dX, ConvGeometry g) {
    int k = w.dim(0);
    run("cs4j_conv_bwd_data", g.n() * g.h() * g.w(), g.c(), k * g.r() * g.s(), dY, w, dX, g, k);
  }

  void backwardWeight(Tensor x, Tensor dY, Tensor dW, ConvGeometry g) {
    int k = dW.dim(0);
    run("cs4j_conv_bwd_weight", g.c() * g.r() * g.s(), k, g.n() * g.p() * g.q(), x, dY, dW, g, k);
  }

  private void run(
      String kernel,
      int m,
      int n,
      int reduction,
      Tensor in0,
      Tensor in1,
      Tensor out,
      ConvGeometry g,
      int k) {
    tiles.run(
        "conv",
        kernel,
        m,
        n,
        reduction,
        1f,
        0f,
        out,
        in0,
        in1,
        out,
        g.n(),
        g.c(),
        g.h(),
        g.w(),
        k,
        g.r(),
        g.s(),
        g.strideH(),
        g.strideW(),
        g.padH(),
        g.padW());
  }
}
