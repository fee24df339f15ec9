package cs4j.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A dataset of image files in class folders, as ImageNet and torchvision's {@code ImageFolder} lay
 * them out: {@code DIR/train/<class>/*.png|jpg|jpeg} and {@code DIR/test/<class>/*}. The classes
 * are the folder names of {@code train/} in sorted order (class k is the k-th name); {@code test/}
 * may leave classes out but may not add any. Images are taken in sorted file-name order; names
 * starting with a dot are skipped. Anything else in the tree (another file type, a nested folder)
 * is refused, naming it, rather than silently left out.
 */
public final class ImageFolder {
  public static final String TRAIN = "train";
  public static final String TEST = "test";
  public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg");

  private ImageFolder() {}

  /** An image file: its path relative to the dataset directory ({@code /}-separated), its class. */
  public record Entry(String path, int label) {}

  /** The classes and the image files of each split, in order. */
  public record Listing(List<String> classes, List<Entry> train, List<Entry> test) {
    /** Every file's relative path, training files first. */
    public List<String> paths() {
      return Stream.concat(train.stream(), test.stream()).map(Entry::path).toList();
    }
  }

  /** Lists the dataset in {@code dir}; refuses a tree that is not laid out as described above. */
  public static Listing list(Path dir) throws IOException {
    for (String split : List.of(TRAIN, TEST)) {
      if (!Files.isDirectory(dir.resolve(split))) {
        throw new FileNotFoundException(
            "image folder "
                + dir.toAbsolutePath()
                + ": no "
                + split
                + "/ directory (expected train/<class>/*.png|jpg and test/<class>/*.png|jpg)");
      }
    }
    List<String> classes = new ArrayList<>();
    for (Path p : visible(dir.resolve(TRAIN))) {
      if (!Files.isDirectory(p)) {
        throw new IOException(p + ": not in a class folder (expected train/<class>/<image>)");
      }
      classes.add(p.getFileName().toString());
    }
    if (classes.isEmpty()) {
      throw new IOException(dir.resolve(TRAIN) + " holds no class folders");
    }
    List<Entry> train = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) {
      List<Entry> images = images(dir, TRAIN, classes.get(k), k);
      if (images.isEmpty()) {
        throw new IOException(dir.resolve(TRAIN).resolve(classes.get(k)) + " holds no images");
      }
      train.addAll(images);
    }
    List<Entry> test = new ArrayList<>();
    for (Path p : visible(dir.resolve(TEST))) {
      String name = p.getFileName().toString();
      int k = classes.indexOf(name);
      if (!Files.isDirectory(p) || k < 0) {
        throw new IOException(
            p + ": not a class folder of " + dir.resolve(TRAIN) + " (classes: " + classes + ")");
      }
      test.addAll(images(dir, TEST, name, k));
    }
    return new Listing(List.copyOf(classes), List.copyOf(train), List.copyOf(test));
  }

  /**
   * The images of {@code entries} decoded by {@code decoder}, in order, as a dataset called {@code
   * name} with {@code classes} classes. Images are decoded in parallel, each into its own slot.
   */
  public static Dataset decode(
      Path dir, List<Entry> entries, int classes, ImageDecoder decoder, String name)
      throws IOException {
    int imageSize = decoder.channels() * decoder.side() * decoder.side();
    long bytes = (long) entries.size() * imageSize;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IOException(
          name
              + ": "
              + entries.size()
              + " images of "
              + imageSize
              + " bytes do not fit in one array (2 GB); choose a smaller --image-size");
    }
    byte[] pixels = new byte[(int) bytes];
    int[] labels = new int[entries.size()];
    try {
      IntStream.range(0, entries.size())
          .parallel()
          .forEach(
              i -> {
                try {
                  byte[] image = decoder.decode(dir.resolve(entries.get(i).path()));
                  System.arraycopy(image, 0, pixels, i * imageSize, imageSize);
                  labels[i] = entries.get(i).label();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Dataset(
        name, pixels, labels, decoder.channels(), decoder.side(), decoder.side(), classes);
  }

  /** The images of class folder {@code split/className}, labelled {@code label}. */
  private static List<Entry> images(Path dir, String split, String className, int label)
      throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path p : visible(dir.resolve(split).resolve(className))) {
      String file = p.getFileName().toString();
      if (!Files.isRegularFile(p) || !EXTENSIONS.contains(extension(file))) {
        throw new IOException(p + ": not an image file (." + String.join(", .", EXTENSIONS) + ")");
      }
      String path = split + "/" + className + "/" + file;
      if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
        throw new IOException(p + ": a file name with a line break");
      }
      out.add(new Entry(path, label));
    }
    return out;
  }

  /** The entries of {@code dir} whose names do not start with a dot, sorted by name. */
  private static List<Path> visible(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
