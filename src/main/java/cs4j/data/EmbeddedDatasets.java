package cs4j.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Datasets that ship inside cs4j, so that the demo and the tests run on real data with nothing to
 * download. The build copies {@code test-data/fashion-mnist-subset/} into the jar (see pom.xml).
 */
public final class EmbeddedDatasets {
  static final String FASHION_SUBSET_RESOURCES = "/cs4j/data/fashion-mnist-subset/";

  private EmbeddedDatasets() {}

  /**
   * A stratified subset of Fashion-MNIST: 6,000 training images (600 per class) and 1,000 test
   * images (100 per class), chosen with a fixed seed by {@code test-data/make_fashion_subset.py}.
   */
  public static TrainTest fashionMnistSubset() throws IOException {
    return MnistFormat.read(
        new MnistFormat.FileSet() {
          @Override
          public InputStream open(String baseName) throws IOException {
            return openSubset(baseName);
          }

          @Override
          public String describe(String baseName) {
            return subsetResource(baseName);
          }

          @Override
          public long size(String baseName) throws IOException {
            URLConnection c = resource(baseName).openConnection();
            try (InputStream in = c.getInputStream()) { // NOTE: closes what asking opened
              long size = c.getContentLengthLong();
              if (size < 0) {
                throw new IOException(
                    describe(baseName) + ": the class path does not tell its size");
              }
              return size;
            }
          }
        },
        "fashion-mnist-subset",
        FashionMnist.CLASS_NAMES.size());
  }

  /**
   * The {@link FileFingerprint} of the subset's four {@code .gz} files, the same as that of a
   * directory holding them ({@code test-data/fashion-mnist-subset/}).
   */
  public static String fashionMnistSubsetFingerprint() throws IOException {
    SortedMap<String, String> hashes = new TreeMap<>();
    for (String base : MnistFormat.FILES) {
      try (InputStream in = openSubset(base)) {
        hashes.put(base + ".gz", FileFingerprint.sha256(in));
      }
    }
    return FileFingerprint.manifestHash(hashes);
  }

  private static InputStream openSubset(String baseName) throws IOException {
    return resource(baseName).openStream();
  }

  private static URL resource(String baseName) throws FileNotFoundException {
    URL url = EmbeddedDatasets.class.getResource(subsetResource(baseName));
    if (url == null) {
      throw new FileNotFoundException(
          "embedded Fashion-MNIST subset: resource "
              + subsetResource(baseName)
              + " not on the class path (the build copies it from"
              + " test-data/fashion-mnist-subset/, see pom.xml)");
    }
    return url;
  }

  private static String subsetResource(String baseName) {
    return FASHION_SUBSET_RESOURCES + baseName + ".gz";
  }
}
