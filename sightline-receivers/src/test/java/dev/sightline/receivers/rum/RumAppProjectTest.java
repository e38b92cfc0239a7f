package dev.sightline.receivers.rum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A RUM app's events belong to the project its spec names, or to the default project. */
class RumAppProjectTest {
  @Test
  void projectIsParsedAndDefaultsToDefault() {
    assertThat(RumApp.parse("web=pk_web,origin=https://shop.example.com,project=shop").project()).isEqualTo("shop");
    assertThat(RumApp.parse("web=pk_web,sample=0.5").project()).isEqualTo("default");
    assertThat(new RumApp("web", "pk_web", java.util.List.of("*"), 1.0).project()).isEqualTo("default");
  }

  @Test
  void aBadProjectNameSaysTheRule() {
    assertThatThrownBy(() -> RumApp.parse("web=pk_web,project=Shop!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a-z, 0-9");
    assertThatThrownBy(() -> RumApp.parse("web=pk_web,colour=red")).hasMessageContaining("project=PROJECT");
  }
}
