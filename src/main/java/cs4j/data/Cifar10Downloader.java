package cs4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Fetches the official CIFAR-10 binary archive once into a cache directory: download to a temporary
 * file, verify its MD5, extract into a temporary directory inside the cache, then rename that
 * directory to {@code cache/cifar-10-batches-bin}. The final directory therefore appears whole or
 * not at all, and a second call finds it and downloads nothing.
 *
 * <p>Requests are bounded: a connect and response-header timeout, and an archive-size limit (the
 * official archive is 170,052,171 bytes).
 */
public final class Cifar10Downloader {
  public static final URI OFFICIAL_URL =
      URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
  public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
  static final long MAX_ARCHIVE_BYTES = 256L << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI url;
  private final String md5;
  private final HttpClient client;

  /**
   * Downloads from {@code url} and accepts the archive only if its MD5 is {@code md5} (hex); tests
   * point it at a local server.
   */
  public Cifar10Downloader(URI url, String md5) {
    this.url = url;
    this.md5 = md5.toLowerCase(Locale.ROOT);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The official archive and checksum. */
  public static Cifar10Downloader official() {
    return new Cifar10Downloader(OFFICIAL_URL, OFFICIAL_MD5);
  }

  /**
   * Returns {@code cacheDir/cifar-10-batches-bin}, downloading and extracting it first unless it is
   * already complete.
   *
   * @throws IOException on a network error, a checksum mismatch, or a corrupt archive ({@link
   *     CorruptDataException} naming the archive entry and offset); the cache is left as it was
   */
  public Path ensure(Path cacheDir) throws IOException, InterruptedException {
    Path target = cacheDir.resolve(Cifar10.DIRECTORY);
    if (Cifar10.isComplete(target)) {
      return target;
    }
    if (Files.exists(target)) {
      throw new IOException(
          target
              + " exists but is incomplete (missing or partial: "
              + Cifar10.missingFiles(target)
              + "); it was not written by this downloader, remove it to download again");
    }
    Files.createDirectories(cacheDir);
    Path archive = Files.createTempFile(cacheDir, ".cifar-10-", ".tar.gz.part");
    Path staging = null;
    try {
      download(archive);
      staging = Files.createTempDirectory(cacheDir, ".cifar-10-extract-");
      TarExtractor.extractTarGz(archive, archiveName(), staging);
      Path extracted = staging.resolve(Cifar10.DIRECTORY);
      if (!Cifar10.isComplete(extracted)) {
        throw new IOException(
            archiveName()
                + " from "
                + url
                + " does not hold a complete "
                + Cifar10.DIRECTORY
                + "/ (missing or partial: "
                + Cifar10.missingFiles(extracted)
                + ")");
      }
      moveIntoPlace(extracted, target);
      return target;
    } finally {
      Files.deleteIfExists(archive);
      if (staging != null) {
        deleteRecursively(staging);
      }
    }
  }

  private void download(Path archive) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest digest = md5Digest();
    long bytes = 0;
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + url + ": HTTP " + response.statusCode());
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(archive), digest)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          bytes += n;
          if (bytes > MAX_ARCHIVE_BYTES) {
            throw new IOException(
                "GET "
                    + url
                    + ": archive larger than the limit of "
                    + MAX_ARCHIVE_BYTES
                    + " bytes");
          }
          out.write(buffer, 0, n);
        }
      }
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(md5)) {
      throw new IOException(
          String.format(
              "%s from %s: MD5 checksum mismatch, expected %s, got %s (%d bytes downloaded)",
              archiveName(), url, md5, actual, bytes));
    }
  }

  /** Renames the extracted directory to its final name; a concurrent finisher is accepted. */
  private static void moveIntoPlace(Path extracted, Path target) throws IOException {
    try {
      Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (!Cifar10.isComplete(target)) {
        throw e;
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + extracted + " to " + target + " atomically (different file systems?)",
          e);
    }
  }

  private String archiveName() {
    String path = url.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
