package cs4j.cli;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.TrainTest;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.train.EpochMetrics;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.util.List;

/**
 * The main job on the embedded default data: trains LeNet-300-100 on the Fashion-MNIST subset
 * shipped in the jar (6,000 training and 1,000 test images) and prints the loss falling and the
 * test accuracy rising, epoch by epoch. Needs nothing but a JDK: no download, no GPU.
 *
 * <p>Arguments (optional): {@code [model] [epochs]}, e.g. {@code conv4 3}.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws IOException {
    String model = args.length > 0 ? args[0] : "lenet300";
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    TrainTest data = EmbeddedDatasets.fashionMnistSubset();
    System.out.printf(
        "cs4j demo: %s on %s (%d train / %d test images), %d epochs%n",
        model, data.train().name(), data.train().size(), data.test().size(), epochs);

    Normalization norm = Normalization.FASHION_MNIST;
    BatchLoader train =
        new BatchLoader(data.train(), norm, Augmentation.NONE, LoaderOptions.training(64, 1234));
    BatchLoader test =
        new BatchLoader(data.test(), norm, Augmentation.NONE, LoaderOptions.evaluation(500));

    Module net = Models.create(model, InputSpec.MNIST, 1234);
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 1e-4));
    Trainer trainer =
        new Trainer(
            net,
            List.of(sgd),
            LrSchedule.cosine(epochs, 0.0),
            TrainingHooks.NONE,
            Trainer.Options.of(epochs).withProgress(Progress.auto()));
    List<EpochMetrics> history = trainer.fit(train, test);

    System.out.println();
    System.out.println("epoch | train loss | test accuracy");
    for (EpochMetrics m : history) {
      System.out.printf(
          "%5d | %10.4f | %12.2f%%%n", m.epoch() + 1, m.trainLoss(), 100 * m.evalAccuracy());
    }
  }
}
