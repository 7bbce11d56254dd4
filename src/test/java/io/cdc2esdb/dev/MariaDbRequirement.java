package io.cdc2esdb.dev;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests that need a real MariaDB server: skipped, with the install hint as the reason, on a
 * developer's machine without it; failed in CI ({@code CI=true}), where a skip would hide that
 * nothing was tested.
 */
final class MariaDbRequirement implements ExecutionCondition {

  /** Put on a test class that starts a {@link MariaDbInstance}. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(MariaDbRequirement.class)
  @interface RequiresMariaDb {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    try {
      MariaDbBinaries.locate();
      return ConditionEvaluationResult.enabled("MariaDB is installed");
    } catch (MariaDbNotInstalledException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true and " + e.getMessage(), e);
      }
      return ConditionEvaluationResult.disabled(e.getMessage());
    }
  }
}
