package dev.freshet.updates.community;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.community.Contribution.State;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Contributions through the real gate, review and the community source into a release, on a store of each kind. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ContributionsTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private Community community;

    @BeforeEach
    void release() throws IOException {
        CommunityFixtures.releaseStarter(parts);
        community = CommunityFixtures.community(parts, FeedbackPolicy.DEFAULT);
    }

    @Test
    void anApprovedContributionIsInTheNextRelease() {
        Contribution submitted = community.contributions().submit(new Giver("acme", "key-1"),
                CommunityFixtures.contribution("pickle-loads", "pickle.loads(...)", "# ruleid: pickle-loads\npickle.loads(blob)\n"));
        assertThat(submitted.state()).isEqualTo(State.PENDING_REVIEW);
        assertThat(submitted.gateReasons()).isEmpty();
        assertThat(submitted.ruleIds()).containsExactly("pickle-loads");

        Contribution approved = community.contributions().approve(submitted.id(), "maintainer", null);
        assertThat(approved.state()).isEqualTo(State.APPROVED);
        assertThat(approved.reviewer()).isEqualTo("maintainer");
        assertThat(parts.get().sources().find(Contributions.SOURCE)).isPresent();
        assertThat(community.reputation().of("key-1")).isEqualTo(Reputation.START + Reputation.APPROVED);

        assertThat(parts.updater(UpdatePolicy.DEFAULT).check(Trigger.SCHEDULE).activation()).isPresent();
        Release next = parts.get().releases().active().orElseThrow();
        assertThat(next.rules()).extracting(AcceptedRule::id).contains("pickle-loads", CommunityFixtures.GOOD);
        assertThat(next.rules()).filteredOn(r -> r.id().equals("pickle-loads")).singleElement()
                .satisfies(r -> assertThat(r.source()).isEqualTo(Contributions.SOURCE));
    }

    @Test
    void aContributionFailingItsOwnTestIsRejectedWithTheGatesReason() {
        Contribution bad = community.contributions().submit(new Giver("acme", "key-2"),
                CommunityFixtures.contribution("pickle-loads", "pickle.loads(...)", "# ruleid: pickle-loads\npickle.dumps(blob)\n"));
        assertThat(bad.state()).isEqualTo(State.GATE_REJECTED);
        assertThat(bad.gateReasons()).singleElement().asString().contains("pickle-loads");
        assertThat(community.reputation().of("key-2")).isLessThan(Reputation.START);
        assertThatThrownBy(() -> community.contributions().approve(bad.id(), "maintainer", null))
                .isInstanceOf(CommunityException.class).hasMessageContaining("gate rejected")
                .extracting(e -> ((CommunityException) e).kind()).isEqualTo(CommunityException.Kind.CONFLICT);
        assertThat(parts.get().sources().find(Contributions.SOURCE)).isEmpty();
    }

    @Test
    void aRuleWithoutTestsOrThatDoesNotParseFailsTheGate() {
        Contribution untested = community.contributions().submit(new Giver("acme", "k"), new NewContribution(ContributionKind.NEW_RULE,
                "untested", "MIT", List.of(new ContributedFile("x.yaml", CommunityFixtures.rule("x", "foo(...)")))));
        assertThat(untested.state()).isEqualTo(State.GATE_REJECTED);
        assertThat(untested.gateReasons()).singleElement().asString().containsIgnoringCase("test");
        Contribution broken = community.contributions().submit(new Giver("acme", "k"), new NewContribution(ContributionKind.NEW_RULE,
                "broken", "MIT", List.of(new ContributedFile("y.yaml", "rules: [ {id: y"), new ContributedFile("y.py", "y()\n"))));
        assertThat(broken.state()).isEqualTo(State.GATE_REJECTED);
    }

    @Test
    void aRejectionNeedsAReasonAndIsFinal() {
        Contribution c = community.contributions().submit(new Giver("acme", "key-3"),
                CommunityFixtures.contribution("os-system", "os.system(...)", "# ruleid: os-system\nos.system(cmd)\n"));
        assertThatThrownBy(() -> community.contributions().reject(c.id(), "maintainer", " ")).hasMessageContaining("needs a reason");
        Contribution rejected = community.contributions().reject(c.id(), "maintainer", "duplicates python.lang.os-system");
        assertThat(rejected.state()).isEqualTo(State.REJECTED);
        assertThat(rejected.reviewReason()).isEqualTo("duplicates python.lang.os-system");
        assertThatThrownBy(() -> community.contributions().approve(c.id(), "maintainer", null)).hasMessageContaining("rejected");
        assertThatThrownBy(() -> community.contributions().approve(999, "maintainer", null))
                .extracting(e -> ((CommunityException) e).kind()).isEqualTo(CommunityException.Kind.NOT_FOUND);
        assertThat(community.contributions().list(Optional.of(State.REJECTED))).extracting(Contribution::id).containsExactly(c.id());
    }

    @Test
    void aTrustedContributorsTestCaseSkipsReview() {
        FeedbackPolicy trusting = new FeedbackPolicy(null, null, null, null, null, null, null, null, null, 1.5, List.of("test_case"));
        Community trusted = CommunityFixtures.community(parts, trusting);
        Giver giver = new Giver("acme", "veteran");
        trusted.contributions().approve(trusted.contributions().submit(giver,
                CommunityFixtures.contribution("a-rule", "a_call(...)", "# ruleid: a-rule\na_call(1)\n")).id(), "maintainer", null);
        NewContribution testCase = new NewContribution(ContributionKind.TEST_CASE, "more tests", "Apache-2.0",
                List.of(new ContributedFile("a-rule.yaml", CommunityFixtures.rule("a-rule", "a_call(...)")),
                        new ContributedFile("a-rule.py", "# ruleid: a-rule\na_call(1)\n# ok: a-rule\nb_call(1)\n")));
        Contribution auto = trusted.contributions().submit(giver, testCase);
        assertThat(auto.state()).isEqualTo(State.APPROVED);
        assertThat(auto.reviewer()).isEqualTo("policy");
        Contribution newcomer = trusted.contributions().submit(new Giver("acme", "newcomer"), testCase);
        assertThat(newcomer.state()).isEqualTo(State.PENDING_REVIEW);
        NewContribution change = new NewContribution(ContributionKind.RULE_IMPROVEMENT, "broader", "MIT",
                List.of(new ContributedFile("a-rule.yaml", CommunityFixtures.rule("a-rule", "a_call($X)")),
                        new ContributedFile("a-rule.py", "# ruleid: a-rule\na_call(1)\n")));
        assertThat(trusted.contributions().submit(giver, change).state()).as("a change of a rule is not low-risk").isEqualTo(State.PENDING_REVIEW);
        assertThat(trusted.reputation().account("veteran").orElseThrow().entries()).extracting(Reputation.Entry::reason)
                .containsExactly("contribution 1 approved", "contribution 2 approved");
    }

    @Test
    void aNewRuleWithATakenIdIsAConflictAndStoresNothing() {
        Giver giver = new Giver("acme", "key-1");
        assertThatThrownBy(() -> community.contributions().submit(giver, CommunityFixtures.contribution(CommunityFixtures.GOOD, "exec(...)",
                "# ruleid: eval-call\nexec(data)\n")))
                .hasMessageContaining("rule id 'eval-call' is taken (in release").hasMessageContaining("rule_improvement")
                .extracting(e -> ((CommunityException) e).kind()).isEqualTo(CommunityException.Kind.CONFLICT);
        Contribution first = community.contributions().submit(giver, CommunityFixtures.contribution("a-rule", "a_call(...)",
                "# ruleid: a-rule\na_call(1)\n"));
        community.contributions().approve(first.id(), "maintainer", null); // published, not yet released
        assertThatThrownBy(() -> community.contributions().submit(giver, CommunityFixtures.contribution("a-rule", "b_call(...)",
                "# ruleid: a-rule\nb_call(1)\n"))).hasMessageContaining("in the community source");
        assertThat(community.contributions().list(Optional.empty())).as("refusals store nothing").extracting(Contribution::id)
                .containsExactly(first.id());
        assertThat(community.reputation().of("key-1")).as("nor cost reputation").isEqualTo(Reputation.START + Reputation.APPROVED);
    }

    @Test
    void eachKindIsCheckedAgainstTheRuleItNames() {
        Giver giver = new Giver("acme", "key-1");
        String good = CommunityFixtures.rule(CommunityFixtures.GOOD, "eval(...)");
        String tests = "# ruleid: eval-call\neval(data)\n# ok: eval-call\nevaluate(data)\n";
        String moreTests = tests + "# ruleid: eval-call\neval(compile(src, 'f', 'exec'))\n";
        String improved = CommunityFixtures.rule(CommunityFixtures.GOOD, "eval($X)");
        String documented = good.replace("message: found eval-call", "message: eval runs its argument as code; parse the data instead");

        assertThat(submit(giver, ContributionKind.RULE_IMPROVEMENT, improved, tests).state()).isEqualTo(State.PENDING_REVIEW);
        assertThat(submit(giver, ContributionKind.BUG_FIX, improved, moreTests).state()).isEqualTo(State.PENDING_REVIEW);
        assertThat(submit(giver, ContributionKind.TEST_CASE, good, moreTests).state()).isEqualTo(State.PENDING_REVIEW);
        assertThat(submit(giver, ContributionKind.DOCUMENTATION, documented, tests).state()).isEqualTo(State.PENDING_REVIEW);
        assertThat(submit(giver, ContributionKind.TEST_CASE, good, "# ruleid: eval-call\nevaluate(data)\n").state())
                .as("a test case still passes the gate with the rule as it is").isEqualTo(State.GATE_REJECTED);
        int stored = community.contributions().list(Optional.empty()).size();

        assertThatThrownBy(() -> submit(giver, ContributionKind.RULE_IMPROVEMENT, CommunityFixtures.rule("no-such-rule", "x(...)"),
                "# ruleid: no-such-rule\nx(1)\n")).hasMessageContaining("there is no rule 'no-such-rule'").hasMessageContaining("new_rule");
        assertThatThrownBy(() -> submit(giver, ContributionKind.BUG_FIX, good, moreTests)).hasMessageContaining("is the same as");
        assertThatThrownBy(() -> submit(giver, ContributionKind.TEST_CASE, improved, tests)).hasMessageContaining("changes [pattern]");
        assertThatThrownBy(() -> submit(giver, ContributionKind.DOCUMENTATION, documented.replace("eval(...)", "eval($X)"), tests))
                .hasMessageContaining("may change only [message, metadata]").hasMessageContaining("changes [pattern]");
        assertThatThrownBy(() -> submit(giver, ContributionKind.DOCUMENTATION, good, tests)).hasMessageContaining("neither");
        assertThat(community.contributions().list(Optional.empty())).as("refusals store nothing").hasSize(stored);
    }

    private Contribution submit(Giver giver, ContributionKind kind, String rule, String tests) {
        return community.contributions().submit(giver, new NewContribution(kind, kind.lowerCase() + " of eval-call", "MIT",
                List.of(new ContributedFile("eval-call.yaml", rule), new ContributedFile("eval-call.py", tests))));
    }

    @Test
    void hostileSubmissionsAreRefusedBeforeTheGate() {
        ContributedFile rule = new ContributedFile("r.yaml", CommunityFixtures.rule("r", "r(...)"));
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "MIT",
                List.of(new ContributedFile("../../etc/passwd", "x"), rule))).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "MIT",
                List.of(new ContributedFile(".hidden.yaml", "x")))).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "WTFPL-ish", List.of(rule)))
                .hasMessageContaining("'license' must be one of");
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "MIT",
                List.of(new ContributedFile("big.yaml", "x".repeat(NewContribution.MAX_FILE_BYTES + 1))))).hasMessageContaining("bytes");
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "MIT",
                List.of(new ContributedFile("notes.md", "hello")))).hasMessageContaining("no rule file");
        assertThatThrownBy(() -> new NewContribution(ContributionKind.NEW_RULE, "t", "MIT", List.of(rule, rule)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ContributionKind.parse("gift")).hasMessageContaining("unknown contribution kind");
    }
}
