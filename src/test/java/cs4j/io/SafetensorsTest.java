package cs4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import cs4j.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static Map<String, Tensor> sample() {
    Map<String, Tensor> m = new LinkedHashMap<>(); // deliberately not in sorted order
    m.put("layer2.weight", Tensor.normal(new Rng(3), 0, 1, 4, 3, 3, 3));
    m.put("bias", Tensor.of(new float[] {-0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-45f}, 4));
    m.put("scalar", Tensor.scalar(2.5f));
    m.put("empty", Tensor.zeros(0, 3));
    // Bigger than one I/O chunk (1 MiB), to cross chunk boundaries.
    m.put("big", Tensor.uniform(new Rng(4), -1, 1, 300_001));
    return m;
  }

  @Test
  void roundTripIsBitExactAndKeepsMetadata() throws IOException {
    Path file = dir.resolve("ckpt.safetensors");
    Map<String, Tensor> tensors = sample();
    Map<String, String> meta = Map.of("model", "resnet20", "note \"quoted\"", "β\nline");
    Safetensors.write(file, tensors, meta);

    SafetensorsFile f = Safetensors.read(file);
    assertEquals(List.of("bias", "big", "empty", "layer2.weight", "scalar"), f.names());
    assertEquals(meta, f.metadata());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor back = f.tensor(e.getKey());
      assertEquals(e.getValue().shape(), back.shape(), e.getKey());
      assertEquals(e.getValue().shape(), f.shape(e.getKey()), e.getKey());
      assertEquals(SafetensorsDtype.F32, f.dtype(e.getKey()));
      assertArrayEquals(bits(e.getValue()), bits(back), e.getKey() + ": bit pattern");
    }
  }

  @Test
  void layoutIsTheReferenceLayout() throws IOException {
    Path file = dir.resolve("a.safetensors");
    Safetensors.write(file, sample(), null);
    byte[] bytes = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"bias\":{\"dtype\":\"F32\",\"shape\":[4],"), header);
    String json = header.stripTrailing();
    String padding = header.substring(json.length());
    assertTrue(json.endsWith("}") && padding.length() < 8, "compact JSON, minimal padding");
    assertTrue(padding.chars().allMatch(c -> c == ' '), "padding is spaces");
    assertFalse(header.contains("__metadata__"), "no metadata written when none given");
    long dataBytes = 4L * (4 + 300_001 + 0 + 108 + 1);
    assertEquals(8 + n + dataBytes, bytes.length, "file = length + header + data, no gaps");
  }

  @Test
  void overwritesAtomicallyAndLeavesNoTemporaries() throws IOException {
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, Map.of("a", Tensor.ones(2)), null);
    Safetensors.write(file, Map.of("b", Tensor.full(7f, 3)), Map.of("k", "v"));
    SafetensorsFile f = Safetensors.read(file);
    assertEquals(List.of("b"), f.names());
    assertArrayEquals(new float[] {7, 7, 7}, f.tensor("b").toArray());
    assertEquals(List.of(file), listDir());
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Path plain = Files.write(dir.resolve("plain"), new byte[1]);
      assertEquals(
          Files.getPosixFilePermissions(plain),
          Files.getPosixFilePermissions(file),
          "permissions of an ordinary new file (the umask's), not a temp file's owner-only ones");
    }
  }

  @Test
  void failedWriteKeepsTheOldFile() throws IOException {
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, Map.of("a", Tensor.ones(2)), null);
    assertThrows(
        IllegalArgumentException.class,
        () -> Safetensors.write(file, Map.of("__metadata__", Tensor.ones(1)), null));
    assertEquals(List.of("a"), Safetensors.read(file).names());
    assertEquals(List.of(file), listDir());
  }

  @Test
  void int64TensorsAreWrittenAsAskedAndReadBackAsFloats() throws IOException {
    Path file = dir.resolve("i64.safetensors");
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("count", Tensor.of(new float[] {0, -3, 16_777_216}, 3));
    m.put("w", Tensor.of(new float[] {0.5f}, 1));
    Safetensors.write(file, m, null, Map.of("count", SafetensorsDtype.I64));

    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip();
    assertEquals(
        "{\"count\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,24]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]}}",
        header);
    ByteBuffer data =
        ByteBuffer.wrap(bytes, 8 + (int) headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0L, data.getLong());
    assertEquals(-3L, data.getLong());
    assertEquals(16_777_216L, data.getLong());
    assertArrayEquals(
        new float[] {0, -3, 16_777_216}, Safetensors.read(file).tensor("count").toArray());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Safetensors.write(file, m, null, Map.of("w", SafetensorsDtype.I64)));
    assertTrue(e.getMessage().contains(file + ": tensor 'w': element 0 = 0.5"), e.getMessage());
    assertEquals(bytes.length, Files.size(file), "the old file stays");
  }

  @Test
  void readsEveryDtypeWrittenByPython() throws IOException {
    SafetensorsFile f = Safetensors.read(Fixtures.dir().resolve("safetensors_dtypes.safetensors"));
    for (String name : List.of("f64", "i64", "i32", "u8", "bool")) {
      assertEquals(SafetensorsDtype.valueOf(name.toUpperCase()), f.dtype(name));
      Tensor expected = f.tensor(name + ".expected"); // numpy's own conversion to float32
      Tensor actual = f.tensor(name);
      assertEquals(expected.shape(), actual.shape(), name);
      assertArrayEquals(bits(expected), bits(actual), name);
    }
    assertEquals(Shape.scalar(), f.shape("scalar"));
    assertEquals(2.5f, f.tensor("scalar").item());
    assertEquals(Shape.of(0, 3), f.tensor("empty").shape());
    assertEquals(
        Map.of("quote\"backslash\\", "line\nbreak\ttab", "unicode", "β = 3.7 ✓"), f.metadata());
  }

  @Test
  void unknownTensorNameListsTheNames() throws IOException {
    Path file = dir.resolve("x.safetensors");
    Safetensors.write(file, Map.of("w", Tensor.ones(1)), null);
    SafetensorsFile f = Safetensors.read(file);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.tensor("v"));
    assertTrue(e.getMessage().contains("'v'") && e.getMessage().contains("[w]"), e.getMessage());
  }

  // ---- corrupt files: each error names the file and what is wrong ---------------------------

  @Test
  void tooShortForTheLength() throws IOException {
    Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
    assertCorrupt(file, "too short");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    assertCorrupt(raw("len.safetensors", 1000, "{}", 0), "header length 1000 is impossible");
    assertCorrupt(raw("neg.safetensors", -1, "{}", 0), "header length 18446744073709551615");
  }

  @Test
  void headerNotJsonOrNotUtf8() throws IOException {
    assertCorrupt(raw("json.safetensors", -2, "{\"a\": [1, 2}", 0), "not valid JSON");
    Path file = dir.resolve("utf8.safetensors");
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(4).put(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    Files.write(file, b.array());
    assertCorrupt(file, "not valid UTF-8");
  }

  @Test
  void truncatedOrPaddedData() throws IOException {
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, Map.of("a", Tensor.ones(2, 3), "b", Tensor.ones(5)), null);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 4));
    assertCorrupt(cut, "tensors cover 44 bytes of data, the file holds 40");
    Path longer =
        Files.write(dir.resolve("long.safetensors"), Arrays.copyOf(bytes, bytes.length + 1));
    assertCorrupt(longer, "trailing bytes");
  }

  @Test
  void offsetsThatDoNotMatchTheShape() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
    assertCorrupt(raw("shape.safetensors", -2, h, 20), "tensor 'w': data_offsets [0, 20] hold 20");
  }

  @Test
  void offsetsWithGapsOrOverlaps() throws IOException {
    String gap =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertCorrupt(raw("gap.safetensors", -2, gap, 12), "tensor 'b' starts at data offset 8");
    String overlap =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    assertCorrupt(raw("overlap.safetensors", -2, overlap, 8), "tensor 'b' starts at data offset 4");
  }

  @Test
  void badEntries() throws IOException {
    assertCorrupt(
        raw(
            "dtype.safetensors",
            -2,
            "{\"w\":{\"dtype\":\"F8\",\"shape\":[],\"data_offsets\":[0,1]}}",
            1),
        "tensor 'w': dtype F8 is not supported");
    assertCorrupt(
        raw(
            "dims.safetensors",
            -2,
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
            4),
        "tensor 'w': shape[0] must be a non-negative integer");
    assertCorrupt(
        raw(
            "offs.safetensors",
            -2,
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}",
            4),
        "tensor 'w': data_offsets must be an array of 2");
    assertCorrupt(
        raw("meta.safetensors", -2, "{\"__metadata__\":{\"k\":1}}", 0),
        "__metadata__ value for 'k' is not a string");
    assertCorrupt(
        raw("dup.safetensors", -2, "{\"__metadata__\":{},\"__metadata__\":{}}", 0),
        "duplicate key");
  }

  @Test
  void deeplyNestedHeaderIsAnErrorNamingTheFile() throws IOException {
    // About 10 KB: nesting depth 5,000 inside the metadata.
    String deep = "{\"__metadata__\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertCorrupt(raw("deep.safetensors", -2, deep, 0), "nested deeper than 128");
  }

  @Test
  void emptyOrDuplicateTensorNamesAreRefused() throws IOException {
    String entry = "{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
    assertCorrupt(
        raw("empty.safetensors", -2, "{\"\":" + entry + "}", 0), "header has an empty tensor name");
    assertCorrupt(
        raw("dup.safetensors", -2, "{\"w\":" + entry + ",\"w\":" + entry + "}", 0),
        "duplicate key \"w\"");
  }

  @Test
  void hugeNumbersInTheHeaderAreAnErrorNamingTheFile() throws IOException {
    // 1e999 parses as infinity; describing it must not fail.
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1e999],\"data_offsets\":[0,4]}}";
    assertCorrupt(raw("inf.safetensors", -2, h, 4), "tensor 'w': shape[0] must be");
    String whole = "{\"w\":{\"dtype\":\"F32\",\"shape\":1e999,\"data_offsets\":[0,4]}}";
    assertCorrupt(raw("inf2.safetensors", -2, whole, 4), "tensor 'w': shape must be an array");
  }

  @Test
  void fileChangedAfterTheHeaderWasRead() throws IOException {
    Path file = dir.resolve("c.safetensors");
    Safetensors.write(file, Map.of("w", Tensor.ones(8)), null);
    SafetensorsFile f = Safetensors.read(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 8));
    IOException e = assertThrows(IOException.class, () -> f.tensor("w"));
    assertTrue(e.getMessage().contains("file changed"), e.getMessage());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void assertCorrupt(Path file, String expectedMessagePart) {
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
    String msg = e.getMessage();
    assertTrue(msg.contains(file.toString()), "message names the file: " + msg);
    assertTrue(
        msg.contains(expectedMessagePart), "expected '" + expectedMessagePart + "' in: " + msg);
  }

  /**
   * A file with the given header text and {@code dataBytes} zero bytes of data; {@code length}
   * overrides the stored header length, or −2 for the true one.
   */
  private Path raw(String name, long length, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length == -2 ? h.length : length).put(h);
    return Files.write(dir.resolve(name), b.array());
  }

  private List<Path> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static int[] bits(Tensor t) {
    float[] v = t.toArray();
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }
}
