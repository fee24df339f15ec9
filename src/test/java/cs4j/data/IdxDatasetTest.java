package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
  @TempDir Path tmp;

  @Test
  void takesItsClassCountFromTheLabelsOfBothSplits() throws IOException {
    // 30 training images labelled i mod 3, 7 test images labelled i mod 3: classes 0, 1, 2.
    TrainTest data = IdxDataset.load(DataFolders.idx(tmp, 30, 7, 8, 3, true), "digits");
    assertEquals(3, data.train().numClasses());
    assertEquals(3, data.test().numClasses());
    assertArrayEquals(new int[] {10, 10, 10}, data.train().classCounts());
    assertEquals(8, data.train().height());
    assertEquals(8, data.test().width());
    assertEquals(1, data.train().channels());
    assertArrayEquals(
        Arrays.copyOfRange(DataFixtures.patternPixels(30, 64), 64, 128), data.train().image(1));
  }

  @Test
  void aClassSeenOnlyInTheTestSplitCounts() throws IOException {
    // Training labels i mod 2 (0, 1), test labels i mod 5 (0 … 4): five classes.
    Path dir = tmp.resolve("d");
    DataFolders.idx(dir, 20, 5, 4, 2, false);
    Path other = tmp.resolve("o");
    DataFolders.idx(other, 20, 5, 4, 5, false);
    Files.copy(
        other.resolve(MnistFormat.TEST_LABELS),
        dir.resolve(MnistFormat.TEST_LABELS),
        StandardCopyOption.REPLACE_EXISTING);
    TrainTest data = IdxDataset.load(dir, "d");
    assertEquals(5, data.train().numClasses());
    assertArrayEquals(new int[] {10, 10, 0, 0, 0}, data.train().classCounts());
  }
}
