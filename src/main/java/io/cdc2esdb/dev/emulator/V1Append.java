package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.shared.Shared;
import com.google.protobuf.ByteString;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.NewEvent;
import io.cdc2esdb.dev.emulator.store.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code Streams/Append} and {@code Streams/BatchAppend} share: one single-stream write with
 * its checks. Each proposed message needs the {@code type} and {@code content-type} metadata; the
 * running size of an append is counted as the server does (data + custom metadata + 2 x type
 * length) against {@code MaxAppendSize}; the next injected {@link AppendFault} applies to the write
 * whichever method carries it. The two methods differ only in how they frame requests and answers.
 */
final class V1Append {

  private final EmulatorStore store;
  private final long maxAppendSize;
  private final Supplier<AppendFault> faults;

  V1Append(EmulatorStore store, long maxAppendSize, Supplier<AppendFault> faults) {
    this.store = store;
    this.maxAppendSize = maxAppendSize;
    this.faults = faults;
  }

  long maxAppendSize() {
    return maxAppendSize;
  }

  /** The first required metadata property {@code metadata} lacks, or null. */
  static String missingMetadata(Map<String, String> metadata) {
    if (!metadata.containsKey("type")) {
      return "type";
    }
    return metadata.containsKey("content-type") ? null : "content-type";
  }

  /** What one proposed message adds to its append's size. */
  static long size(Map<String, String> metadata, ByteString data, ByteString customMetadata) {
    return data.size() + customMetadata.size() + 2L * metadata.get("type").length();
  }

  /** The event a proposed message (with its required metadata) becomes. */
  static NewEvent event(
      Shared.UUID id, Map<String, String> metadata, ByteString data, ByteString customMetadata) {
    return new NewEvent(
        Protos.uuid(id),
        metadata.get("type"),
        Protos.APPLICATION_JSON.equals(metadata.get("content-type")),
        data.toByteArray(),
        customMetadata.toByteArray());
  }

  /**
   * Writes {@code events} unless the next injected fault prevents it.
   *
   * @param expected a revision or one of {@link io.cdc2esdb.dev.emulator.store.ExpectedVersion}'s
   */
  Outcome write(String stream, long expected, List<NewEvent> events) {
    AppendFault fault = faults.get();
    if (fault != null && fault != AppendFault.TIMEOUT_AFTER_WRITE) {
      return new Outcome(null, fault);
    }
    return new Outcome(store.append(stream, expected, events), fault);
  }

  /**
   * A write's outcome: {@code result} null when nothing was written; {@code fault} the injected
   * fault to answer with instead of the result, or null.
   */
  record Outcome(WriteResult result, AppendFault fault) {}
}
