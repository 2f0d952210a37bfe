package dev.freshet.engine.deps.lockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenPomTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private List<String> parse(Path file) throws LockfileException {
        List<Dependency> deps = Lockfiles.parse(file);
        assertThat(deps).allSatisfy(d -> assertThat(d.ecosystem()).isEqualTo(Ecosystem.MAVEN));
        return deps.stream().map(d -> d.name() + "@" + d.version() + ":" + d.line()).toList();
    }

    private static String project(String inner) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                %s
                </project>
                """.formatted(inner.indent(2));
    }

    private static String dep(String groupId, String artifactId, String more) {
        return "<dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId>" + more + "</dependency>";
    }

    @Test
    void directDependenciesThatShipWithPropertiesResolvedAndTheirLines() throws Exception {
        Path pom = write("pom.xml", project("""
                <groupId>com.example</groupId><artifactId>app</artifactId><version>1.0-SNAPSHOT</version>
                <properties><junit.version>5.7.1</junit.version><jackson.version> 2.9.1 </jackson.version><j>${jackson.version}</j></properties>
                <dependencies>
                  %s
                  %s
                  %s
                  %s
                  %s
                  %s
                  %s
                </dependencies>
                <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-war-plugin</artifactId><version>3.3.1</version></plugin></plugins></build>
                """.formatted(
                dep("javax.servlet", "javax.servlet-api", "<version>4.0.1</version><scope>provided</scope>"),
                dep("org.junit.jupiter", "junit-jupiter-api", "<version>${junit.version}</version><scope>test</scope>"),
                dep("com.fasterxml.jackson.core", "jackson-databind", "<version>${j}</version>"),
                dep("com.example", "sibling", "<version>${project.version}</version><scope>runtime</scope>"),
                dep("org.opt", "opt", "<version>1</version><optional>true</optional>"),
                dep(" org.spaced ", "  spaced ", "<version>  3.3.3  </version>"),
                dep("org.sys", "sys", "<version>1</version><scope>system</scope>"))));
        assertThat(parse(pom)).containsExactly(
                "com.fasterxml.jackson.core:jackson-databind@2.9.1:9",
                "com.example:sibling@1.0-SNAPSHOT:10",
                "org.spaced:spaced@3.3.3:12");
    }

    @Test
    void versionsAndScopesFromDependencyManagement() throws Exception {
        Path pom = write("pom.xml", project("""
                <groupId>g</groupId><artifactId>a</artifactId><version>1</version>
                <properties><lib.version>4.1</lib.version></properties>
                <dependencyManagement><dependencies>
                  %s
                  %s
                  %s
                </dependencies></dependencyManagement>
                <dependencies>
                  %s
                  %s
                  %s
                  %s
                </dependencies>
                """.formatted(dep("org.lib", "lib", "<version>${lib.version}</version>"),
                dep("org.tst", "tst", "<version>2</version><scope>test</scope>"),
                dep("org.bom", "bom", "<version>9</version><type>pom</type><scope>import</scope>"),
                dep("org.lib", "lib", ""), dep("org.tst", "tst", ""), dep("org.none", "none", ""),
                dep("org.own", "own", "<version>${undefined.version}</version>"))));
        assertThat(parse(pom)).containsExactly("org.lib:lib@4.1:12");
    }

    @Test
    void rangesAreNotPinsButAHardRequirementIs() throws Exception {
        Path pom = write("pom.xml", project("<dependencies>%s%s%s</dependencies>".formatted(
                dep("r", "range", "<version>[1.0,2.0)</version>"), dep("r", "open", "<version>(,1.0]</version>"),
                dep("r", "hard", "<version>[1.5]</version>"))));
        assertThat(parse(pom)).containsExactly("r:hard@1.5:4");
    }

    @Test
    void parentsOnDiskLendPropertiesManagementAndProjectVersion() throws Exception {
        write("pom.xml", project("""
                <groupId>com.example</groupId><artifactId>root</artifactId><version>7.0</version><packaging>pom</packaging>
                <properties><api.version>1.7.30</api.version><shared.version>0.1</shared.version></properties>
                <dependencyManagement><dependencies>%s</dependencies></dependencyManagement>
                """.formatted(dep("org.managed", "managed", "<version>${shared.version}</version>"))));
        write("build/parent/pom.xml", project("""
                <parent><groupId>com.example</groupId><artifactId>root</artifactId><version>7.0</version></parent>
                <artifactId>parent</artifactId>
                <properties><shared.version>0.2</shared.version></properties>
                """.replace("build/", "")).replace("<parent>", "<parent><relativePath>../../pom.xml</relativePath>"));
        Path child = write("build/child/pom.xml", project("""
                <parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>7.0</version>
                  <relativePath>../parent</relativePath></parent>
                <artifactId>child</artifactId>
                <dependencies>%s%s%s</dependencies>
                """.formatted(dep("org.example", "example-api", "<version>${api.version}</version>"),
                dep("org.managed", "managed", ""), dep("${project.groupId}", "core", "<version>${project.version}</version>"))));
        assertThat(parse(child)).containsExactly("org.example:example-api@1.7.30:7", "org.managed:managed@0.2:7",
                "com.example:core@7.0:7");
    }

    @Test
    void aParentIsOnlyUsedWhenItIsTheOneNamedAndCyclesEnd() throws Exception {
        write("pom.xml", project("<groupId>x</groupId><artifactId>other</artifactId><version>1</version>"
                + "<properties><v>1</v></properties>"));
        Path child = write("child/pom.xml", project("<parent><groupId>x</groupId><artifactId>parent</artifactId><version>1</version></parent>"
                + "<artifactId>child</artifactId><dependencies>" + dep("d", "d", "<version>${v}</version>") + "</dependencies>"));
        assertThat(parse(child)).isEmpty();

        write("a/pom.xml", project("<parent><groupId>x</groupId><artifactId>b</artifactId><relativePath>../b</relativePath></parent>"
                + "<artifactId>a</artifactId><dependencies>" + dep("d", "d", "<version>${v}</version>") + "</dependencies>"));
        write("b/pom.xml", project("<parent><groupId>x</groupId><artifactId>a</artifactId><relativePath>../a</relativePath></parent>"
                + "<groupId>x</groupId><artifactId>b</artifactId><properties><v>2</v></properties>"));
        assertThat(parse(dir.resolve("a/pom.xml"))).containsExactly("d:d@2:4");
    }

    @Test
    void hostileAndBrokenPomsAreRejectedCleanly() throws Exception {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <project><dependencies><dependency><groupId>&xxe;</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies></project>
                """;
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                <project><name>&lol3;</name></project>
                """;
        assertRejected("xxe/pom.xml", xxe, "DOCTYPE is not allowed");
        assertRejected("laughs/pom.xml", laughs, "DOCTYPE is not allowed");
        assertRejected("truncated/pom.xml", project(dep("g", "a", "<version>1</version>")).substring(0, 150), "not well-formed XML");
        assertRejected("empty/pom.xml", "", "not well-formed XML");
        assertRejected("notpom/pom.xml", "<settings><x/></settings>", "root element is <settings>");
        assertRejected("noartifact/pom.xml", project("<dependencies><dependency><groupId>g</groupId><version>1</version></dependency></dependencies>"),
                "line 4: <dependency> without a groupId and an artifactId");
        assertRejected("deep/pom.xml", "<project>" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</project>", "depth");
    }

    private void assertRejected(String name, String text, String messagePart) throws IOException {
        Path file = write(name, text);
        assertThatThrownBy(() -> Lockfiles.parse(file)).isInstanceOf(LockfileException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(messagePart);
    }

    @Test
    void aHostileParentIsIgnoredNotFollowed() throws Exception {
        write("pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY v SYSTEM \"file:///etc/hostname\">]>"
                + "<project><groupId>x</groupId><artifactId>p</artifactId><properties><v>&v;</v></properties></project>");
        Path child = write("c/pom.xml", project("<parent><groupId>x</groupId><artifactId>p</artifactId></parent><artifactId>c</artifactId>"
                + "<dependencies>" + dep("d", "d", "<version>${v}</version>") + "</dependencies>"));
        assertThat(parse(child)).isEmpty();
    }
}
