package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static io.cdc2esdb.dev.emulator.V2Fixture.json;
import static io.cdc2esdb.dev.emulator.V2Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.ServerVersion;
import io.kurrent.dbclient.StreamState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code --server-version} changes, against each version: the advertised methods and version
 * (which is how kurrentdb-client 1.1.0 decides whether it may use multiStreamAppend), whether the
 * v2 service answers at all, and the partial-replay answer; and that both real clients keep working
 * over v1 against every version.
 */
class ServerVersionConformanceTest {

  private static final Map<io.cdc2esdb.dev.emulator.ServerVersion, V2Fixture> fixtures =
      new EnumMap<>(io.cdc2esdb.dev.emulator.ServerVersion.class);

  @BeforeAll
  static void start() {
    for (io.cdc2esdb.dev.emulator.ServerVersion version :
        io.cdc2esdb.dev.emulator.ServerVersion.values()) {
      fixtures.put(version, new V2Fixture(EmulatorOptions.ephemeral().withServerVersion(version)));
    }
  }

  @AfterAll
  static void stop() {
    fixtures.values().forEach(V2Fixture::close);
  }

  private static V2Fixture fx(io.cdc2esdb.dev.emulator.ServerVersion version) {
    return fixtures.get(version);
  }

  @ParameterizedTest
  @EnumSource(io.cdc2esdb.dev.emulator.ServerVersion.class)
  void shouldAdvertiseAppendSessionFrom25Point1WithTheVersionItPlays(
      io.cdc2esdb.dev.emulator.ServerVersion version) throws Exception {
    SupportedMethods methods =
        ServerFeaturesGrpc.newBlockingStub(fx(version).channel())
            .getSupportedMethods(Shared.Empty.getDefaultInstance());
    assertThat(methods.getEventStoreServerVersion()).isEqualTo(version.reported());
    assertThat(methods.getEventStoreServerVersion()).startsWith(version.label() + ".");
    boolean advertised =
        methods.getMethodsList().stream()
            .anyMatch(
                m ->
                    m.getMethodName().equals("appendsession")
                        && m.getServiceName()
                            .equals("kurrentdb.protocol.v2.streams.streamsservice"));
    assertThat(advertised).isEqualTo(version != io.cdc2esdb.dev.emulator.ServerVersion.V24_10);

    Optional<ServerVersion> seen = fx(version).client.getServerVersion().get(10, TimeUnit.SECONDS);
    assertThat(seen).isPresent();
    assertThat(seen.get().getMajor() + "." + seen.get().getMinor() + "." + seen.get().getPatch())
        .isEqualTo(version.reported());
  }

  @Test
  void shouldMapTheLabelsOfTheCommandLine() {
    assertThat(io.cdc2esdb.dev.emulator.ServerVersion.of("24.10").reported()).isEqualTo("24.10.0");
    assertThat(io.cdc2esdb.dev.emulator.ServerVersion.of("25.1").reported()).isEqualTo("25.1.0");
    assertThat(io.cdc2esdb.dev.emulator.ServerVersion.of("26.0").reported()).isEqualTo("26.0.3");
    assertThat(io.cdc2esdb.dev.emulator.ServerVersion.DEFAULT)
        .isEqualTo(io.cdc2esdb.dev.emulator.ServerVersion.V26_0);
    assertThatThrownBy(() -> io.cdc2esdb.dev.emulator.ServerVersion.of("25.0"))
        .hasMessageContaining("24.10, 25.1, 26.0");
  }

  @Test
  void shouldLetTheClientRefuseMultiStreamAppendAgainst24Point10() {
    V2Fixture fx = fx(io.cdc2esdb.dev.emulator.ServerVersion.V24_10);
    Throwable error = fx.failure(request(stream("old"), StreamState.any(), json("A")));
    assertThat(error).isExactlyInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldNotServeTheV2ServiceAs24Point10() {
    V2Fixture fx = fx(io.cdc2esdb.dev.emulator.ServerVersion.V24_10);
    StatusRuntimeException error =
        fx.rawFailure(
            List.of(
                AppendSessionConformanceTest.raw(
                    stream("old"), -2, AppendSessionConformanceTest.record("A", "{}"))));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void shouldAnswerAPartialReplayAsInternalAs25Point1() throws Exception {
    V2Fixture fx = fx(io.cdc2esdb.dev.emulator.ServerVersion.V25_1);
    String a = stream("partial");
    String b = stream("partial");
    EventData a1 = json("A1");
    fx.append(request(a, StreamState.noStream(), a1));

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), json("B1")));

    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException status = (StatusRuntimeException) error;
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    ErrorInfo info = V2Fixture.errorInfo(status);
    assertThat(info.getReason()).isEqualTo("SERVER_MALFUNCTION");
    assertThat(info.getDomain()).isEqualTo("server");
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(b, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldAnswerAConflictThatIsNoReplayAsAConflictAs25Point1() throws Exception {
    V2Fixture fx = fx(io.cdc2esdb.dev.emulator.ServerVersion.V25_1);
    String a = stream("conflict");
    fx.append(request(a, StreamState.noStream(), json("A1")));
    Throwable error = fx.failure(request(a, StreamState.noStream(), json("other")));
    assertThat(error).isInstanceOf(io.kurrent.dbclient.WrongExpectedVersionException.class);
  }

  @Test
  void shouldReplayAWholeSessionAs25Point1() throws Exception {
    V2Fixture fx = fx(io.cdc2esdb.dev.emulator.ServerVersion.V25_1);
    String a = stream("whole");
    String b = stream("whole");
    EventData a1 = json("A1");
    EventData b1 = json("B1");
    var first =
        fx.append(request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), b1));
    var again =
        fx.append(request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), b1));
    assertThat(again.getPosition()).isEqualTo(first.getPosition());
  }

  @ParameterizedTest
  @EnumSource(io.cdc2esdb.dev.emulator.ServerVersion.class)
  void shouldKeepServingBothClientsOverV1(io.cdc2esdb.dev.emulator.ServerVersion version)
      throws Exception {
    V2Fixture fx = fx(version);
    String s = stream("v1");
    fx.v1.append(s, ExpectedRevision.noStream(), EmulatorFixture.event("Old"));
    io.kurrent.dbclient.WriteResult written =
        fx.client
            .appendToStream(
                s,
                io.kurrent.dbclient.AppendToStreamOptions.get()
                    .streamState(StreamState.streamRevision(0)),
                json("New"))
            .get(10, TimeUnit.SECONDS);
    assertThat(written.getNextExpectedRevision()).isEqualTo(StreamState.streamRevision(1));
    assertThat(fx.v1.read(s)).extracting(e -> e.getEventType()).containsExactly("Old", "New");
    List<io.kurrent.dbclient.ResolvedEvent> read =
        fx.client
            .readStream(s, io.kurrent.dbclient.ReadStreamOptions.get().fromStart())
            .get(10, TimeUnit.SECONDS)
            .getEvents();
    assertThat(read).hasSize(2);
  }

  @Test
  void shouldPutTheStandardGoogleRpcStatusOnTheClasspath() throws Exception {
    // db-client-java bundles an incompatible com.google.rpc.Status; kurrentdb-client's error
    // mapping and grpc's StatusProto need the standard one.
    Class<?> status = com.google.rpc.Status.class;
    assertThat(status.getMethod("getDetailsList")).isNotNull();
    assertThat(status.getMethod("getCode").getReturnType()).isEqualTo(int.class);
  }
}
