import cs4j.data.*;
import cs4j.io.*;
import cs4j.models.*;
import cs4j.nn.*;
import cs4j.ops.Ops;
import cs4j.optim.*;
import cs4j.sparsity.*;
import cs4j.tensor.*;
import cs4j.train.*;
import java.nio.file.*;
import java.util.*;

/**
 * What the ticket scale c does to a rewound CS ticket of a run on the embedded subset: the size of
 * its outputs and the loss of its first training steps, at c = 1 and c = 2 (benchmarks/TICKET-SCALE.md).
 *
 * <p>Arguments: model, run directory (with rewind.safetensors and round0/masks.safetensors), masked
 * layers (LINEAR, CONVS_AND_LINEAR), learning rate.
 */
public class ScaleProbe {
  public static void main(String[] a) throws Exception {
    String model = a[0];
    Path run = Path.of(a[1]);
    LayerSelection layers = LayerSelection.valueOf(a[2]);
    double lr = Double.parseDouble(a[3]);
    TrainTest tt = EmbeddedDatasets.fashionMnistSubset();
    InputSpec in = new InputSpec(1, 28, 28, 10);
    BatchLoader train = new BatchLoader(tt.train(), Normalization.FASHION_MNIST, Augmentation.NONE, LoaderOptions.training(64, 1));
    Batch probe = train.batch(0, 0);
    for (float c : new float[] {1f, 2f}) {
      cs4j.nn.Module net = Models.create(model, in, 1234);
      SafetensorsFile snap = Safetensors.read(run.resolve("rewind.safetensors"));
      Map<String, Tensor> st = new LinkedHashMap<>();
      for (String n : net.stateDict().keySet()) st.put(n, snap.tensor(n));
      net.loadStateDict(st);
      Masks m = Masks.load(run.resolve("round0/masks.safetensors"), model, net, layers);
      m.apply(net, c);
      Tensor logits = net.forward(probe.images());
      float[] v = logits.toArray();
      double sq = 0, mx = 0;
      for (float x : v) { sq += x * x; mx = Math.max(mx, Math.abs(x)); }
      double ce = Ops.crossEntropy(logits, probe.labels()).item();
      List<StepMetrics> steps = new ArrayList<>();
      Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), lr, 0.9, 1e-4));
      try {
        new Trainer(net, List.of(sgd), LrSchedule.multiStep(0.1), TrainingHooks.NONE,
            Trainer.Options.of(1).withProgress(Progress.silent()).withSteps(steps::add)).fit(train, null);
      } catch (TrainingDivergedException e) {
        System.out.println("   " + e.getMessage());
      }
      double maxLoss = steps.stream().mapToDouble(StepMetrics::loss).max().orElse(Double.NaN);
      StringBuilder first = new StringBuilder();
      for (int i = 0; i < Math.min(8, steps.size()); i++) first.append(String.format("%.3g ", steps.get(i).loss()));
      double lastAcc = steps.stream().skip(Math.max(0, steps.size() - 20)).mapToDouble(StepMetrics::accuracy).average().orElse(Double.NaN);
      System.out.printf("%s (%.2f%% kept) c=%.0f lr=%g: rms logit %.3g, max |logit| %.3g, CE before training %.3g; steps trained %d, max step loss %.3g, first losses [%s], last-20-step acc %.3f%n",
          model, 100 * m.fractionRemaining(), c, lr, Math.sqrt(sq / v.length), mx, ce, steps.size(), maxLoss, first.toString().trim(), lastAcc);
    }
  }
}
