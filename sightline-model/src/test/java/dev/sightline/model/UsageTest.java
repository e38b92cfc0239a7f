package dev.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsageTest {
  @Test
  void totalsAreDerivedFromDisjointBuckets() {
    Usage u = Usage.reported(600, 400, 50, 25, 300, 200);
    assertThat(u.inputTokens()).isEqualTo(1075);
    assertThat(u.cacheWriteTokens()).isEqualTo(75);
    assertThat(u.outputTokens()).isEqualTo(500);
    assertThat(u.totalTokens()).isEqualTo(1575);
    assertThat(u.hasTokens()).isTrue();
    assertThat(Usage.NONE.hasTokens()).isFalse();
  }

  @Test
  void bucketsCannotBeNegative() {
    assertThatThrownBy(() -> Usage.reported(-1, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    Usage r = Usage.rejected("cache read 500 > input 400");
    assertThat(r.totalTokens()).isZero();
    assertThat(r.rejectedReason()).contains("cache read");
  }
}
