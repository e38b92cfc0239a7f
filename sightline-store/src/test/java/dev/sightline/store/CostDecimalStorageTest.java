package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * Costs appended through {@link CallRows#dec} are stored as exactly the value the plain BigDecimal
 * append stores, on both sides of the 64-bit fast path, negative values and rounding included.
 */
class CostDecimalStorageTest {
  private static final List<String> VALUES = List.of("0", "0.0000012", "-0.5", "0.00000000000000000049",
      "0.0000000000000000025", "0.0000000000000000035", "1e-19", "123.456", "-123.456", "9.223372036854775807",
      "9.223372036854775808", "-9.223372036854775808", "-9.223372036854775809", "18.446744073709551616",
      "12345678901234567890.123456789012345678", "-12345678901234567890.123456789012345678", "7E+3");

  @Test
  void theFastPathStoresWhatTheBigDecimalAppendStores() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (i INTEGER, fast " + Schema.DECIMAL + ", plain " + Schema.DECIMAL + ")");
      try (DuckDBAppender a = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
        for (int i = 0; i < VALUES.size(); i++) {
          BigDecimal v = new BigDecimal(VALUES.get(i));
          a.beginRow();
          a.append(i);
          CallRows.dec(new DuckDbRowSink(a), v);
          a.append(v.setScale(CallRows.COST_SCALE, RoundingMode.HALF_EVEN));
          a.endRow();
        }
        a.beginRow();
        a.append(VALUES.size());
        CallRows.dec(new DuckDbRowSink(a), null);
        a.appendNull();
        a.endRow();
      }
      List<BigDecimal> fast = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT fast, plain, fast = plain FROM t ORDER BY i")) {
        int i = 0;
        while (rs.next()) {
          if (i < VALUES.size()) {
            assertThat(rs.getBoolean(3)).as(VALUES.get(i)).isTrue();
            assertThat(rs.getBigDecimal(1)).as(VALUES.get(i)).isEqualByComparingTo(
                new BigDecimal(VALUES.get(i)).setScale(CallRows.COST_SCALE, RoundingMode.HALF_EVEN));
          } else {
            assertThat(rs.getBigDecimal(1)).isNull();
          }
          fast.add(CallRows.dec(rs, "fast"));
          i++;
        }
        assertThat(i).isEqualTo(VALUES.size() + 1);
      }
      assertThat(fast.get(1)).isEqualTo(new BigDecimal("0.0000012"));
      assertThat(fast.get(3)).isEqualTo(BigDecimal.ZERO); // 4.9e-19 rounds to nothing
      assertThat(fast.get(4)).isEqualTo(new BigDecimal("2E-18")); // half-even: 2.5e-18 → 2e-18
      assertThat(fast.get(5)).isEqualTo(new BigDecimal("4E-18")); // half-even: 3.5e-18 → 4e-18
      assertThat(fast.get(10)).isEqualTo(new BigDecimal("9.223372036854775808"));
      assertThat(fast.get(11)).isEqualTo(new BigDecimal("-9.223372036854775808"));
      assertThat(fast.get(14)).isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));
      assertThat(fast.get(16)).isEqualTo(new BigDecimal("7000"));
    }
  }
}
