package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cs4j.testing.FuzzCampaign;
import cs4j.testing.Mutator;
import cs4j.testing.Mutator.Field;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset readers on thousands of seeded mutations of small valid files (see {@link
 * FuzzCampaign} for the contract and the properties that make the campaign longer). Each case
 * mutates one file of a complete dataset directory and loads the whole directory.
 */
class DataFileFuzzTest {
  private static final int CASES = FuzzCampaign.cases(3000);
  private static final long FIXED_BYTES = 16 << 20; // buffers, class loading, the JSON of nothing
  private static final int BYTES_PER_INPUT_BYTE = 16; // int labels are 4x; pixels 1x; copies

  @TempDir Path dir;

  @Test
  void idxLayoutLoadsCorrectlyOrFailsNamingTheFile() throws IOException {
    Map<String, byte[]> payloads = new LinkedHashMap<>(); // what each file holds, uncompressed
    payloads.put(
        MnistFormat.TRAIN_IMAGES + ".gz",
        DataFixtures.idxImages(6, 5, 4, DataFixtures.patternPixels(6, 20)));
    payloads.put(MnistFormat.TRAIN_LABELS, DataFixtures.idxLabels(new int[] {0, 1, 2, 3, 4, 9}));
    payloads.put(
        MnistFormat.TEST_IMAGES,
        DataFixtures.idxImages(3, 5, 4, DataFixtures.patternPixels(3, 20)));
    payloads.put(MnistFormat.TEST_LABELS + ".gz", DataFixtures.idxLabels(new int[] {7, 8, 9}));
    Map<String, byte[]> stored = new LinkedHashMap<>();
    payloads.forEach((name, p) -> stored.put(name, isGzip(name) ? DataFixtures.gzip(p) : p));
    writeAll(stored);
    List<String> names = new ArrayList<>(stored.keySet());

    FuzzCampaign campaign = new FuzzCampaign("IDX (MNIST layout, plain and gzip)");
    for (int i = 0; i < CASES; i++) {
      long seed = FuzzCampaign.seed("idx", i);
      Mutator m = new Mutator(seed);
      String name = names.get(m.random().nextInt(names.size()));
      m.note(name);
      byte[] payload = payloads.get(name);
      byte[] bytes = isGzip(name) ? mutateGzip(m, payload) : m.mutate(payload, idxFields(payload));
      Path file = Files.write(dir.resolve(name), bytes);
      campaign.run(seed, m, dir.toString(), bound(), () -> checkIdx(FashionMnist.load(dir)));
      Files.write(file, stored.get(name));
    }
    campaign.report();
  }

  @Test
  void cifar10LoadsCorrectlyOrFailsNamingTheFile() throws IOException {
    Cifar10Test.writeLayout(dir, 2);
    List<String> names = new ArrayList<>(Cifar10.TRAIN_FILES);
    names.add(Cifar10.TEST_FILE);
    Map<String, byte[]> stored = new LinkedHashMap<>();
    for (String name : names) {
      stored.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    List<Field> labels =
        List.of(
            new Field("label 0", 0, 1, ByteOrder.BIG_ENDIAN),
            new Field("label 1", Cifar10.RECORD_BYTES, 1, ByteOrder.BIG_ENDIAN));

    FuzzCampaign campaign = new FuzzCampaign("CIFAR-10 (binary batches)");
    for (int i = 0; i < CASES; i++) {
      long seed = FuzzCampaign.seed("cifar10", i);
      Mutator m = new Mutator(seed);
      String name = names.get(m.random().nextInt(names.size()));
      m.note(name);
      Path file = Files.write(dir.resolve(name), m.mutate(stored.get(name), labels));
      campaign.run(
          seed,
          m,
          dir.toString(),
          bound(),
          () -> checkCifar(Cifar10.load(dir), names, dir.resolve(name)));
      Files.write(file, stored.get(name));
    }
    campaign.report();
  }

  // ---- IDX ------------------------------------------------------------------------------------

  private static boolean isGzip(String name) {
    return name.endsWith(".gz");
  }

  /** The header's magic and sizes (big-endian ints). */
  private static List<Field> idxFields(byte[] payload) {
    int dims = payload[3];
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("magic", 0, 4, ByteOrder.BIG_ENDIAN));
    for (int d = 0; d < dims; d++) {
      fields.add(new Field("size " + d, 4 + 4 * d, 4, ByteOrder.BIG_ENDIAN));
    }
    return fields;
  }

  /**
   * A gzip file's mutations: of the compressed bytes (its header, CRC-32 and length fields among
   * them), or of the content before compression (as one member, or split into two).
   */
  private static byte[] mutateGzip(Mutator m, byte[] payload) {
    switch (m.random().nextInt(3)) {
      case 0 -> {
        byte[] gz = DataFixtures.gzip(payload);
        int n = gz.length;
        return m.mutate(
            gz,
            List.of(
                new Field("gzip flags", 3, 1, ByteOrder.LITTLE_ENDIAN),
                new Field("gzip mtime", 4, 4, ByteOrder.LITTLE_ENDIAN),
                new Field("gzip crc32", n - 8, 4, ByteOrder.LITTLE_ENDIAN),
                new Field("gzip isize", n - 4, 4, ByteOrder.LITTLE_ENDIAN)));
      }
      case 1 -> {
        byte[] mutated = m.mutate(payload, idxFields(payload));
        m.note("then gzip");
        return DataFixtures.gzip(mutated);
      }
      default -> {
        byte[] mutated = m.mutate(payload, idxFields(payload));
        int cut = m.random().nextInt(mutated.length + 1);
        m.note("then gzip as two members split at " + cut);
        byte[] first = DataFixtures.gzip(Arrays.copyOf(mutated, cut));
        byte[] second = DataFixtures.gzip(Arrays.copyOfRange(mutated, cut, mutated.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
      }
    }
  }

  /**
   * A load is correct if every file, decompressed by the JDK's own (lenient) reader, is exactly as
   * long as its header says, and the datasets hold what the headers count.
   */
  private void checkIdx(TrainTest loaded) throws IOException {
    int[] trainImages = idxHeader(MnistFormat.TRAIN_IMAGES + ".gz");
    int[] trainLabels = idxHeader(MnistFormat.TRAIN_LABELS);
    int[] testImages = idxHeader(MnistFormat.TEST_IMAGES);
    int[] testLabels = idxHeader(MnistFormat.TEST_LABELS + ".gz");
    assertEquals(trainImages[0], loaded.train().size());
    assertEquals(trainLabels[0], loaded.train().size());
    assertEquals(testImages[0], loaded.test().size());
    assertEquals(testLabels[0], loaded.test().size());
    assertEquals(trainImages[1], loaded.train().height());
    assertEquals(testImages[2], loaded.test().width());
  }

  /** The sizes of an IDX file's header, after checking the file is exactly that long. */
  private int[] idxHeader(String name) {
    Path file = dir.resolve(name);
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = isGzipContent(file) ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
    } catch (IOException e) {
      return fail(name + " was loaded but the JDK cannot decompress it: " + e);
    }
    ByteBuffer b = ByteBuffer.wrap(content);
    int dims = b.getInt() & 0xFF;
    int[] sizes = new int[dims];
    BigInteger bytes = BigInteger.valueOf(4 + 4L * dims);
    BigInteger elements = BigInteger.ONE;
    for (int d = 0; d < dims; d++) {
      sizes[d] = b.getInt();
      assertTrue(sizes[d] > 0, name + " size " + d + " is " + sizes[d]);
      elements = elements.multiply(BigInteger.valueOf(sizes[d]));
    }
    assertEquals(bytes.add(elements), BigInteger.valueOf(content.length), name + " length");
    return sizes;
  }

  // ---- CIFAR-10 -------------------------------------------------------------------------------

  /** A load is correct if every file is non-empty and all their records are loaded, in order. */
  private static void checkCifar(TrainTest loaded, List<String> names, Path mutated)
      throws IOException {
    int[] expected = new int[0];
    for (String name : names.subList(0, 5)) {
      expected = concat(expected, labelsOf(mutated.resolveSibling(name)));
    }
    assertArrayEquals(expected, loaded.train().labels());
    assertArrayEquals(labelsOf(mutated.resolveSibling(Cifar10.TEST_FILE)), loaded.test().labels());
  }

  private static int[] labelsOf(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    assertTrue(b.length > 0 && b.length % Cifar10.RECORD_BYTES == 0, file + ": whole records");
    int[] labels = new int[b.length / Cifar10.RECORD_BYTES];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = b[i * Cifar10.RECORD_BYTES] & 0xFF;
    }
    return labels;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- shared ---------------------------------------------------------------------------------

  /**
   * What the directory's files justify allocating: a constant, plus a multiple of each file's size,
   * where a gzip file counts as the most it can decompress to (1032 times its size).
   */
  private long bound() throws IOException {
    long input = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        long size = Files.size(f);
        input += isGzipContent(f) ? 1032 * size : size;
      }
    }
    return FIXED_BYTES + BYTES_PER_INPUT_BYTE * input;
  }

  private static boolean isGzipContent(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private void writeAll(Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
  }
}
