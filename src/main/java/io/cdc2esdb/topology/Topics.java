package io.cdc2esdb.topology;

import io.cdc2esdb.config.CdcConfig;
import java.util.regex.Pattern;

/**
 * The topics the topology reads and writes, in one place. All carry raw bytes: Debezium's JSON in,
 * the original records (plus error headers) out to the dead-letter topic.
 *
 * @param data Debezium's table topics, {@code <prefix>.<db>.<table>}
 * @param transactions Debezium's transaction topic, {@code <prefix>.transaction}
 * @param deadLetter where records that cannot be written go
 * @param schemaChanges Debezium's schema-change topic, {@code <prefix>}: table structures, read for
 *     column types when values are natural
 */
public record Topics(Pattern data, String transactions, String deadLetter, String schemaChanges) {

  public static Topics from(CdcConfig config) {
    return new Topics(
        config.dataTopicsPattern(),
        config.transactionTopic(),
        config.deadLetterTopic(),
        config.schemaChangesTopic());
  }
}
