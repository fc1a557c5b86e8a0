package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogtoServerCpuTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anIntervalIsTheDifferenceOfTwoMarksForLogtoAndItsDatabase() {
    var earlier = new LogtoServerCpu.Mark(10.0, OptionalDouble.of(4.0));
    var later = new LogtoServerCpu.Mark(13.0, OptionalDouble.of(5.5));

    LogtoServerCpu.Spent spent = later.since(earlier);

    assertThat(spent.logtoSeconds()).isEqualTo(3.0);
    assertThat(spent.databaseSeconds()).hasValue(1.5);
    assertThat(spent.withDatabaseSeconds()).hasValue(4.5);
  }

  @Test
  void theFiguresHoldTheDatabaseOnlyWhenItWasMeasured() throws Exception {
    var withDatabase = BenchResult.LogtoCpu.of(41, OptionalLong.of(7),
        new LogtoServerCpu.Spent(3.0, OptionalDouble.of(1.5)), 200, 4.5);
    var alone = BenchResult.LogtoCpu.of(41, OptionalLong.empty(),
        new LogtoServerCpu.Spent(3.0, OptionalDouble.empty()), 200, 4.5);

    assertThat(withDatabase.cpuMsPerApp()).isEqualTo(15.0);
    assertThat(withDatabase.convergeOverCpu()).isEqualTo(1.5);
    assertThat(withDatabase.databaseCpuMsPerApp()).isEqualTo(7.5);
    assertThat(withDatabase.convergeOverCpuWithDatabase()).isEqualTo(1.0);
    JsonNode json = JSON.valueToTree(alone);
    assertThat(json.fieldNames()).toIterable()
        .containsExactly("pid", "cpuSeconds", "cpuMsPerApp", "convergeOverCpu");
  }

  @Test
  void thisProcessAsLogtoAndItsParentAsTheDatabaseAreMeasured() {
    long self = ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    LogtoServerCpu cpu = LogtoServerCpu.of(OptionalLong.of(self), OptionalLong.of(parent))
        .orElseThrow();

    assertThat(cpu.logtoPid()).isEqualTo(self);
    assertThat(cpu.databasePid()).hasValue(parent);
    // The parent's children include this JVM: with them, the parent's total is at least ours.
    LogtoServerCpu.Mark mark = cpu.mark();
    assertThat(mark.databaseSeconds().getAsDouble()).isGreaterThanOrEqualTo(
        mark.logtoSeconds() - 0.05);
    assertThat(LogtoServerCpu.of(OptionalLong.empty(), OptionalLong.empty())).isEmpty();
  }

  @Test
  void aMissingDatabaseIsNamedInTheError() {
    assertThatThrownBy(() -> LogtoServerCpu.of(OptionalLong.of(ProcessHandle.current().pid()),
        OptionalLong.of(Integer.MAX_VALUE)))
        .hasMessageContaining("no process " + Integer.MAX_VALUE, "PostgreSQL");
  }
}
