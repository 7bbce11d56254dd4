package io.cdc2esdb.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.envelope.Operation;
import org.junit.jupiter.api.Test;

class EventTypesTest {

  @Test
  void shouldUseTheDefaultVocabulary() {
    EventTypes types = EventTypes.defaults();
    assertThat(types.typeOf(Operation.CREATE)).isEqualTo("Insert");
    assertThat(types.typeOf(Operation.UPDATE)).isEqualTo("Update");
    assertThat(types.typeOf(Operation.DELETE)).isEqualTo("Delete");
    assertThat(types.typeOf(Operation.READ)).isEqualTo("Snapshot");
    assertThat(types.typeOf(Operation.TRUNCATE)).isEqualTo("Truncate");
  }

  @Test
  void shouldOverrideOnlyTheNamedOps() {
    EventTypes types = EventTypes.parse("c=CustomerCreated, d=CustomerRemoved");
    assertThat(types.typeOf(Operation.CREATE)).isEqualTo("CustomerCreated");
    assertThat(types.typeOf(Operation.DELETE)).isEqualTo("CustomerRemoved");
    assertThat(types.typeOf(Operation.UPDATE)).isEqualTo("Update");
  }

  @Test
  void shouldRejectAPairThatIsNotOpEqualsType() {
    assertThatThrownBy(() -> EventTypes.parse("x=Nope")).hasMessageContaining("'x=Nope'");
    assertThatThrownBy(() -> EventTypes.parse("c=")).hasMessageContaining("'c='");
  }
}
