package io.jcompose.model.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyntaxTest {
  @Test
  void portsShortSyntax() {
    assertThat(PortSyntax.parse("80")).containsExactly(new PortSyntax.Entry("", 80, "", "tcp"));
    assertThat(PortSyntax.parse("127.0.0.1:8080:80/udp")).containsExactly(new PortSyntax.Entry("127.0.0.1", 80, "8080", "udp"));
    assertThat(PortSyntax.parse("[::1]:9090:90")).containsExactly(new PortSyntax.Entry("::1", 90, "9090", "tcp"));
    assertThat(PortSyntax.parse("4000-4001:5000-5001"))
        .containsExactly(new PortSyntax.Entry("", 5000, "4000", "tcp"), new PortSyntax.Entry("", 5001, "4001", "tcp"));
    assertThat(PortSyntax.parse("8000-8010:80")).containsExactly(new PortSyntax.Entry("", 80, "8000-8010", "tcp"));
    // Docker orders by "port/proto" as text
    assertThat(PortSyntax.parse("9-10")).extracting(PortSyntax.Entry::target).containsExactly(10, 9);
  }

  @Test
  void invalidPorts() {
    for (String bad : List.of("80:80:80:80", "abc", "70000", "8000-8002:80-81", "80/http", "", "1.2.3:80:80")) {
      assertThatThrownBy(() -> PortSyntax.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void volumesShortSyntax() {
    assertThat(VolumeSyntax.parse("./data:/data:ro"))
        .isEqualTo(new VolumeSyntax.Parsed("bind", "./data", "/data", true, false, "", ""));
    assertThat(VolumeSyntax.parse("named:/x:nocopy")).isEqualTo(new VolumeSyntax.Parsed("volume", "named", "/x", false, true, "", ""));
    assertThat(VolumeSyntax.parse("/anon/")).isEqualTo(new VolumeSyntax.Parsed("volume", "", "/anon", false, false, "", ""));
    assertThat(VolumeSyntax.parse("/a:/b:z,rshared").selinux()).isEqualTo("z");
    assertThat(VolumeSyntax.parse("c:\\x:/y").type()).isEqualTo("bind");
    assertThatThrownBy(() -> VolumeSyntax.parse("/a:/b:ro:x")).hasMessageContaining("too many colons");
    assertThatThrownBy(() -> VolumeSyntax.parse("/a::/b")).hasMessageContaining("empty section");
  }

  @Test
  void cleanPathIsGoPathClean() {
    assertThat(VolumeSyntax.cleanPath("/a/./b/../c/")).isEqualTo("/a/c");
    assertThat(VolumeSyntax.cleanPath("a/../..")).isEqualTo("..");
    assertThat(VolumeSyntax.cleanPath("/..")).isEqualTo("/");
  }

  @Test
  void shellWords() {
    assertThat(ShellWords.split("echo \"hello world\" 'single q' plain\\ escaped"))
        .containsExactly("echo", "hello world", "single q", "plain escaped");
    assertThat(ShellWords.split("  ")).isEmpty();
    assertThat(ShellWords.split("a \"\" b")).containsExactly("a", "", "b");
    assertThatThrownBy(() -> ShellWords.split("echo 'open")).isInstanceOf(IllegalArgumentException.class);
  }
}
