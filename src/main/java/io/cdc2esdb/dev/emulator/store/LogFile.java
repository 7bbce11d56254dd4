package io.cdc2esdb.dev.emulator.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log on disk: one append-only file of {@link LogCodec} records, replayed on open. A record cut
 * short by a crash (or failing its checksum) ends the log: it and anything after it is truncated
 * away, so a restart keeps exactly the writes that completed. With {@code fsync} every write is
 * forced to the device before it is acknowledged; without it a write survives the process (it is in
 * the OS page cache) but not the machine. The forcing is a group commit ({@link #sync()}): the
 * store writes under its lock and forces after releasing it.
 */
final class LogFile implements AutoCloseable {

  static final String FILE_NAME = "emulator.log";
  private static final Logger log = LoggerFactory.getLogger(LogFile.class);

  private final FileChannel channel;
  private final boolean fsync;
  private final Object syncLock = new Object();
  private volatile long end;
  private volatile boolean broken;
  private long synced;

  private LogFile(FileChannel channel, long end, boolean fsync) {
    this.channel = channel;
    this.end = end;
    this.fsync = fsync;
  }

  /** Opens (or creates) the log in {@code dir}, handing every intact record to {@code replay}. */
  static LogFile open(Path dir, boolean fsync, Consumer<EventRecord> replay) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE_NAME);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (!lock(channel)) {
        channel.close();
        throw new IOException("another emulator is using " + dir);
      }
      if (channel.size() == 0) {
        channel.write(ByteBuffer.wrap(LogCodec.MAGIC));
        channel.force(true);
      }
      long end = replay(file, channel.size(), replay);
      if (end < channel.size()) {
        log.warn(
            "Emulator log {} ends with {} bytes of an incomplete write; truncating them",
            file.getFileName(),
            channel.size() - end);
        channel.truncate(end);
        channel.force(true);
      }
      channel.position(end);
      LogFile opened = new LogFile(channel, end, fsync);
      opened.synced = end;
      return opened;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the emulator log in " + dir, e);
    }
  }

  /** Keeps a second emulator (another process, or this one) from writing the same log. */
  private static boolean lock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  /** The position the next record will get. */
  long end() {
    return end;
  }

  /** Writes the records (whose positions must follow on from {@link #end()}) as one write. */
  void write(List<EventRecord> records, long bytes) {
    if (broken) {
      throw new UncheckedIOException(new IOException("the emulator log failed earlier"));
    }
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(bytes));
    for (EventRecord record : records) {
      LogCodec.encode(record, buffer);
    }
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      end += bytes;
    } catch (IOException e) {
      undo();
      throw new UncheckedIOException("writing the emulator log failed", e);
    }
  }

  /**
   * With {@code fsync}, returns once everything written so far is on the device (otherwise at
   * once). Group commit: callers arriving while a force runs wait for it, and the next force covers
   * all of them, so concurrent appends share one fsync instead of queueing one each.
   */
  void sync() {
    if (!fsync) {
      return;
    }
    long target = end;
    synchronized (syncLock) {
      if (synced >= target) {
        return;
      }
      long upTo = end;
      try {
        channel.force(false);
      } catch (IOException e) {
        broken = true;
        throw new UncheckedIOException("forcing the emulator log to disk failed", e);
      }
      synced = upTo;
    }
  }

  private void undo() {
    try {
      channel.truncate(end);
      channel.position(end);
    } catch (IOException e) {
      broken = true;
    }
  }

  @Override
  public void close() {
    try {
      channel.force(true);
      channel.close();
    } catch (IOException e) {
      log.warn("Closing the emulator log failed", e);
    }
  }

  private static long replay(Path file, long size, Consumer<EventRecord> replay)
      throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = new byte[LogCodec.MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, LogCodec.MAGIC)) {
        throw new IOException(file.getFileName() + " is not an emulator log");
      }
      long position = magic.length;
      while (true) {
        EventRecord record;
        int bodyLength;
        try {
          bodyLength = in.readInt();
          if (bodyLength <= 0 || position + LogCodec.FRAME_BYTES + bodyLength > size) {
            return position;
          }
          byte[] body = new byte[bodyLength];
          in.readFully(body);
          record = LogCodec.decode(position, body, in.readInt());
        } catch (EOFException e) {
          return position;
        }
        if (record == null) {
          return position;
        }
        replay.accept(record);
        position += LogCodec.FRAME_BYTES + bodyLength;
      }
    }
  }
}
