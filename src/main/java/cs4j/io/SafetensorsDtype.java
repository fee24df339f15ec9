package cs4j.io;

import java.nio.ByteBuffer;

/**
 * The safetensors element types cs4j reads, each decoded to float32 (tensors are float32 only), and
 * writes: F32, and I64 for tensors that hold integers (BatchNorm's step counter, as PyTorch stores
 * it).
 *
 * <p>Precision: F32 and U8/BOOL are exact; F64 rounds to the nearest float (about 7 significant
 * digits; out-of-range values become ±Infinity); I32/I64 are exact up to 2²⁴ = 16,777,216 in
 * magnitude and rounded to the nearest float beyond, which is fine for class labels, indices into
 * tensors of a Java array's size below 2²⁴ and 0/1 masks, and wrong for anything needing every bit.
 * BOOL reads any nonzero byte as 1.
 */
public enum SafetensorsDtype {
  F32(4) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      src.asFloatBuffer().get(dst, off, count);
    }

    @Override
    void encode(float[] src, int off, int count, ByteBuffer dst, String where) {
      dst.asFloatBuffer().put(src, off, count);
    }
  },
  F64(8) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      for (int i = 0; i < count; i++) {
        dst[off + i] = (float) src.getDouble(8 * i);
      }
    }
  },
  I64(8) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      for (int i = 0; i < count; i++) {
        dst[off + i] = src.getLong(8 * i);
      }
    }

    @Override
    void encode(float[] src, int off, int count, ByteBuffer dst, String where) {
      for (int i = 0; i < count; i++) {
        float v = src[off + i];
        if (v != Math.rint(v) || Float.isInfinite(v)) {
          throw new IllegalArgumentException(
              where + ": element " + (off + i) + " = " + v + " is not an integer");
        }
        dst.putLong(8 * i, (long) v);
      }
    }
  },
  I32(4) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      for (int i = 0; i < count; i++) {
        dst[off + i] = src.getInt(4 * i);
      }
    }
  },
  U8(1) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      for (int i = 0; i < count; i++) {
        dst[off + i] = src.get(i) & 0xFF;
      }
    }
  },
  BOOL(1) {
    @Override
    void decode(ByteBuffer src, float[] dst, int off, int count) {
      for (int i = 0; i < count; i++) {
        dst[off + i] = src.get(i) != 0 ? 1f : 0f;
      }
    }
  };

  private final int bytes;

  SafetensorsDtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /**
   * Decodes {@code count} elements from {@code src} (little-endian, position 0, the elements
   * starting at index 0) into {@code dst[off ..]}.
   */
  abstract void decode(ByteBuffer src, float[] dst, int off, int count);

  /**
   * Encodes {@code src[off, off+count)} into {@code dst} (little-endian, from index 0); {@code
   * where} names the tensor in errors. Only the dtypes cs4j writes implement it.
   */
  void encode(float[] src, int off, int count, ByteBuffer dst, String where) {
    throw new UnsupportedOperationException("cs4j does not write " + this + " tensors");
  }
}
