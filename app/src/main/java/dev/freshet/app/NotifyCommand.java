package dev.freshet.app;

import dev.freshet.updates.notify.NotificationStore;
import dev.freshet.updates.notify.Notifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code freshet notify ...}: the notification channels of the policy's {@code [notifications]} section. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        header = "Check the notification channels (webhook, Slack, e-mail) the policy file configures.",
        description = {"Channels are configured in the policy file's [notifications] section; secrets come from",
                "FRESHET_WEBHOOK_SECRET, FRESHET_SMTP_PASSWORD and FRESHET_SLACK_WEBHOOK_URLS. 'freshet serve' sends the events."},
        subcommands = {NotifyCommand.Test.class, NotifyCommand.Status.class},
        footer = {"", "Examples:", "  freshet notify test", "  freshet notify status --json"})
final class NotifyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            header = "Send a test message to every configured channel and say what each did.",
            footer = {"", "Example:", "  FRESHET_WEBHOOK_SECRET=... freshet notify test --json"})
    static final class Test implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                Notifier notifier = parts.notifier();
                if (notifier.channels().isEmpty()) {
                    throw new UserError("no notification channels: add webhook_urls, slack_webhook_urls or email_recipients to [notifications] in "
                            + parts.settings().policyFile());
                }
                List<Notifier.TestResult> results = notifier.test();
                store.print(Map.of("channels", results), results.stream()
                        .map(r -> (r.delivered() ? "delivered  " : "FAILED     ") + r.channel() + "  (" + r.took().toMillis() + " ms)"
                                + (r.error() == null ? "" : "\n           " + r.error()))
                        .collect(Collectors.joining("\n")));
                return results.stream().allMatch(Notifier.TestResult::delivered) ? ExitCodes.OK : ExitCodes.ERROR;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            header = "Show each channel's position in the event log and its waiting and delivered notifications.",
            footer = {"", "Example:", "  freshet notify status"})
    static final class Status implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                Notifier notifier = parts.notifier();
                List<NotificationStore.ChannelStatus> status = notifier.status();
                List<String> labels = notifier.channels().stream().map(c -> c.label()).toList();
                StringBuilder text = new StringBuilder(status.isEmpty() ? "no notification channels configured\n" : "");
                for (int i = 0; i < status.size(); i++) {
                    NotificationStore.ChannelStatus s = status.get(i);
                    text.append(labels.get(i)).append(": after event ").append(s.cursor()).append(", ").append(s.pending()).append(" waiting, ")
                            .append(s.collecting()).append(" digest(s) collecting, ").append(s.delivered()).append(" delivered")
                            .append(s.lastError() == null ? "" : "; last error: " + s.lastError()).append('\n');
                }
                store.print(Map.of("channels", status), text.toString());
                return ExitCodes.OK;
            }
        }
    }
}
