package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Import patterns as Semgrep matches them (Generic_vs_generic's m_directive with
 * m_module_name_prefix, Normalize_generic's normalize_import_opt, m_directive_vs_def): a module
 * written in a pattern is a prefix of the modules it matches, a pattern that imports only a module
 * matches every form of import of it, and JavaScript's {@code import 'm'} also matches CommonJS's require.
 */
class ImportPatternTest extends EngineTestSupport {

    @Test
    void javascriptModuleIsAPrefixUpToAPathSeparator() {
        assertThat(lines(scan(pattern("javascript", "import '@scope'"), "t.js", """
                import x from '@scope/pkg';
                import '@scope';
                import { a } from "@scope/pkg/deep";
                import y from '@scoped/pkg';
                import z from 'other/@scope';
                """))).containsExactly(1, 2, 3);
    }

    @Test
    void javascriptImportWithAClauseKeepsItAndBindsItsName() {
        String yaml = rule("t", "javascript", "INFO", "$X", "pattern: import $X from 'lib'\n");
        assertThat(scan(yaml, "t.js", """
                import Client from 'lib/client';
                const other = require('lib');
                """)).extracting(f -> f.message()).containsExactly("Client");
    }

    @Test
    void javascriptBareImportMatchesTheSameModuleRequired() {
        assertThat(lines(scan(pattern("javascript", "import 'lib'"), "t.js", """
                const a = require('lib');
                let { b, c } = require("lib");
                var d = require('lib/sub');
                const e = require('other');
                use(require('lib'));
                """))).containsExactly(1, 2);
    }

    @Test
    void goImportPathIsAPrefixWhateverTheAlias() {
        assertThat(lines(scan(pattern("go", "import \"github.com/org/ai-go\""), "t.go", """
                package main

                import "github.com/org/ai-go/client"
                import alias "github.com/org/ai-go"
                import "github.com/org/ai-gopher"
                """))).containsExactly(3, 4);
    }

    @Test
    void kotlinImportOfAPackageMatchesEveryImportFromInsideIt() {
        assertThat(lines(scan(pattern("kotlin", "import com.example.ai"), "t.kt", """
                import com.example.ai.chat.ChatRoute
                import com.example.ai.*
                import com.example.ai.text.Summary as S
                import com.example.aiplatform.Model
                import com.example
                """))).containsExactly(1, 2, 3);
    }

    @Test
    void javaImportOfAPackageMatchesClassesStaticsAndWildcardsInside() {
        assertThat(lines(scan(pattern("java", "import com.example.crypto;"), "T.java", """
                import com.example.crypto.Cipher;
                import com.example.crypto.*;
                import static com.example.crypto.Keys.make;
                import com.example.cryptography.Other;
                class T {}
                """))).containsExactly(1, 2, 3);
    }

    @Test
    void csharpUsingMatchesNestedNamespacesButNotAnAlias() {
        assertThat(lines(scan(pattern("csharp", "using OpenAI"), "t.cs", """
                using OpenAI.Chat;
                using OpenAI;
                using OpenAIClient;
                using Chat = OpenAI.Chat;
                class C {}
                """))).containsExactly(1, 2);
    }

    /** C# 9's top-level statements declare locals like a method body does, so their types are known. */
    @Test
    void csharpTopLevelStatementsDeclareTypes() {
        assertThat(lines(scan(pattern("csharp", "(ChatClient $C).$F(...)"), "t.cs", """
                ChatClient client = new("model");
                Other other = new("model");
                var reply = client.Complete("hi");
                other.Complete("hi");
                """))).containsExactly(3);
    }
}
