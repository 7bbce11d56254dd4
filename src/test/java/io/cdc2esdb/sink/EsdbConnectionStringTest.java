package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.EventStoreDBClientSettings;
import org.junit.jupiter.api.Test;

class EsdbConnectionStringTest {

  @Test
  void shouldReadKurrentDbSchemesAsTheEsdbOnes() {
    EventStoreDBClientSettings kurrent =
        EsdbConnectionString.parse("kurrentdb://127.0.0.1:2113?tls=false");
    assertThat(kurrent.isTls()).isFalse();
    assertThat(kurrent.getHosts()[0].getPort()).isEqualTo(2113);
    EventStoreDBClientSettings discover =
        EsdbConnectionString.parse("KurrentDB+discover://a.example:2113,b.example:2113");
    assertThat(discover.isDnsDiscover()).isTrue();
    assertThat(discover.getHosts()).hasSize(2);
  }

  @Test
  void shouldRefuseOtherSchemesAndNonBooleanFlags() {
    assertThatThrownBy(() -> EsdbConnectionString.validate("http://127.0.0.1:2113"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http");
    assertThatThrownBy(() -> EsdbConnectionString.validate("esdb://h:2113?tls=maybe"))
        .hasMessageContaining("tls must be true or false, was 'maybe'");
    assertThatThrownBy(() -> EsdbConnectionString.validate("esdb://h:2113?tlsVerifyCert=yes"))
        .hasMessageContaining("tlsVerifyCert");
  }

  @Test
  void shouldMaskThePasswordOfKurrentDbStrings() {
    assertThat(EsdbConnectionString.redact("kurrentdb://admin:changeit@h:2113"))
        .isEqualTo("kurrentdb://admin:***@h:2113");
  }
}
