package cs4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>NOTE: the operating system's lock belongs to the process, and closing any channel of the file
 * releases it, whichever channel took it. So a run in this process (a Spark task beside another
 * attempt of the same run, in one executor) must not even open the file while this process holds
 * it: the runs of this process are kept in {@link #HELD}, and a second one is refused from there.
 *
 * <p>NOTE: the file is never deleted, and never replaced by a rename (so not written through the
 * atomic writer): a command that opened it just before it went would lock the old file while a
 * third one locked a new file, and both would run.
 */
final class RunLock implements AutoCloseable {
  static final String FILE = "run.lock";

  /** The lock files this process holds, and the owner text each was written with. */
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of run directory {@code dir}, creating the directory if needed. If another
   * process, or another run in this one, holds it: a {@link RunInUseException} naming the owner.
   */
  static RunLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      file = dir.toRealPath().resolve(FILE);
      String owner = ownerText();
      String holder = HELD.putIfAbsent(file, owner);
      if (holder != null) {
        throw inUse(dir, holder);
      }
      try {
        return lock(file, owner, dir);
      } catch (IOException | RuntimeException e) {
        HELD.remove(file);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock run directory " + dir + " (" + file + ")", e);
    }
  }

  /** Takes the operating system's lock on {@code file}, which no run of this process holds. */
  private static RunLock lock(Path file, String owner, Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = owner(channel);
      channel.close();
      throw inUse(dir, holder);
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
    return new RunLock(file, channel, lock);
  }

  private static RunInUseException inUse(Path dir, String owner) {
    return new RunInUseException(
        "run directory "
            + dir
            + " is in use by another cs4j command ("
            + owner
            + "); wait until it ends (the lock in "
            + FILE
            + " is released when its process exits) or use another --runs-dir");
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
    } finally {
      HELD.remove(file);
    }
  }
}
