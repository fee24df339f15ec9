package cs4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a contiguous, row-major (NCHW) tensor. Immutable.
 *
 * <p>A rank-0 shape ({@code Shape.of()}) is a scalar with one element.
 */
public final class Shape {
  private final int[] dims;
  private final long numel;

  private Shape(int[] dims) {
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "Shape: dimension " + i + " is negative in " + Arrays.toString(dims));
      }
      n = Math.multiplyExact(n, dims[i]);
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "Shape: "
              + Arrays.toString(dims)
              + " has "
              + n
              + " elements, more than a Java array holds");
    }
    this.dims = dims;
    this.numel = n;
  }

  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  public static Shape scalar() {
    return new Shape(new int[0]);
  }

  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end, as in Python. */
  public int dim(int i) {
    int j = i < 0 ? dims.length + i : i;
    if (j < 0 || j >= dims.length) {
      throw new IndexOutOfBoundsException("Shape" + this + ": no dimension " + i);
    }
    return dims[j];
  }

  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements, as an int (shapes are limited to what a Java array holds). */
  public int numel() {
    return (int) numel;
  }

  /** Product of dimensions {@code from} (inclusive) to {@code to} (exclusive). */
  public int numel(int from, int to) {
    int n = 1;
    for (int i = from; i < to; i++) {
      n *= dims[i];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
