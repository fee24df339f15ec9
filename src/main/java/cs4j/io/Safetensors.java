package cs4j.io;

import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format, the checkpoint format PyTorch users exchange:
 *
 * <pre>
 *   [8 bytes]  N, unsigned little-endian length of the header
 *   [N bytes]  UTF-8 JSON: {"__metadata__": {str: str} (optional),
 *                           name: {"dtype": "F32", "shape": [d0, ...], "data_offsets": [begin, end]}, ...}
 *   [rest]     the tensors' raw little-endian bytes; offsets are relative to the end of the header
 * </pre>
 *
 * <p>Writing produces what the reference implementation writes for float32: names sorted, data
 * contiguous in that order, compact JSON padded with spaces to a multiple of 8 bytes. It is atomic:
 * the bytes go to a temporary file in the target's directory, are forced to disk, and the file is
 * renamed over the target, so a crash leaves either the old file or the new one, never half of one.
 *
 * <p>Reading validates everything it can before any tensor is used (see {@link #read}); every error
 * names the file and the offending tensor or offset.
 */
public final class Safetensors {
  /** The reference implementation refuses headers above 100 MB; so do we. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";

  private Safetensors() {}

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Writes {@code tensors} (any device; stored as F32) and optional {@code metadata} (null or empty
   * for none) to {@code path}, replacing it atomically.
   */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Tensor> sorted = new TreeMap<>(tensors); // the reference writes names sorted
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) {
      header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      String name = e.getKey();
      if (name.isEmpty() || name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException(
            "Safetensors.write " + path + ": '" + name + "' cannot name a tensor");
      }
      Tensor t = e.getValue();
      long bytes = (long) t.numel() * SafetensorsDtype.F32.bytes();
      List<Long> dims = new ArrayList<>();
      for (int d : t.shape().dims()) {
        dims.add((long) d);
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", SafetensorsDtype.F32.name());
      info.put("shape", dims);
      info.put("data_offsets", List.of(offset, offset + bytes));
      header.put(name, info);
      offset += bytes;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;

    Path target = path.toAbsolutePath();
    // NOTE: not Files.createTempFile, whose owner-only permissions the rename would keep.
    Path tmp = TemporaryFiles.beside(target);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
          head.put((byte) ' ');
        }
        writeFully(ch, head.flip());
        ByteBuffer buf =
            ByteBuffer.allocate(SafetensorsFile.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = SafetensorsFile.CHUNK_BYTES / 4;
        for (Tensor t : sorted.values()) {
          float[] values = t.toArray();
          for (int done = 0; done < values.length; done += perChunk) {
            int count = Math.min(perChunk, values.length - done);
            buf.clear();
            buf.asFloatBuffer().put(values, done, count);
            buf.limit(count * 4);
            writeFully(ch, buf);
          }
        }
        ch.force(true);
      }
      CrashPoint.reached("atomic-write");
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // only still there if something failed
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Reads and validates the header of {@code path}: a sane header length for the file size, well
   * formed UTF-8 JSON, known dtypes, non-negative shapes, each tensor's byte range matching its
   * shape and dtype, and the ranges tiling the data section exactly (contiguous from 0 to the end
   * of the file, as the reference implementation requires). Tensor data is read later, on demand.
   */
  public static SafetensorsFile read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new IOException(
            path
                + ": "
                + size
                + " bytes is too short for a safetensors file (8-byte length first)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, path);
      long n = lenBuf.flip().getLong();
      if (n < 2 || n > size - 8 || n > MAX_HEADER_BYTES) {
        throw new IOException(
            path
                + ": header length "
                + Long.toUnsignedString(n)
                + " is impossible for a file of "
                + size
                + " bytes (expected 2 .. min(size − 8, "
                + MAX_HEADER_BYTES
                + "))");
      }
      ByteBuffer headBuf = ByteBuffer.allocate((int) n);
      readFully(ch, headBuf, 8, path);
      String json = decodeUtf8(headBuf.flip(), path);
      Object parsed;
      try {
        parsed = Json.parse(json);
      } catch (IllegalArgumentException e) {
        throw new IOException(path + ": header is not valid JSON: " + e.getMessage(), e);
      }
      return validate(path, size, 8 + n, parsed);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path path)
      throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException(path + ": unexpected end of file at byte " + (pos + buf.position()));
      }
    }
  }

  private static String decodeUtf8(ByteBuffer bytes, Path path) throws IOException {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IOException(path + ": header is not valid UTF-8", e);
    }
  }

  private static SafetensorsFile validate(Path path, long size, long dataStart, Object parsed)
      throws IOException {
    if (!(parsed instanceof Map<?, ?> header)) {
      throw new IOException(path + ": header must be a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<SafetensorsFile.Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> kv : header.entrySet()) {
      String name = (String) kv.getKey();
      if (name.equals(METADATA_KEY)) {
        readMetadata(path, kv.getValue(), metadata);
      } else {
        entries.add(entry(path, name, kv.getValue()));
      }
    }
    entries.sort(
        Comparator.comparingLong(SafetensorsFile.Entry::begin)
            .thenComparingLong(SafetensorsFile.Entry::end));
    long expected = 0;
    for (SafetensorsFile.Entry e : entries) {
      if (e.begin() != expected) {
        throw new IOException(
            path
                + ": tensor '"
                + e.name()
                + "' starts at data offset "
                + e.begin()
                + ", expected "
                + expected
                + " (tensors must tile the data section without gaps or overlaps)");
      }
      expected = e.end();
    }
    long dataBytes = size - dataStart;
    if (expected != dataBytes) {
      throw new IOException(
          path
              + ": tensors cover "
              + expected
              + " bytes of data, the file holds "
              + dataBytes
              + " after the header"
              + (expected > dataBytes ? " (truncated?)" : " (trailing bytes)"));
    }
    return new SafetensorsFile(path, size, dataStart, entries, metadata);
  }

  private static void readMetadata(Path path, Object value, Map<String, String> out)
      throws IOException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IOException(path + ": " + METADATA_KEY + " must be an object of strings");
    }
    for (Map.Entry<?, ?> kv : map.entrySet()) {
      if (!(kv.getValue() instanceof String s)) {
        throw new IOException(
            path + ": " + METADATA_KEY + " value for '" + kv.getKey() + "' is not a string");
      }
      out.put((String) kv.getKey(), s);
    }
  }

  private static SafetensorsFile.Entry entry(Path path, String name, Object value)
      throws IOException {
    String where = path + ": tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> info)) {
      throw new IOException(where + ": entry must be an object with dtype, shape, data_offsets");
    }
    if (!(info.get("dtype") instanceof String dtypeName)) {
      throw new IOException(where + ": missing or non-string dtype");
    }
    SafetensorsDtype dtype;
    try {
      dtype = SafetensorsDtype.valueOf(dtypeName);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          where
              + ": dtype "
              + dtypeName
              + " is not supported (supported: "
              + List.of(SafetensorsDtype.values())
              + ")");
    }
    long[] dimsLong = longs(where, "shape", info.get("shape"), -1);
    int[] dims = new int[dimsLong.length];
    for (int i = 0; i < dims.length; i++) {
      if (dimsLong[i] > Integer.MAX_VALUE) {
        throw new IOException(where + ": shape dimension " + i + " = " + dimsLong[i] + " too big");
      }
      dims[i] = (int) dimsLong[i];
    }
    Shape shape;
    try {
      shape = Shape.of(dims);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IOException(where + ": bad shape: " + e.getMessage(), e);
    }
    long[] offsets = longs(where, "data_offsets", info.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] end before begin");
    }
    long bytes = (long) shape.numel() * dtype.bytes();
    if (end - begin != bytes) {
      throw new IOException(
          where
              + ": data_offsets ["
              + begin
              + ", "
              + end
              + "] hold "
              + (end - begin)
              + " bytes, shape "
              + shape
              + " of "
              + dtype
              + " needs "
              + bytes);
    }
    return new SafetensorsFile.Entry(name, dtype, shape, begin, end);
  }

  /** A JSON array of non-negative integers, of length {@code length} (or any when negative). */
  private static long[] longs(String where, String field, Object value, int length)
      throws IOException {
    if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
      throw new IOException(
          where
              + ": "
              + field
              + " must be an array of "
              + (length >= 0 ? length + " " : "")
              + "non-negative integers, got "
              + Json.write(value));
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long v) || v < 0) {
        throw new IOException(
            where
                + ": "
                + field
                + "["
                + i
                + "] must be a non-negative integer, got "
                + list.get(i));
      }
      out[i] = v;
    }
    return out;
  }
}
