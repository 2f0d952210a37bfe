package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import org.junit.jupiter.api.Test;

/** Dart patterns (bonede's grammar): top-level declarations structurally, imports by a prefix of the module's path. */
class DartPatternTest extends EngineTestSupport {
    private static final String APP = """
            import 'package:http/http.dart' as http;
            import 'package:httpx/client.dart';
            import 'dart:io';
            export 'package:http/src/base.dart';

            final client = HttpClient(timeout: 5);

            void main() {
              var url = Uri.parse('https://example.com');
              print(url);
            }
            """;

    @Test
    void theGrammarLoadsAndParsesAProgram() {
        SyntaxTree tree = PARSER.parse(Language.DART, APP);
        assertThat(tree.errorCount()).isZero();
        assertThat(tree.root().kind()).isEqualTo("program");
        assertThat(tree.nodes()).extracting(SyntaxNode::kind).contains("import_specification", "function_signature", "block");
    }

    /**
     * Semgrep's module name of an import is its scheme and path segments, and an import pattern
     * names a prefix of them: whole segments only, and only in imports (an export names its file
     * exactly); an import written without a prefix name does not match one with ({@code ImportAll}
     * against {@code ImportAs}).
     */
    @Test
    void anImportPatternNamesAPrefixOfTheModulePath() {
        assertThat(lines(scan(pattern("dart", "import 'package:httpx';"), "a.dart", APP))).containsExactly(2);
        assertThat(lines(scan(pattern("dart", "import 'package:httpx/client.dart';"), "a.dart", APP))).containsExactly(2);
        assertThat(lines(scan(pattern("dart", "import 'package:http';"), "a.dart", APP))).isEmpty();
        assertThat(lines(scan(pattern("dart", "import 'package:http' as $P;"), "a.dart", APP))).containsExactly(1);
        assertThat(lines(scan(pattern("dart", "import 'dart:io';"), "a.dart", APP))).containsExactly(3);
        assertThat(lines(scan(pattern("dart", "export 'package:http';"), "a.dart", APP))).isEmpty();
        assertThat(lines(scan(pattern("dart", "export 'package:http/src/base.dart';"), "a.dart", APP))).containsExactly(4);
    }

    @Test
    void declarationsMatchWithMetavariablesAndEllipses() {
        assertThat(lines(scan(pattern("dart", "final $C = HttpClient(...);"), "a.dart", APP))).containsExactly(6);
        assertThat(lines(scan(pattern("dart", "final $C = HttpClient(retries: 2);"), "a.dart", APP))).isEmpty();
        assertThat(lines(scan(pattern("dart", """
                void $F() {
                  ...
                  print($X);
                }
                """), "a.dart", APP))).containsExactly(8);
    }
}
