package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.testing.Allocations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
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
  void truncatedImagesAreReportedFromTheHeader() throws IOException {
    byte[] full = DataFixtures.idxImages(N, ROWS, COLS, PIXELS);
    Path cut = write("cut", Arrays.copyOf(full, full.length - 7));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readImages(cut));
    assertEquals(16, e.offset(), e.getMessage()); // the end of the header
    assertTrue(
        e.getMessage().startsWith(cut + ": 5 images of 4x3 need 60 bytes, the file has 53"),
        e.getMessage());
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

  // ---- headers are checked against the file's size before anything is allocated -------------

  @Test
  void labelCountBeyondTheFileIsRefusedBeforeAllocating() throws IOException {
    // An 8-byte file claiming 2^31 - 1 labels: nothing but the header is there.
    Path labels = write("labels", idxHeader(IdxReader.LABELS_MAGIC, Integer.MAX_VALUE));

    CorruptDataException e = refusedWithin(1 << 20, () -> IdxReader.readLabels(labels, 10), labels);
    assertTrue(e.getMessage().contains("2147483647 labels need 2147483647 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("the file has 0 bytes left"), e.getMessage());
  }

  @Test
  void imageCountBeyondTheFileIsRefusedBeforeAllocating() throws IOException {
    // 1000 images of 1000x1000 would be 10^9 bytes; the file holds 16.
    Path images = write("images", idxHeader(IdxReader.IMAGES_MAGIC, 1000, 1000, 1000));

    CorruptDataException e = refusedWithin(1 << 20, () -> IdxReader.readImages(images), images);
    assertTrue(e.getMessage().contains("need 1000000000 bytes"), e.getMessage());
  }

  @Test
  void overflowingImageShapeIsRefused() throws IOException {
    // 2^21 * 2^21 * 2^21 = 2^63 wraps a long to Long.MIN_VALUE, whose low 32 bits are 0.
    int n = 1 << 21;
    Path images = write("images", idxHeader(IdxReader.IMAGES_MAGIC, n, n, n));
    refusedWithin(1 << 20, () -> IdxReader.readImages(images), images);
    // (2^31 - 1)^2 * 5 wraps to a negative long whose low 32 bits are negative too.
    int m = Integer.MAX_VALUE;
    Path other = write("other", idxHeader(IdxReader.IMAGES_MAGIC, m, m, 5));
    refusedWithin(1 << 20, () -> IdxReader.readImages(other), other);
  }

  @Test
  void gzipFileCannotClaimMoreThanDeflateCanExpandTo() throws IOException {
    // A few dozen bytes of gzip cannot decompress to 2^31 - 1 labels (deflate expands <= 1032x).
    Path labels =
        write("labels.gz", DataFixtures.gzip(idxHeader(IdxReader.LABELS_MAGIC, Integer.MAX_VALUE)));

    CorruptDataException e = refusedWithin(1 << 20, () -> IdxReader.readLabels(labels, 10), labels);
    assertTrue(e.getMessage().contains("a gzip file of"), e.getMessage());
  }

  @Test
  void emptyImageOrLabelFilesAreRefused() throws IOException {
    Path labels = write("labels", idxHeader(IdxReader.LABELS_MAGIC, 0));
    Path images = write("images", idxHeader(IdxReader.IMAGES_MAGIC, 0, ROWS, COLS));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(labels, 10));
    assertTrue(e.getMessage().contains(labels + ": label count is 0"), e.getMessage());
    e = assertThrows(CorruptDataException.class, () -> IdxReader.readImages(images));
    assertTrue(e.getMessage().contains(images + ": image count is 0"), e.getMessage());
  }

  @Test
  void bytesAfterTheGzipDataAreRefused() throws IOException {
    byte[] gz = DataFixtures.gzip(DataFixtures.idxLabels(LABELS));
    byte[] longer = Arrays.copyOf(gz, gz.length + 3);
    longer[gz.length] = 'x';
    Path labels = write("labels.gz", longer);

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(labels, 10));
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("3 bytes after the end of the gzip data"), e.getMessage());
  }

  @Test
  void concatenatedGzipMembersAreOneStream() throws IOException {
    // RFC 1952: a gzip file is a series of members (what "cat a.gz b.gz" gives).
    byte[] plain = DataFixtures.idxLabels(LABELS);
    byte[] first = DataFixtures.gzip(Arrays.copyOf(plain, 6));
    byte[] second = DataFixtures.gzip(Arrays.copyOfRange(plain, 6, plain.length));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);

    assertArrayEquals(LABELS, IdxReader.readLabels(write("labels.gz", both), 10));
  }

  @Test
  void gzipChecksumMismatchIsRefused() throws IOException {
    byte[] gz = DataFixtures.gzip(DataFixtures.idxLabels(LABELS));
    gz[gz.length - 8] ^= 1; // the CRC-32 of the trailer
    Path labels = write("labels.gz", gz);

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(labels, 10));
    assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
  }

  @Test
  void mnistLayoutRejectsTestImagesOfAnotherSize() throws IOException {
    writeMnistLayout(N);
    write(MnistFormat.TEST_IMAGES, DataFixtures.idxImages(N, COLS, ROWS, PIXELS));

    CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().contains(MnistFormat.TEST_IMAGES), e.getMessage());
    assertTrue(
        e.getMessage().contains("images of 3x4, the training images are 4x3"), e.getMessage());
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

  /** An IDX header alone: the magic, then the given sizes. */
  private static byte[] idxHeader(int magic, int... sizes) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length).putInt(magic);
    for (int s : sizes) {
      b.putInt(s);
    }
    return b.array();
  }

  /**
   * Asserts {@code read} fails with a {@link CorruptDataException} naming {@code file}, having
   * allocated at most {@code maxBytes} on the way (a refusal after a huge allocation is too late).
   */
  private static CorruptDataException refusedWithin(long maxBytes, Executable read, Path file) {
    long before = Allocations.current();
    CorruptDataException e = assertThrows(CorruptDataException.class, read);
    long allocated = Allocations.current() - before;
    assertTrue(allocated <= maxBytes, "allocated " + allocated + " bytes before refusing");
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}
