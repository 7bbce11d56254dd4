package io.cdc2esdb.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * {@code verify}'s scratch space on disk: what the input implies and what the dead-letter topic and
 * the {@code stream-positions} changelog hold, sorted by key, so that topics of millions of records
 * cost disk, not heap. RocksDB, which Kafka Streams already ships, keeps it; the directory is
 * deleted on close. Keys start with one byte naming their kind, then length-prefixed parts, so all
 * keys of one stream are adjacent and in the order of their Kafka records.
 */
final class WorkStore implements AutoCloseable {

  static final byte EXPECTED = 'E';
  static final byte DEAD_LETTERED = 'D';
  static final byte MUST_DEAD_LETTER = 'X';
  static final byte POSITION = 'P';
  static final byte FOLDED = 'F';

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  private WorkStore(Path dir) throws RocksDBException {
    this.dir = dir;
    this.options = new Options().setCreateIfMissing(true);
    this.writeOptions = new WriteOptions().setDisableWAL(true);
    this.db = RocksDB.open(options, dir.toString());
  }

  /** A new, empty store in a fresh directory under {@code parent} (the system's temp if null). */
  static WorkStore create(Path parent) {
    try {
      Path dir =
          parent == null
              ? Files.createTempDirectory("cdc2esdb-verify-")
              : Files.createTempDirectory(Files.createDirectories(parent), "cdc2esdb-verify-");
      return new WorkStore(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create verify's work directory", e);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open verify's work store: " + e.getMessage(), e);
    }
  }

  void put(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("verify's work store failed: " + e.getMessage(), e);
    }
  }

  byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("verify's work store failed: " + e.getMessage(), e);
    }
  }

  void delete(byte[] key) {
    try {
      db.delete(writeOptions, key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("verify's work store failed: " + e.getMessage(), e);
    }
  }

  /** True when some key starts with {@code prefix}. */
  boolean hasPrefix(byte[] prefix) {
    try (RocksIterator it = db.newIterator()) {
      it.seek(prefix);
      return it.isValid() && startsWith(it.key(), prefix);
    }
  }

  /** Every key starting with {@code prefix}, in key order. */
  void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        visitor.accept(it.key(), it.value());
      }
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a scratch directory left behind must not fail the verdict
    }
  }

  /** Builds keys: a kind byte, then length-prefixed strings and fixed-width numbers. */
  static final class Key {
    private ByteBuffer buffer = ByteBuffer.allocate(64);

    static Key of(byte kind) {
      Key key = new Key();
      key.buffer.put(kind);
      return key;
    }

    Key text(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      ensure(4 + bytes.length);
      buffer.putInt(bytes.length).put(bytes);
      return this;
    }

    Key int32(int value) {
      ensure(4);
      buffer.putInt(value);
      return this;
    }

    /** Non-negative numbers (offsets) sort by value as big-endian bytes. */
    Key int64(long value) {
      ensure(8);
      buffer.putLong(value);
      return this;
    }

    byte[] bytes() {
      return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private void ensure(int more) {
      if (buffer.remaining() < more) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
    }
  }

  /** Reads back what {@link Key} wrote, after the kind byte. */
  static final class KeyReader {
    private final ByteBuffer buffer;

    KeyReader(byte[] key) {
      this.buffer = ByteBuffer.wrap(key);
      buffer.get();
    }

    String text() {
      byte[] bytes = new byte[buffer.getInt()];
      buffer.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    int int32() {
      return buffer.getInt();
    }

    long int64() {
      return buffer.getLong();
    }
  }
}
