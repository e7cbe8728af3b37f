package io.vxdata.jdbc.internal;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store keeps what the identifier index told its reads ({@link IdentifierTypes}): a second read of the
 * same identifiers does not ask the index, and another process re-creating one of them as another type
 * is seen at once. Two stores opened on one database are two processes sharing it.
 */
class IdentifierTypesTest {

  /** The statements {@code read} runs that ask the identifier index. */
  private static List<String> indexProbes(JdbcVxData vx, Runnable read) {
    return StatementLog.run(vx, () -> {
      read.run();
      return null;
    }).statements().stream().filter(sql -> sql.contains(Identifiers.TABLE)).toList();
  }

  private static String typeOf(VxData store, String identifier, ReadOptions options) {
    List<Resource> found = store.read(List.of(identifier), options).value();
    assertThat(found).as("read of %s", identifier).hasSize(1);
    return found.get(0).payloadType();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aSecondReadOfTheSameIdentifiersDoesNotAskTheIndex(String database) {
    try (VxData store = VxDataStore.open(StatementLog.freshDatabase(database))) {
      JdbcVxData vx = (JdbcVxData) store;
      vx.create(List.of(datasource("ds-1"), artefact("a-1", "ds-1"), artefact("a-2", "ds-1")));
      List<String> ids = List.of("ds-1", "a-1");

      assertThat(indexProbes(vx, () -> vx.read(ids))).hasSize(1);
      assertThat(indexProbes(vx, () -> vx.read(ids))).isEmpty();
      // only identifiers not known yet are asked for
      assertThat(indexProbes(vx, () -> vx.read(List.of("a-1", "a-2")))).hasSize(1);
      assertThat(indexProbes(vx, () -> vx.read(List.of("ds-1", "a-2")))).isEmpty();
      // one never created is not kept: it may be created at any time
      assertThat(indexProbes(vx, () -> vx.read(List.of("nowhere")))).hasSize(1);
      assertThat(indexProbes(vx, () -> vx.read(List.of("nowhere")))).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anotherProcessReCreatingAnIdentifierAsAnotherTypeIsSeenAtOnce(String database) {
    StoreOptions options = StatementLog.freshDatabase(database);
    try (VxData store = VxDataStore.open(options); VxData other = VxDataStore.open(options)) {
      JdbcVxData vx = (JdbcVxData) store;
      store.create(List.of(datasource("ds-1")));
      Instant asArtefact = store.create(List.of(artefact("x-1", "ds-1"))).committedAt();
      assertThat(typeOf(store, "x-1", ReadOptions.latest())).isEqualTo(BuiltInTypes.ARTEFACT);
      assertThat(indexProbes(vx, () -> typeOf(store, "x-1", ReadOptions.latest()))).isEmpty();

      other.delete(List.of("x-1"));
      other.create(List.of(datasource("x-1"), artefact("a-under", "x-1")));

      List<String> probes = indexProbes(vx, () ->
          assertThat(typeOf(store, "x-1", ReadOptions.latest())).isEqualTo(BuiltInTypes.DATASOURCE));
      assertThat(probes).as("the index is asked again after another process's re-creation").hasSize(1);
      assertThat(typeOf(store, "x-1", ReadOptions.asOf(asArtefact))).isEqualTo(BuiltInTypes.ARTEFACT);
      assertThat(store.parents("a-under").value()).containsExactly("x-1");
    }
  }
}
