package io.cdc2esdb.dev.emulator;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ExpectedVersion;
import io.cdc2esdb.dev.emulator.store.MultiWriteResult;
import io.cdc2esdb.dev.emulator.store.NewEvent;
import io.cdc2esdb.dev.emulator.store.StreamWrite;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendResponse;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.SchemaFormat;
import io.kurrentdb.protocol.v2.streams.SchemaInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One {@code StreamsService/AppendSession} call: one {@code AppendRequest} per stream, then
 * half-close. As each request streams in it is validated, checked against the streams already in
 * the session (case-insensitively), its records pre-processed (an id when missing, the {@code
 * $schema.*} properties) and sized against the per-record and per-session limits; the first failure
 * ends the call. On half-close the whole session goes to {@link EmulatorStore#appendAll} as one
 * atomic append.
 */
final class AppendSessionCall implements StreamObserver<AppendRequest> {

  private static final Pattern SCHEMA_NAME = Pattern.compile("^[a-zA-Z0-9_.$:-]+$");
  private static final String SCHEMA_NAME_KEY = "$schema.name";
  private static final String SCHEMA_FORMAT_KEY = "$schema.format";
  private static final String SCHEMA_ID_KEY = "$schema.id";

  private final EmulatorStore store;
  private final long maxAppendSize;
  private final long maxAppendEventSize;
  private final ServerVersion version;
  private final Supplier<AppendFault> faults;
  private final InetSocketAddress self;
  private final StreamObserver<AppendSessionResponse> response;
  private final Set<String> streams = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  private final List<StreamWrite> writes = new ArrayList<>();
  private final List<Long> rawExpected = new ArrayList<>();
  private long size;
  private boolean finished;

  AppendSessionCall(
      EmulatorStore store,
      long maxAppendSize,
      long maxAppendEventSize,
      ServerVersion version,
      Supplier<AppendFault> faults,
      InetSocketAddress self,
      StreamObserver<AppendSessionResponse> response) {
    this.store = store;
    this.maxAppendSize = maxAppendSize;
    this.maxAppendEventSize = maxAppendEventSize;
    this.version = version;
    this.faults = faults;
    this.self = self;
    this.response = response;
  }

  @Override
  public void onNext(AppendRequest request) {
    if (finished) {
      return;
    }
    try {
      validate(request);
      if (!streams.add(request.getStream())) {
        throw ApiErrors.alreadyInSession(request.getStream());
      }
      List<NewEvent> events = new ArrayList<>(request.getRecordsCount());
      for (AppendRecord record : request.getRecordsList()) {
        events.add(event(request.getStream(), record));
      }
      long expected =
          request.hasExpectedRevision() ? request.getExpectedRevision() : ExpectedVersion.ANY;
      writes.add(new StreamWrite(request.getStream(), expected, events));
      rawExpected.add(request.getExpectedRevision());
    } catch (StatusRuntimeException e) {
      fail(e);
    }
  }

  private static void validate(AppendRequest request) {
    List<BadRequest.FieldViolation> violations = new ArrayList<>();
    String stream = request.getStream();
    if (stream.isEmpty() || stream.equals("$$")) {
      violations.add(violation("stream", "must be a stream name other than '$$'"));
    }
    if (request.getRecordsCount() == 0) {
      violations.add(violation("records", "must hold at least one record"));
    }
    if (request.hasExpectedRevision()) {
      long expected = request.getExpectedRevision();
      if (expected < 0
          && expected != ExpectedVersion.ANY
          && expected != ExpectedVersion.NO_STREAM
          && expected != ExpectedVersion.STREAM_EXISTS) {
        violations.add(
            violation("expected_revision", "must be a revision, -1, -2 or -4, was " + expected));
      }
    }
    for (int i = 0; i < request.getRecordsCount(); i++) {
      AppendRecord record = request.getRecords(i);
      String at = "records[" + i + "]";
      if (record.hasRecordId() && parseUuid(record.getRecordId()) == null) {
        violations.add(violation(at + ".record_id", "must be a UUID"));
      }
      SchemaInfo schema = record.getSchema();
      if (schema.getFormat() == SchemaFormat.SCHEMA_FORMAT_UNSPECIFIED
          || schema.getFormat() == SchemaFormat.UNRECOGNIZED) {
        violations.add(violation(at + ".schema.format", "must be Json, Protobuf, Avro or Bytes"));
      }
      if (!SCHEMA_NAME.matcher(schema.getName()).matches()) {
        violations.add(
            violation(at + ".schema.name", "must be non-empty and only [a-zA-Z0-9_.$:-]"));
      }
      if (schema.hasId() && parseUuid(schema.getId()) == null) {
        violations.add(violation(at + ".schema.id", "must be a UUID"));
      }
      if (record.getPropertiesMap().containsKey("")) {
        violations.add(violation(at + ".properties", "keys must not be empty"));
      }
    }
    if (!violations.isEmpty()) {
      throw ApiErrors.badRequest(violations);
    }
  }

  /** Pre-processes one record, checks its size and the session's, and turns it into an event. */
  private NewEvent event(String stream, AppendRecord record) {
    SchemaInfo schema = record.getSchema();
    UUID id = record.hasRecordId() ? parseUuid(record.getRecordId()) : UUID.randomUUID();
    boolean json = schema.getFormat() == SchemaFormat.SCHEMA_FORMAT_JSON;
    Map<String, Value> properties = new LinkedHashMap<>(record.getPropertiesMap());
    // The server adds these with a map Add, which throws on a key the client already sent; the
    // call then fails with the generic handler error.
    if (!json) {
      add(properties, SCHEMA_FORMAT_KEY, formatName(schema.getFormat()));
    }
    if (schema.hasId()) {
      add(properties, SCHEMA_ID_KEY, schema.getId());
    }
    long recordSize =
        record.getData().size()
            + Struct.newBuilder().putAllFields(properties).build().getSerializedSize()
            + (long) schema.getName().getBytes(StandardCharsets.UTF_8).length;
    if (recordSize > maxAppendEventSize) {
      throw ApiErrors.recordSizeExceeded(
          stream, id.toString(), clamp(recordSize), clamp(maxAppendEventSize));
    }
    size += recordSize;
    if (size > maxAppendSize) {
      throw ApiErrors.transactionSizeExceeded(clamp(size), clamp(maxAppendSize));
    }
    // What a v1 reader (and the projections) get: the properties plus $schema.name and, for JSON,
    // $schema.format.
    properties.put(SCHEMA_NAME_KEY, string(schema.getName()));
    if (json) {
      properties.put(SCHEMA_FORMAT_KEY, string("Json"));
    }
    return new NewEvent(
        id,
        schema.getName(),
        json,
        record.getData().toByteArray(),
        PropertiesJson.render(properties));
  }

  private static void add(Map<String, Value> properties, String key, String value) {
    if (properties.putIfAbsent(key, string(value)) != null) {
      throw Status.UNKNOWN.withDescription("Exception was thrown by handler.").asRuntimeException();
    }
  }

  @Override
  public void onError(Throwable t) {
    finished = true;
  }

  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    finished = true;
    if (writes.isEmpty()) {
      response.onError(ApiErrors.noRequests());
      return;
    }
    try {
      AppendFault fault = faults.get();
      if (fault == AppendFault.NO_ANSWER) {
        return;
      }
      if (fault != null && fault != AppendFault.TIMEOUT_AFTER_WRITE) {
        throw ApiErrors.fault(fault, self.getHostString(), self.getPort());
      }
      MultiWriteResult result = store.appendAll(writes);
      if (fault == AppendFault.TIMEOUT_AFTER_WRITE) {
        throw ApiErrors.timeout();
      }
      response.onNext(answer(result));
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private AppendSessionResponse answer(MultiWriteResult result) {
    if (result instanceof MultiWriteResult.Written written) {
      AppendSessionResponse.Builder ok =
          AppendSessionResponse.newBuilder().setPosition(written.position());
      for (int i = 0; i < writes.size(); i++) {
        ok.addOutput(
            AppendResponse.newBuilder()
                .setStream(writes.get(i).stream())
                .setStreamRevision(written.lastRevisions().get(i)));
      }
      return ok.build();
    }
    if (result instanceof MultiWriteResult.Deleted deleted) {
      throw ApiErrors.tombstoned(writes.get(deleted.stream()).stream());
    }
    if (result instanceof MultiWriteResult.Conflict conflict) {
      throw conflict(conflict.stream(), conflict.currentVersion());
    }
    MultiWriteResult.PartialReplay partial = (MultiWriteResult.PartialReplay) result;
    if (version.partialReplayIsConflict()) {
      throw conflict(partial.stream(), partial.currentVersion());
    }
    // 25.1 to 26.0.2: the core reports a wrong expected version without naming a stream, and
    // mapping it to an API error fails.
    throw ApiErrors.malfunction(
        "Append session failed to map error: Index was outside the bounds of the array.");
  }

  private StatusRuntimeException conflict(int stream, long currentVersion) {
    return ApiErrors.revisionConflict(
        writes.get(stream).stream(), rawExpected.get(stream), currentVersion);
  }

  private void fail(StatusRuntimeException error) {
    finished = true;
    response.onError(error);
  }

  private static BadRequest.FieldViolation violation(String field, String description) {
    return BadRequest.FieldViolation.newBuilder()
        .setField(field)
        .setDescription(description)
        .build();
  }

  private static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }

  /**
   * The server's enum name for a format: {@code Json}, {@code Protobuf}, {@code Avro}, {@code
   * Bytes}.
   */
  private static String formatName(SchemaFormat format) {
    return switch (format) {
      case SCHEMA_FORMAT_JSON -> "Json";
      case SCHEMA_FORMAT_PROTOBUF -> "Protobuf";
      case SCHEMA_FORMAT_AVRO -> "Avro";
      default -> "Bytes";
    };
  }

  private static int clamp(long value) {
    return (int) Math.min(Integer.MAX_VALUE, value);
  }

  /**
   * A UUID in any of the forms the server's parser takes: 32 hex digits, with hyphens, in braces or
   * parentheses; null when it is none of them.
   */
  static UUID parseUuid(String text) {
    String s = text.trim();
    if (s.length() == 38 || s.length() == 34) {
      char open = s.charAt(0);
      char close = s.charAt(s.length() - 1);
      if ((open == '{' && close == '}') || (open == '(' && close == ')')) {
        s = s.substring(1, s.length() - 1);
      }
    }
    if (s.length() == 32 && s.indexOf('-') < 0) {
      s =
          s.substring(0, 8)
              + "-"
              + s.substring(8, 12)
              + "-"
              + s.substring(12, 16)
              + "-"
              + s.substring(16, 20)
              + "-"
              + s.substring(20);
    }
    if (s.length() != 36
        || s.charAt(8) != '-'
        || s.charAt(13) != '-'
        || s.charAt(18) != '-'
        || s.charAt(23) != '-') {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '-' && Character.digit(c, 16) < 0) {
        return null;
      }
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
