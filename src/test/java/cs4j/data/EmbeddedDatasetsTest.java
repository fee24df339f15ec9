package cs4j.data;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EmbeddedDatasetsTest {
  @Test
  void fashionSubsetIsStratified() throws IOException {
    TrainTest data = EmbeddedDatasets.fashionMnistSubset();

    assertEquals(6000, data.train().size());
    assertEquals(1000, data.test().size());
    assertEquals(1, data.train().channels());
    assertEquals(28, data.train().height());
    assertEquals(28, data.train().width());
    int[] train = new int[10];
    int[] test = new int[10];
    Arrays.fill(train, 600);
    Arrays.fill(test, 100);
    assertArrayEquals(train, data.train().classCounts());
    assertArrayEquals(test, data.test().classCounts());
  }

  @Test
  void subsetStatisticsAreCloseToTheFullDatasets() throws IOException {
    Normalization n = Normalization.of(EmbeddedDatasets.fashionMnistSubset().train());
    float[] constants = {
      Normalization.FASHION_MNIST.mean()[0], Normalization.FASHION_MNIST.std()[0]
    };
    assertClose(constants, new float[] {n.mean()[0], n.std()[0]}, 0, 0.01, "mean, std");
  }

  @Test
  void subsetImagesComeFromTheInstalledDataset() throws IOException {
    Assumptions.assumeTrue(FashionMnist.isInstalled(), "OS package dataset-fashion-mnist absent");
    Dataset full = IdxTestSet.read();
    Set<String> fullImages = new HashSet<>();
    for (int i = 0; i < full.size(); i++) {
      fullImages.add(Arrays.toString(full.image(i)) + full.label(i));
    }
    Dataset subset = EmbeddedDatasets.fashionMnistSubset().test();
    for (int i = 0; i < subset.size(); i++) {
      assertTrue(
          fullImages.contains(Arrays.toString(subset.image(i)) + subset.label(i)),
          "subset test image " + i + " is not in the full test set");
    }
  }

  /** Only the full test set: the training images are not needed for this check. */
  private static final class IdxTestSet {
    static Dataset read() throws IOException {
      IdxReader.Images images =
          IdxReader.readImages(MnistFormat.find(FashionMnist.SYSTEM_DIR, MnistFormat.TEST_IMAGES));
      int[] labels =
          IdxReader.readLabels(
              MnistFormat.find(FashionMnist.SYSTEM_DIR, MnistFormat.TEST_LABELS), 10);
      return new Dataset("full test", images.pixels(), labels, 1, 28, 28, 10);
    }
  }
}
