package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** String lists (finish reasons, tags, unmapped keys) encode as JSON arrays and read back as written. */
class ValueJsonStringsTest {
  @Test
  void emptyAndFilledListsRoundTrip() {
    assertThat(ValueJson.writeStrings(List.of())).isEqualTo("[]");
    assertThat(ValueJson.writeStrings(new ArrayList<>())).isEqualTo("[]");
    assertThat(ValueJson.writeStrings(null)).isNull();
    assertThat(ValueJson.readStrings(ValueJson.writeStrings(List.of()))).isEmpty();
    List<String> reasons = List.of("stop", "tool \"call\"", "ünïcode\n");
    assertThat(ValueJson.writeStrings(reasons)).isEqualTo("[\"stop\",\"tool \\\"call\\\"\",\"ünïcode\\n\"]");
    assertThat(ValueJson.readStrings(ValueJson.writeStrings(reasons))).isEqualTo(reasons);
  }
}
