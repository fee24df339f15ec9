package cs4j.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid file for the readers' fuzz tests: bit flips, byte and header-field
 * overwrites with boundary values, truncations, insertions, deletions, duplicated ranges and
 * trailing bytes. The same seed gives the same mutations; {@link #applied()} says which were made,
 * for the report of a failing case.
 */
public final class Mutator {
  /** A fixed-width integer of a format's header worth aiming at. */
  public record Field(String name, int offset, int width, ByteOrder order) {}

  private static final long[] BOUNDARIES = {
    0,
    1,
    2,
    -1,
    0x7F,
    0x80,
    0xFF,
    0x7FFF,
    0xFFFF,
    1 << 21,
    1 << 24,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    0xFFFF_FFFFL,
    Long.MAX_VALUE,
    Long.MIN_VALUE
  };

  private final SplittableRandom random;
  private final List<String> applied = new ArrayList<>();

  public Mutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public SplittableRandom random() {
    return random;
  }

  /** What was done so far, in order. */
  public List<String> applied() {
    return applied;
  }

  /** Records a mutation a test made itself (a format-specific one). */
  public void note(String what) {
    applied.add(what);
  }

  /** One to three random mutations of {@code in} (not modified), aiming at {@code fields} often. */
  public byte[] mutate(byte[] in, List<Field> fields) {
    byte[] b = in;
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      int op = random.nextInt(fields.isEmpty() ? 8 : 10);
      b =
          switch (op) {
            case 0 -> flipBits(b);
            case 1 -> setByte(b);
            case 2 -> truncate(b);
            case 3 -> insert(b);
            case 4 -> delete(b);
            case 5 -> duplicate(b);
            case 6 -> append(b);
            case 7 -> overwriteWord(b);
            default -> setField(b, fields.get(random.nextInt(fields.size())));
          };
    }
    return b;
  }

  /** {@code field} of {@code in} (not modified) set to a boundary value or a nearby one. */
  public byte[] setField(byte[] in, Field field) {
    if (field.offset() + field.width() > in.length) {
      return in;
    }
    long old = read(in, field);
    long v =
        switch (random.nextInt(4)) {
          case 0 -> BOUNDARIES[random.nextInt(BOUNDARIES.length)];
          case 1 -> old + random.nextInt(-2, 3);
          case 2 -> old * 2;
          default -> random.nextLong();
        };
    applied.add("set " + field.name() + " from " + old + " to " + v);
    byte[] b = in.clone();
    write(b, field, v);
    return b;
  }

  private byte[] flipBits(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    byte[] b = in.clone();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      int bit = random.nextInt(b.length * 8);
      b[bit / 8] ^= (byte) (1 << (bit % 8));
      applied.add("flip bit " + bit);
    }
    return b;
  }

  private byte[] setByte(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    byte[] b = in.clone();
    int at = random.nextInt(b.length);
    int[] values = {0, 1, 0x7F, 0x80, 0xFF, random.nextInt(256)};
    b[at] = (byte) values[random.nextInt(values.length)];
    applied.add("set byte " + at + " to " + (b[at] & 0xFF));
    return b;
  }

  private byte[] truncate(byte[] in) {
    int len = in.length == 0 ? 0 : random.nextInt(in.length);
    applied.add("truncate to " + len);
    return Arrays.copyOf(in, len);
  }

  private byte[] insert(byte[] in) {
    int at = random.nextInt(in.length + 1);
    byte[] extra = randomBytes(1 + random.nextInt(16));
    applied.add("insert " + extra.length + " bytes at " + at);
    return splice(in, at, 0, extra);
  }

  private byte[] delete(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    int at = random.nextInt(in.length);
    int n = 1 + random.nextInt(Math.min(16, in.length - at));
    applied.add("delete " + n + " bytes at " + at);
    return splice(in, at, n, new byte[0]);
  }

  private byte[] duplicate(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    int from = random.nextInt(in.length);
    int n = 1 + random.nextInt(Math.min(64, in.length - from));
    int at = random.nextInt(in.length + 1);
    applied.add("copy " + n + " bytes from " + from + " to " + at);
    return splice(in, at, 0, Arrays.copyOfRange(in, from, from + n));
  }

  private byte[] append(byte[] in) {
    byte[] extra = randomBytes(1 + random.nextInt(32));
    applied.add("append " + extra.length + " bytes");
    return splice(in, in.length, 0, extra);
  }

  /** A 4- or 8-byte word anywhere, in either byte order: the fields a test did not name. */
  private byte[] overwriteWord(byte[] in) {
    int width = random.nextBoolean() ? 4 : 8;
    if (in.length < width) {
      return in;
    }
    int at = random.nextInt(in.length - width + 1);
    ByteOrder order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return setField(in, new Field("word@" + at + "/" + width + "/" + order, at, width, order));
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
    byte[] out = new byte[in.length - remove + insert.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
    return out;
  }

  private static long read(byte[] b, Field f) {
    ByteBuffer buf = ByteBuffer.wrap(b, f.offset(), f.width()).order(f.order());
    return f.width() == 8 ? buf.getLong() : f.width() == 4 ? buf.getInt() : buf.get() & 0xFF;
  }

  private static void write(byte[] b, Field f, long v) {
    ByteBuffer buf = ByteBuffer.wrap(b, f.offset(), f.width()).order(f.order());
    switch (f.width()) {
      case 8 -> buf.putLong(v);
      case 4 -> buf.putInt((int) v);
      default -> buf.put((byte) v);
    }
  }
}
