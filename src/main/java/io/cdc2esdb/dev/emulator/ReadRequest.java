package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import io.cdc2esdb.dev.emulator.store.EventRecord;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A {@code Streams/Read} request, decoded: which stream ({@code null}: {@code $all}), where to
 * start, which way, how many (or a subscription), the filter, and how to answer (structured ids,
 * compatibility level).
 */
record ReadRequest(
    String stream,
    Start start,
    long at,
    boolean forwards,
    boolean resolveLinks,
    long count,
    boolean subscription,
    Predicate<EventRecord> filter,
    boolean structuredIds,
    int compatibility) {

  enum Start {
    START,
    END,
    AT
  }

  static ReadRequest decode(ReadReq request) {
    ReadReq.Options options = request.getOptions();
    String stream = null;
    Start start;
    long at = 0;
    if (options.hasStream()) {
      ReadReq.Options.StreamOptions streamOptions = options.getStream();
      stream = Protos.streamName(streamOptions.getStreamIdentifier());
      switch (streamOptions.getRevisionOptionCase()) {
        case REVISION -> {
          start = Start.AT;
          at = streamOptions.getRevision();
        }
        case END -> start = Start.END;
        default -> start = Start.START;
      }
    } else if (options.hasAll()) {
      ReadReq.Options.AllOptions all = options.getAll();
      switch (all.getAllOptionCase()) {
        case POSITION -> {
          start = Start.AT;
          at = all.getPosition().getCommitPosition();
        }
        case END -> start = Start.END;
        default -> start = Start.START;
      }
    } else {
      throw RpcErrors.invalidArgument("a read needs a stream or $all");
    }
    if (stream != null && options.hasFilter()) {
      throw RpcErrors.invalidArgument("filters apply to $all only");
    }
    return new ReadRequest(
        stream,
        start,
        at,
        options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards,
        options.getResolveLinks(),
        options.hasCount() ? options.getCount() : Long.MAX_VALUE,
        options.hasSubscription(),
        options.hasFilter() ? filter(options.getFilter()) : record -> true,
        !options.getUuidOption().hasString(),
        options.getControlOption().getCompatibility());
  }

  /** Where a read starts: a stream revision or a {@code $all} position. */
  long readFrom() {
    return switch (start) {
      case START -> 0;
      case END -> Long.MAX_VALUE;
      case AT -> at;
    };
  }

  private static Predicate<EventRecord> filter(ReadReq.Options.FilterOptions filter) {
    return switch (filter.getFilterCase()) {
      case STREAM_IDENTIFIER -> {
        Predicate<String> matches = expression(filter.getStreamIdentifier());
        yield record -> matches.test(record.stream());
      }
      case EVENT_TYPE -> {
        Predicate<String> matches = expression(filter.getEventType());
        yield record -> matches.test(record.type());
      }
      case FILTER_NOT_SET -> record -> true;
    };
  }

  private static Predicate<String> expression(ReadReq.Options.FilterOptions.Expression e) {
    if (!e.getRegex().isEmpty()) {
      Pattern pattern = Pattern.compile(e.getRegex());
      return value -> pattern.matcher(value).find();
    }
    List<String> prefixes = e.getPrefixList();
    return value -> prefixes.stream().anyMatch(value::startsWith);
  }
}
