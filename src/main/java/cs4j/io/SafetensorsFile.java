package cs4j.io;

import cs4j.tensor.HostStorage;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the tensors' names, dtypes, shapes and byte ranges, and the
 * {@code __metadata__} strings. Tensor data is read on demand by {@link #tensor(String)}, one
 * tensor at a time in bounded chunks, so a large checkpoint never sits in memory twice; the file
 * must therefore stay in place (unchanged in size) while this object is used. Holds no open file.
 */
public final class SafetensorsFile {
  /** One header entry; {@code begin}/{@code end} are byte offsets into the data section. */
  record Entry(String name, SafetensorsDtype dtype, Shape shape, long begin, long end) {}

  static final int CHUNK_BYTES = 1 << 20;

  private final Path path;
  private final long fileSize;
  private final long dataStart;
  private final Map<String, Entry> entries; // in data-offset order
  private final Map<String, String> metadata;

  SafetensorsFile(
      Path path, long fileSize, long dataStart, List<Entry> inOffsetOrder, Map<String, String> md) {
    this.path = path;
    this.fileSize = fileSize;
    this.dataStart = dataStart;
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : inOffsetOrder) {
      m.put(e.name(), e);
    }
    this.entries = Collections.unmodifiableMap(m);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(md));
  }

  public Path path() {
    return path;
  }

  /** The tensor names in the order their data lies in the file (unmodifiable). */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public Shape shape(String name) {
    return entry(name).shape();
  }

  public SafetensorsDtype dtype(String name) {
    return entry(name).dtype();
  }

  /** The {@code __metadata__} map (unmodifiable; empty when the file has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Reads tensor {@code name} into a new float32 CPU tensor, converting from its stored dtype (see
   * {@link SafetensorsDtype} for the precision of each).
   */
  public Tensor tensor(String name) throws IOException {
    Entry e = entry(name);
    int numel = e.shape().numel();
    float[] values = new float[numel];
    int elementBytes = e.dtype().bytes();
    int perChunk = Math.max(1, CHUNK_BYTES / elementBytes);
    ByteBuffer buf =
        ByteBuffer.allocate(Math.min(numel, perChunk) * elementBytes)
            .order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      if (ch.size() != fileSize) {
        throw new IOException(
            path
                + ": file changed since its header was read (size "
                + fileSize
                + " → "
                + ch.size()
                + " bytes); read it again");
      }
      long pos = dataStart + e.begin();
      for (int done = 0; done < numel; ) {
        int count = Math.min(perChunk, numel - done);
        buf.clear().limit(count * elementBytes);
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) {
            throw new IOException(
                path
                    + ": unexpected end of file reading tensor '"
                    + name
                    + "' at byte "
                    + (pos + buf.position()));
          }
        }
        buf.flip();
        e.dtype().decode(buf, values, done, count);
        pos += (long) count * elementBytes;
        done += count;
      }
    }
    return new Tensor(e.shape(), new HostStorage(values));
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      List<String> some = new ArrayList<>(entries.keySet());
      String listed = some.size() <= 20 ? some.toString() : some.subList(0, 20) + " and more";
      throw new IllegalArgumentException(
          path + ": no tensor named '" + name + "'; the file holds " + listed);
    }
    return e;
  }
}
