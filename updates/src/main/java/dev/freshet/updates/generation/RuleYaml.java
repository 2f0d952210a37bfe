package dev.freshet.updates.generation;

import java.util.List;

/** Writes a taint-mode rule for a target as YAML, every value single-quoted so patterns need no other escaping. */
final class RuleYaml {
    private RuleYaml() {
    }

    static String taintRule(Target target, String message) {
        StringBuilder yaml = new StringBuilder("rules:\n");
        yaml.append("  - id: ").append(quoted(target.ruleId())).append('\n');
        yaml.append("    languages: [").append(target.language().id()).append("]\n");
        yaml.append("    severity: ERROR\n");
        yaml.append("    message: ").append(quoted(message)).append('\n');
        yaml.append("    metadata:\n");
        yaml.append("      category: security\n");
        yaml.append("      cwe: ").append(quoted(target.weakness().cwe())).append('\n');
        yaml.append("      framework: ").append(quoted(target.framework())).append('\n');
        yaml.append("      library: ").append(quoted(target.library())).append('\n');
        if (!target.cves().isEmpty()) {
            yaml.append("      cve: [").append(String.join(", ", target.cves().stream().map(RuleYaml::quoted).toList())).append("]\n");
        }
        yaml.append("    mode: taint\n");
        if (target.within().isEmpty()) {
            section(yaml, "pattern-sources", target.sources());
        } else {
            yaml.append("    pattern-sources:\n");
            for (String source : target.sources()) {
                yaml.append("      - patterns:\n");
                yaml.append("          - pattern-inside: ").append(quoted(target.within())).append('\n');
                yaml.append("          - pattern: ").append(quoted(source)).append('\n');
            }
        }
        section(yaml, "pattern-sinks", target.sinks());
        section(yaml, "pattern-sanitizers", target.sanitizers());
        return yaml.toString();
    }

    private static void section(StringBuilder yaml, String key, List<String> patterns) {
        if (patterns.isEmpty()) {
            return;
        }
        yaml.append("    ").append(key).append(":\n");
        for (String pattern : patterns) {
            yaml.append("      - pattern: ").append(quoted(pattern)).append('\n');
        }
    }

    static String quoted(String value) {
        return "'" + value.replace("'", "''").replace("\n", " ") + "'";
    }
}
