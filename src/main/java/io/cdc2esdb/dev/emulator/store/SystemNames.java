package io.cdc2esdb.dev.emulator.store;

/** Names the server gives meaning to: system streams, metastreams, system event types. */
public final class SystemNames {
  public static final String METASTREAM_PREFIX = "$$";
  public static final String METADATA_EVENT = "$metadata";
  public static final String TOMBSTONE_EVENT = "$streamDeleted";
  public static final String LINK_EVENT = "$>";
  public static final String CATEGORY_PREFIX = "$ce-";
  public static final String CORRELATION_PREFIX = "$bc-";

  /** The revision at which a tombstone is recorded, and the {@code $tb} of a soft delete. */
  public static final long DELETED_STREAM = Long.MAX_VALUE;

  private SystemNames() {}

  public static boolean isMetastream(String stream) {
    return stream.startsWith(METASTREAM_PREFIX);
  }

  public static String metastreamOf(String stream) {
    return METASTREAM_PREFIX + stream;
  }

  public static String originalStreamOf(String metastream) {
    return metastream.substring(METASTREAM_PREFIX.length());
  }

  public static boolean isSystemStream(String stream) {
    return stream.startsWith("$");
  }
}
