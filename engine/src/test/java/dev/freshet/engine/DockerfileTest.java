package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.pattern.PatternException;
import org.junit.jupiter.api.Test;

/**
 * Dockerfile rules match instructions, and the shell form of RUN, CMD and ENTRYPOINT as Bash, as
 * Semgrep's Dockerfile_to_generic reads them.
 */
class DockerfileTest extends EngineTestSupport {
    private static final String DOCKERFILE = """
            FROM alpine:3.19
            RUN apk update && apk upgrade --available
            RUN apt-get update \\
                && apt-get install -y curl
            RUN curl -s https://example.com/x.sh | sh
            USER app
            CMD ["python", "app.py"]
            USER root
            """;

    /** A command is its words: "..." takes any, anywhere in the instruction's statement (lists, pipelines). */
    @Test
    void runCommandsMatchWordByWordAtAnyDepthOfTheStatement() {
        assertThat(lines(scan(pattern("dockerfile", "RUN ... apk upgrade ..."), "Dockerfile", DOCKERFILE))).containsExactly(2);
        assertThat(lines(scan(pattern("dockerfile", "RUN ... apt-get install ... -y ..."), "Dockerfile", DOCKERFILE))).containsExactly(3);
        assertThat(lines(scan(pattern("dockerfile", "RUN ... | ..."), "Dockerfile", DOCKERFILE))).containsExactly(5);
        // The words in order: "upgrade apk" is another command.
        assertThat(lines(scan(pattern("dockerfile", "RUN ... upgrade apk ..."), "Dockerfile", DOCKERFILE))).isEmpty();
    }

    /** A pattern that is no instruction is a shell command, found in any instruction's shell form. */
    @Test
    void aBareCommandIsAShellCommand() {
        assertThat(lines(scan(pattern("dockerfile", "apk update"), "Dockerfile", DOCKERFILE))).containsExactly(2);
        assertThat(lines(scan(rule("dockerfile", """
                patterns:
                  - pattern: RUN $CMD ...
                  - metavariable-regex:
                      metavariable: $CMD
                      regex: ^curl$
                """), "Dockerfile", DOCKERFILE))).containsExactly(5);
    }

    /** Instructions in sequence with "...", metavariables where the grammar takes no placeholder word, exec-form arrays. */
    @Test
    void instructionsInSequenceAndExecFormArrays() {
        assertThat(lines(scan(pattern("dockerfile", "USER $U\n...\nUSER root"), "Dockerfile", DOCKERFILE))).containsExactly(6);
        assertThat(lines(scan(pattern("dockerfile", "CMD [..., \"app.py\"]"), "Dockerfile", DOCKERFILE))).containsExactly(7);
        assertThat(lines(scan(pattern("dockerfile", "CMD [..., \"main.py\"]"), "Dockerfile", DOCKERFILE))).isEmpty();
    }

    /** An instruction pattern the grammar cannot read is an error, never read as a shell command instead. */
    @Test
    void anUnreadableInstructionIsNotTakenForACommand() {
        PatternCompiler compiler = new PatternCompiler(PARSER);
        assertThatThrownBy(() -> compiler.compile("ENV ... PIP_NO_CACHE_DIR ...", Language.DOCKERFILE))
                .isInstanceOf(PatternException.class).hasMessageContaining("does not parse as dockerfile");
    }

    /**
     * FROM is Semgrep's call of the image name whose parameters, tag, digest and alias are optional
     * keyword arguments: a pattern without them matches images with them, and binds the name alone.
     */
    @Test
    void fromMatchesTheImageNameWithItsOptionalTagDigestAndAlias() {
        String images = """
                FROM debian
                FROM debian AS build
                FROM --platform=linux/amd64 debian:12 as name
                FROM python@sha256:4be65b406f74
                FROM python:3.12@sha256:4be65b406f74 AS app
                """;
        assertThat(lines(scan(pattern("dockerfile", "FROM $IMAGE"), "Dockerfile", images))).containsExactly(1, 2, 3, 4, 5);
        assertThat(lines(scan(pattern("dockerfile", "FROM $IMAGE:$VERSION"), "Dockerfile", images))).containsExactly(3, 5);
        assertThat(lines(scan(pattern("dockerfile", "FROM $IMAGE@$DIGEST"), "Dockerfile", images))).containsExactly(4, 5);
        assertThat(lines(scan(pattern("dockerfile", "FROM debian:11"), "Dockerfile", images))).isEmpty();
        assertThat(lines(scan(pattern("dockerfile", "FROM --platform=$P $IMAGE"), "Dockerfile", images))).containsExactly(3);
        assertThat(codes(scan(rule("dockerfile", """
                patterns:
                  - pattern: FROM $IMAGE:$VERSION
                  - focus-metavariable: $VERSION
                """), "Dockerfile", images))).containsExactly("12", "3.12");
    }

    /** An ellipsis among ENV's pairs stands for pairs; HEALTHCHECK $X takes the instruction's argument, parameters or not. */
    @Test
    void envPairsWithEllipsesAndAHealthcheckArgument() {
        String instructions = """
                ENV A=1 PIP_NO_CACHE_DIR=true B=2
                ENV PIP_NO_CACHE_DIR=false
                ENV C=3
                HEALTHCHECK --interval=5m CMD curl -f http://localhost/
                HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
                CMD ["python", "app.py"]
                """;
        assertThat(lines(scan(pattern("dockerfile", "ENV ... PIP_NO_CACHE_DIR=$BOOL ..."), "Dockerfile", instructions))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("dockerfile", "ENV ... PIP_NO_CACHE_DIR=false ..."), "Dockerfile", instructions))).containsExactly(2);
        assertThat(lines(scan(pattern("dockerfile", "HEALTHCHECK $CMD"), "Dockerfile", instructions))).containsExactly(4, 5);
        assertThat(lines(scan(pattern("dockerfile", "HEALTHCHECK $CMD\n...\nCMD [...]"), "Dockerfile", instructions))).containsExactly(4, 5);
    }
}
