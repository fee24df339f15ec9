import cs4j.models.*;
import cs4j.nn.*;
import cs4j.ops.Ops;
import cs4j.sparsity.*;
import cs4j.tensor.*;
import java.util.*;

/** Batch norm cancels the ticket scale c in ResNet-20's forward pass (benchmarks/TICKET-SCALE.md). */
public class BnProbe {
  public static void main(String[] a) {
    Rng rng = new Rng(7);
    Tensor x = Tensor.normal(rng, 0f, 1f, 32, 3, 32, 32);
    float[][] out = new float[2][];
    float[] cs = {1f, 2f};
    for (int i = 0; i < 2; i++) {
      cs4j.nn.Module net = Models.create("resnet20", InputSpec.CIFAR10, 1234);
      Masks.dense("resnet20", net, LayerSelection.CONV3X3).apply(net, cs[i]);
      net.train(true);
      out[i] = net.forward(x).toArray();
    }
    double maxDiff = 0, maxAbs = 0;
    for (int j = 0; j < out[0].length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(out[0][j] - out[1][j]));
      maxAbs = Math.max(maxAbs, Math.abs(out[0][j]));
    }
    System.out.printf("resnet20 (batch norm after every masked conv), train-mode logits c=1 vs c=2: max |diff| %.3g, max |logit| %.3g%n", maxDiff, maxAbs);
  }
}
