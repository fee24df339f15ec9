package cs4j.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The datasets the command line knows, under their command-line names. */
public enum DatasetName {
  /** 6,000 training / 1,000 test images of Fashion-MNIST that ship inside cs4j. */
  SUBSET("fashion-mnist-subset"),
  /** Full Fashion-MNIST: the OS package {@code dataset-fashion-mnist}, or {@code --data-dir}. */
  FASHION_MNIST("fashion-mnist"),
  /** CIFAR-10 binary batches from {@code --data-dir}, or downloaded with {@code --download}. */
  CIFAR10("cifar10"),
  /** Any dataset in MNIST's four-file IDX layout, from {@code --data-dir}. */
  IDX("idx"),
  /** Image files in class folders, {@code train/<class>/} and {@code test/<class>/}. */
  IMAGE_FOLDER("image-folder");

  private final String cliName;

  DatasetName(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** The dataset called {@code name}; unknown names are refused with the list of known ones. */
  public static DatasetName fromCli(String name) {
    for (DatasetName d : values()) {
      if (d.cliName.equals(name)) {
        return d;
      }
    }
    throw new BadInputException(
        "unknown dataset '"
            + name
            + "'; known datasets: "
            + Arrays.stream(values()).map(DatasetName::cliName).collect(Collectors.joining(", ")));
  }
}
