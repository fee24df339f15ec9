package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
  @TempDir Path dir;

  @Test
  void recordsBecomeChwImagesAndLabels() throws IOException {
    byte[] images = DataFixtures.patternPixels(3, Cifar10.IMAGE_BYTES);
    // Mark pixel (c=2 "blue", y=5, x=7) of image 1 so that the plane order is checked directly.
    images[Cifar10.IMAGE_BYTES + 2 * 1024 + 5 * 32 + 7] = (byte) 255;
    Path f = dir.resolve("data_batch_1.bin");
    Files.write(f, DataFixtures.cifarRecords(new int[] {6, 9, 0}, images));

    Dataset d = Cifar10.read(List.of(f), "t");
    assertEquals(3, d.size());
    assertEquals(3, d.channels());
    assertEquals(32, d.height());
    assertEquals(32, d.width());
    assertArrayEquals(new int[] {6, 9, 0}, d.labels());
    byte[] image1 = d.image(1);
    assertArrayEquals(
        Arrays.copyOfRange(images, Cifar10.IMAGE_BYTES, 2 * Cifar10.IMAGE_BYTES), image1);
    assertEquals((byte) 255, image1[2 * 1024 + 5 * 32 + 7]);
  }

  @Test
  void loadConcatenatesTheFiveTrainingBatchesInOrder() throws IOException {
    writeLayout(dir, 2);

    TrainTest data = Cifar10.load(dir);
    assertEquals(10, data.train().size());
    assertEquals(2, data.test().size());
    // writeLayout labels batch b's records b-1 and b (mod 10), the test batch 7 and 8.
    assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3, 3, 4, 4, 5}, data.train().labels());
    assertArrayEquals(new int[] {7, 8}, data.test().labels());
  }

  @Test
  void partialRecordNamesFileAndOffset() throws IOException {
    Path f = dir.resolve("data_batch_3.bin");
    byte[] two = DataFixtures.cifarRecords(new int[] {1, 2}, new byte[2 * Cifar10.IMAGE_BYTES]);
    Files.write(f, Arrays.copyOf(two, two.length - 100));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> Cifar10.read(List.of(f), "t"));
    assertEquals(Cifar10.RECORD_BYTES, e.offset());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("3073"), e.getMessage());
  }

  @Test
  void labelAboveNineNamesFileAndRecordOffset() throws IOException {
    Path f = dir.resolve("test_batch.bin");
    Files.write(
        f, DataFixtures.cifarRecords(new int[] {1, 2, 10}, new byte[3 * Cifar10.IMAGE_BYTES]));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> Cifar10.read(List.of(f), "t"));
    assertEquals(2L * Cifar10.RECORD_BYTES, e.offset());
    assertTrue(e.getMessage().contains("label 10"), e.getMessage());
  }

  @Test
  void emptyBatchFileIsRefused() throws IOException {
    writeLayout(dir, 2);
    Path test = Files.write(dir.resolve("test_batch.bin"), new byte[0]);

    assertFalse(Cifar10.isComplete(dir));
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10.load(dir));
    assertTrue(e.getMessage().startsWith(test + ": empty file"), e.getMessage());
  }

  @Test
  void fileTooBigToHoldIsRefusedNamingIt() throws IOException {
    writeLayout(dir, 2);
    // A sparse file of 700,000 whole records (2.15 GB, no disk used): more pixels than one array.
    Path big = dir.resolve("data_batch_2.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(700_000L * Cifar10.RECORD_BYTES);
    }

    CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10.load(dir));
    assertTrue(e.getMessage().startsWith(big + ": 700000 records"), e.getMessage());
    assertTrue(e.getMessage().contains("more than one dataset holds"), e.getMessage());
  }

  @Test
  void missingFilesAreListed() throws IOException {
    writeLayout(dir, 1);
    Files.delete(dir.resolve("data_batch_4.bin"));

    assertFalse(Cifar10.isComplete(dir));
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Cifar10.load(dir));
    assertTrue(e.getMessage().contains("[data_batch_4.bin]"), e.getMessage());
  }

  /** The six batch files with {@code perFile} records each (labels documented at the caller). */
  static void writeLayout(Path dir, int perFile) throws IOException {
    Files.createDirectories(dir);
    for (int b = 1; b <= 5; b++) {
      Files.write(dir.resolve("data_batch_" + b + ".bin"), records(b - 1, perFile));
    }
    Files.write(dir.resolve("test_batch.bin"), records(7, perFile));
  }

  static byte[] records(int firstLabel, int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (firstLabel + i) % 10;
    }
    return DataFixtures.cifarRecords(
        labels, DataFixtures.patternPixels(count, Cifar10.IMAGE_BYTES));
  }
}
