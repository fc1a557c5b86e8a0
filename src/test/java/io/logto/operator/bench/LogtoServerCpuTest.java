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
  void theFiguresHoldTheDatabaseOnlyWhenItWasMeasured() {
    long self = ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    LogtoServerCpu measured = LogtoServerCpu.of(OptionalLong.of(self), OptionalLong.of(parent))
        .orElseThrow();
    LogtoServerCpu logtoOnly = LogtoServerCpu.of(OptionalLong.of(self), OptionalLong.empty())
        .orElseThrow();

    assertThat(measured.mark().databaseSeconds()).isPresent();
    var figures = BenchResult.LogtoCpu.of(measured,
        new LogtoServerCpu.Spent(3.0, OptionalDouble.of(1.5)), 200, 4.5);
    assertThat(figures.pid()).isEqualTo(self);
    assertThat(figures.databasePid()).isEqualTo(parent);
    assertThat(figures.cpuMsPerApp()).isEqualTo(15.0);
    assertThat(figures.convergeOverCpu()).isEqualTo(1.5);
    assertThat(figures.databaseCpuSeconds()).isEqualTo(1.5);
    assertThat(figures.databaseCpuMsPerApp()).isEqualTo(7.5);
    assertThat(figures.convergeOverCpuWithDatabase()).isEqualTo(1.0);

    assertThat(logtoOnly.mark().databaseSeconds()).isEmpty();
    var alone = BenchResult.LogtoCpu.of(logtoOnly,
        new LogtoServerCpu.Spent(3.0, OptionalDouble.empty()), 200, 4.5);
    JsonNode json = JSON.valueToTree(alone);
    assertThat(json.fieldNames()).toIterable()
        .containsExactly("pid", "cpuSeconds", "cpuMsPerApp", "convergeOverCpu");
    assertThat(LogtoServerCpu.of(OptionalLong.empty(), OptionalLong.empty())).isEmpty();
  }

  @Test
  void aMissingDatabaseIsNamedInTheError() {
    assertThatThrownBy(() -> LogtoServerCpu.of(OptionalLong.of(ProcessHandle.current().pid()),
        OptionalLong.of(Integer.MAX_VALUE)))
        .hasMessageContaining("no process " + Integer.MAX_VALUE, "PostgreSQL");
  }
}
