package cs4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The exclusive right to work in one run directory, held by a command from before it looks at the
 * directory until its run ends. Two commands on the same run would each train it, appending to the
 * same metrics and overwriting each other's files; the second one is refused instead (exit 2), with
 * a message naming the owner.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock}) on {@value #FILE} in the
 * directory. It goes with its process however that ends, so the lock of a killed run is simply
 * taken over by the next command; nothing is ever stale. The file's text ({@code pid P on host H
 * since T}) only names the owner in the refusal, and is emptied when the run ends.
 *
 * <p>NOTE: the file is never deleted, and never replaced by a rename (so not written through the
 * atomic writer): a command that opened it just before it went would lock the old file while a
 * third one locked a new file, and both would run.
 */
final class RunLock implements AutoCloseable {
  static final String FILE = "run.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of run directory {@code dir}, creating the directory if needed. If another
   * process, or another run in this one, holds it: a {@link BadInputException} naming the owner.
   */
  static RunLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String owner = owner(channel);
        channel.close();
        throw new BadInputException(
            "run directory "
                + dir
                + " is in use by another cs4j command ("
                + owner
                + "); wait until it ends (the lock in "
                + FILE
                + " is released when its process exits) or use another --runs-dir");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(ownerText().getBytes(StandardCharsets.UTF_8)), 0);
      return new RunLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock run directory " + dir + " (" + file + ")", e);
    }
  }

  /** The lock, or null when someone holds it (this JVM included). */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static String owner(FileChannel channel) throws IOException {
    ByteBuffer text = ByteBuffer.allocate((int) Math.min(channel.size(), 1024));
    channel.read(text, 0);
    String owner = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
    return owner.isEmpty() ? "its owner has not written its name yet" : owner;
  }

  private static String ownerText() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "an unknown host";
    }
    return "pid " + ProcessHandle.current().pid() + " on host " + host + " since " + Instant.now();
  }

  /** Empties the file and releases the lock. */
  @Override
  public void close() {
    try (channel) {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the run directory lock", e);
    }
  }
}
