package cs4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which dataset, and where its files are. */
public final class DataOptions {
  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description =
          "fashion-mnist-subset (embedded, the default for lenet300/conv4), fashion-mnist (OS"
              + " package dataset-fashion-mnist or --data-dir), cifar10 (--data-dir or --download;"
              + " the default for ResNet/VGG)")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "directory holding the dataset's files")
  Path dataDir;

  @Option(
      names = "--download",
      description = "cifar10: download the official archive into --cache-dir once (MD5-checked)")
  boolean download;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "where --download keeps CIFAR-10 (default: --data-dir)")
  Path cacheDir;

  /** The dataset named, or the model's default one. */
  DatasetName datasetFor(String model) {
    return DatasetName.fromCli(dataset != null ? dataset : ModelDefaults.dataset(model));
  }

  ExperimentData.Source source(String model) {
    return new ExperimentData.Source(datasetFor(model), dataDir, download, cacheDir);
  }
}
