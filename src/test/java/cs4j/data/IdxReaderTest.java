package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private static final int N = 5;
  private static final int ROWS = 4;
  private static final int COLS = 3;
  private static final byte[] PIXELS = DataFixtures.patternPixels(N, ROWS * COLS);
  private static final int[] LABELS = {3, 0, 9, 9, 1};

  @Test
  void readsPlainImagesAndLabels() throws IOException {
    Path images = write("images", DataFixtures.idxImages(N, ROWS, COLS, PIXELS));
    Path labels = write("labels", DataFixtures.idxLabels(LABELS));

    IdxReader.Images read = IdxReader.readImages(images);
    assertEquals(N, read.count());
    assertEquals(ROWS, read.rows());
    assertEquals(COLS, read.cols());
    assertArrayEquals(PIXELS, read.pixels());
    assertArrayEquals(LABELS, IdxReader.readLabels(labels, 10));
  }

  @Test
  void detectsGzipByContentNotByName() throws IOException {
    // gzip data under a plain name, plain data under a .gz name: both read correctly.
    Path gzipped =
        write("images", DataFixtures.gzip(DataFixtures.idxImages(N, ROWS, COLS, PIXELS)));
    Path plain = write("labels.gz", DataFixtures.idxLabels(LABELS));

    assertArrayEquals(PIXELS, IdxReader.readImages(gzipped).pixels());
    assertArrayEquals(LABELS, IdxReader.readLabels(plain, 10));
  }

  @Test
  void wrongMagicNamesFileAndOffsetZero() throws IOException {
    Path labelsAsImages = write("swapped", DataFixtures.idxLabels(LABELS));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readImages(labelsAsImages));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains(labelsAsImages.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
  }

  @Test
  void truncatedImagesReportWhereTheFileEnds() throws IOException {
    byte[] full = DataFixtures.idxImages(N, ROWS, COLS, PIXELS);
    Path cut = write("cut", Arrays.copyOf(full, full.length - 7));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readImages(cut));
    assertEquals(full.length - 7, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("at byte offset " + (full.length - 7)), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path cut = write("header", Arrays.copyOf(DataFixtures.idxImages(N, ROWS, COLS, PIXELS), 10));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readImages(cut));
    assertEquals(10, e.offset(), e.getMessage()); // the file ends 2 bytes into the rows field
    assertTrue(e.getMessage().contains("rows"), e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsReportedWithFileName() throws IOException {
    byte[] gz = DataFixtures.gzip(DataFixtures.idxImages(N, ROWS, COLS, PIXELS));
    Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length - 12));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readImages(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.offset() <= 16 + PIXELS.length, "offset " + e.offset());
  }

  @Test
  void trailingDataIsReported() throws IOException {
    byte[] full = DataFixtures.idxLabels(LABELS);
    Path longer = write("longer", Arrays.copyOf(full, full.length + 1));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(longer, 10));
    assertEquals(full.length, e.offset());
  }

  @Test
  void labelOutOfRangeNamesItsOffset() throws IOException {
    Path labels = write("labels", DataFixtures.idxLabels(new int[] {1, 2, 10}));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(labels, 10));
    assertEquals(8 + 2, e.offset());
  }

  @Test
  void mnistLayoutReadsMixedPlainAndGzipFiles() throws IOException {
    writeMnistLayout(N);

    TrainTest data = FashionMnist.load(dir);
    assertEquals(N, data.train().size());
    assertEquals(1, data.train().channels());
    assertEquals(ROWS, data.train().height());
    assertEquals(COLS, data.train().width());
    assertArrayEquals(LABELS, data.train().labels());
    assertArrayEquals(Arrays.copyOf(PIXELS, ROWS * COLS), data.test().image(0));
  }

  @Test
  void mnistLayoutRejectsCountMismatch() throws IOException {
    writeMnistLayout(N);
    write(MnistFormat.TEST_LABELS, DataFixtures.idxLabels(new int[] {1, 2}));

    CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().contains(MnistFormat.TEST_LABELS), e.getMessage());
    assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
  }

  @Test
  void missingFilesAreListedWithTheDirectory() throws IOException {
    write(
        MnistFormat.TRAIN_IMAGES + ".gz",
        DataFixtures.gzip(DataFixtures.idxImages(N, ROWS, COLS, PIXELS)));

    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(MnistFormat.TEST_LABELS + "[.gz]"), e.getMessage());
    assertTrue(!e.getMessage().contains(MnistFormat.TRAIN_IMAGES), e.getMessage());
  }

  private void writeMnistLayout(int n) throws IOException {
    write(
        MnistFormat.TRAIN_IMAGES + ".gz",
        DataFixtures.gzip(DataFixtures.idxImages(n, ROWS, COLS, PIXELS)));
    write(MnistFormat.TRAIN_LABELS, DataFixtures.idxLabels(LABELS));
    write(MnistFormat.TEST_IMAGES, DataFixtures.idxImages(n, ROWS, COLS, PIXELS));
    write(MnistFormat.TEST_LABELS + ".gz", DataFixtures.gzip(DataFixtures.idxLabels(LABELS)));
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}
