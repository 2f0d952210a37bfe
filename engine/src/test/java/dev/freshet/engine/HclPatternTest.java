package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.engine.parse.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terraform/HCL patterns with Semgrep's meaning: a block is a call of its type with its labels and
 * a record of its body; record fields match in any order, others may sit beside them, and a nested
 * block of a pattern may sit deeper in the field it meets.
 */
class HclPatternTest extends EngineTestSupport {
    private static final String BUCKETS = """
            resource "aws_s3_bucket" "public" {
              bucket = "a"
              acl    = "public-read"
            }
            resource "aws_s3_bucket" "private" {
              acl = "private"
            }
            resource "aws_s3_bucket" "empty" {}
            resource "aws_instance" "web" {
              acl = "public-read"
            }
            """;

    @BeforeAll
    static void grammarBuilt() {
        assumeTrue(Language.HCL.hasGrammar(), "no HCL grammar in this build: engine/grammars needs npm and a C compiler");
    }

    @Test
    void blockBodyFieldsMatchInAnyOrderWithOthersBeside() {
        assertThat(lines(scan(pattern("hcl", """
                resource "aws_s3_bucket" $NAME {
                  acl = "public-read"
                }
                """), "main.tf", BUCKETS))).containsExactly(1);
    }

    @Test
    void anEllipsisBodyAndAnEmptyBodyMatchAnyBlockOfTheType() {
        for (String body : new String[] {"{...}", "{ ... }", "{\n  ...\n}", "{}"}) {
            assertThat(lines(scan(pattern("terraform", "resource \"aws_s3_bucket\" \"...\" " + body), "main.tf", BUCKETS)))
                    .as(body).containsExactly(1, 5, 8);
        }
    }

    @Test
    void aMissingAttributeIsFoundWithPatternNotInside() {
        String rule = rule("hcl", """
                patterns:
                  - pattern: resource
                  - pattern-inside: |
                      resource "aws_s3_bucket" "..." {
                        ...
                      }
                  - pattern-not-inside: |
                      resource "aws_s3_bucket" "..." {
                        ...
                        bucket = ...
                        ...
                      }
                """);
        assertThat(lines(scan(rule, "main.tf", BUCKETS))).containsExactly(5, 8);
    }

    @Test
    void aNestedBlockMaySitDeeperInTheFieldItMeets() {
        String code = """
                resource "google_sql_database_instance" "nested" {
                  settings {
                    database_flags {
                      name  = "local_infile"
                      value = "on"
                    }
                  }
                }
                resource "google_sql_database_instance" "off" {
                  settings {
                    database_flags {
                      name  = "local_infile"
                      value = "off"
                    }
                  }
                }
                """;
        assertThat(lines(scan(pattern("hcl", """
                resource "google_sql_database_instance" "..." {
                  database_flags {
                    value = "on"
                    name  = "local_infile"
                  }
                }
                """), "db.tf", code))).containsExactly(1);
    }

    @Test
    void anAttributePatternAlsoMatchesAnObjectElementAndAnObjectPatternABlockBody() {
        String code = """
                resource "aws_iam_policy" "p" {
                  policy = jsonencode({
                    Statement = [
                      { Action = "*", Effect = "Allow" },
                      { Action = "s3:GetObject", Effect = "Allow" },
                    ]
                  })
                }
                data "aws_iam_policy_document" "d" {
                  statement {
                    actions = ["*"]
                    effect  = "Allow"
                  }
                }
                """;
        assertThat(lines(scan(pattern("hcl", "Action = \"*\""), "iam.tf", code))).containsExactly(4);
        assertThat(lines(scan(pattern("hcl", "{..., actions = [\"*\"], ...}"), "iam.tf", code))).containsExactly(10);
        assertThat(lines(scan(pattern("hcl", "{... Effect = \"Allow\" ...}"), "iam.tf", code))).containsExactly(4, 5);
    }

    @Test
    void labelsBindMetavariablesAndStringEllipsesMatchAnyLabel() {
        String rule = rule("hcl", """
                patterns:
                  - pattern: resource $TYPE "..." {...}
                  - metavariable-regex:
                      metavariable: $TYPE
                      regex: .*aws_instance
                """);
        assertThat(lines(scan(rule, "main.tf", BUCKETS))).containsExactly(9);
    }

    @Test
    void aLoneNameMatchesWhereverItIsWritten() {
        assertThat(lines(scan(pattern("hcl", "resource"), "main.tf", BUCKETS))).containsExactly(1, 5, 8, 9);
    }

    /**
     * A heredoc without interpolations is a string of its lines (Semgrep's {@code Here_temp}); with one
     * it is a concatenation, no literal. A string's content can be read in another language.
     */
    @Test
    void aHeredocIsTheStringOfItsLines() {
        String policies = """
                resource "aws_kms_key" "a" {
                  policy = <<POLICY
                {"Effect": "Allow", "Principal": "*"}
                POLICY
                }
                resource "aws_kms_key" "b" {
                  policy = "{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"me\\"}"
                }
                resource "aws_kms_key" "c" {
                  policy = <<POLICY
                {"Principal": "${var.who}"}
                POLICY
                }
                """;
        assertThat(lines(scan(pattern("hcl", "policy = \"$P\""), "main.tf", policies))).containsExactly(2, 7);
        assertThat(lines(scan(pattern("hcl", "policy = \"=~/^.{2}Effect/\""), "main.tf", policies))).containsExactly(2);
        assertThat(lines(scan(rule("hcl", """
                patterns:
                  - pattern: policy = "$P"
                  - metavariable-pattern:
                      metavariable: $P
                      language: json
                      pattern: '{..., "Principal": "*", ...}'
                """), "main.tf", policies))).containsExactly(2);
    }
}
