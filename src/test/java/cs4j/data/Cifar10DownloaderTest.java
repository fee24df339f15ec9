package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against an HTTP server on the loopback interface serving generated archives. */
class Cifar10DownloaderTest {
  private static final String PATH = "/~kriz/cifar-10-binary.tar.gz";
  private static final int RECORDS_PER_FILE = 2;

  @TempDir Path cache;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile byte[] served;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        PATH,
        exchange -> {
          requests.incrementAndGet();
          byte[] body = served;
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void downloadsVerifiesAndExtractsOnce() throws Exception {
    served = archiveInRealLayout();
    Cifar10Downloader downloader = new Cifar10Downloader(url(), md5(served));

    Path batches = downloader.ensure(cache);
    assertEquals(cache.resolve("cifar-10-batches-bin"), batches);
    TrainTest data = Cifar10.load(batches);
    assertEquals(5 * RECORDS_PER_FILE, data.train().size());
    assertEquals(RECORDS_PER_FILE, data.test().size());
    assertArrayEquals(new int[] {7, 8}, data.test().labels());
    assertEquals(List.of("cifar-10-batches-bin"), cacheEntries(), "no temporary files left");

    downloader.ensure(cache);
    assertEquals(1, requests.get(), "a complete cache is not downloaded again");
  }

  @Test
  void checksumMismatchLeavesNothingInTheCache() throws Exception {
    served = archiveInRealLayout();
    Cifar10Downloader downloader = new Cifar10Downloader(url(), "00000000000000000000000000000000");

    IOException e = assertThrows(IOException.class, () -> downloader.ensure(cache));
    assertTrue(e.getMessage().contains("MD5 checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(md5(served)), e.getMessage());
    assertEquals(List.of(), cacheEntries());
  }

  @Test
  void truncatedArchiveNamesFileAndOffsetAndLeavesNothing() throws Exception {
    byte[] full = archiveInRealLayout();
    served = Arrays.copyOf(full, full.length / 2);
    Cifar10Downloader downloader = new Cifar10Downloader(url(), md5(served));

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> downloader.ensure(cache));
    assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("tar entry cifar-10-batches-bin/"), e.getMessage());
    assertTrue(e.getMessage().contains("at byte offset " + e.offset()), e.getMessage());
    assertTrue(e.offset() > 0, "offset " + e.offset());
    assertEquals(List.of(), cacheEntries());
  }

  @Test
  void archiveWithoutAllBatchesIsRefused() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("cifar-10-batches-bin/data_batch_1.bin", Cifar10Test.records(0, 1));
    served = DataFixtures.tarGz(files);
    Cifar10Downloader downloader = new Cifar10Downloader(url(), md5(served));

    IOException e = assertThrows(IOException.class, () -> downloader.ensure(cache));
    assertTrue(e.getMessage().contains("data_batch_2.bin"), e.getMessage());
    assertEquals(List.of(), cacheEntries());
  }

  @Test
  void httpErrorIsReported() throws Exception {
    Cifar10Downloader downloader =
        new Cifar10Downloader(url().resolve("/missing.tar.gz"), md5(new byte[0]));

    IOException e = assertThrows(IOException.class, () -> downloader.ensure(cache));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertEquals(0, requests.get());
  }

  /** The official archive's layout, with two records per batch file. */
  private static byte[] archiveInRealLayout() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "cifar-10-batches-bin/batches.meta.txt",
        String.join("\n", Cifar10.CLASS_NAMES).getBytes(StandardCharsets.US_ASCII));
    for (int b = 1; b <= 5; b++) {
      files.put(
          "cifar-10-batches-bin/data_batch_" + b + ".bin",
          Cifar10Test.records(b - 1, RECORDS_PER_FILE));
    }
    files.put("cifar-10-batches-bin/test_batch.bin", Cifar10Test.records(7, RECORDS_PER_FILE));
    files.put("cifar-10-batches-bin/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
    return DataFixtures.tarGz(files);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  private List<String> cacheEntries() throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
