import java.io.IOException;

public class ReportExporter {

    public Process exportReport(String reportName) throws IOException {
        // ruleid: freshet-java-runtime-exec-nonliteral
        return Runtime.getRuntime().exec("/opt/tools/export.sh " + reportName);
    }

    public Process viaShell(String userFilter) throws IOException {
        String[] command = {"/bin/sh", "-c", "grep " + userFilter + " /var/log/app.log"};
        // ruleid: freshet-java-runtime-exec-nonliteral
        return Runtime.getRuntime().exec(command);
    }

    public Process withRuntimeVariable(String host) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        // ruleid: freshet-java-runtime-exec-nonliteral
        return runtime.exec(String.format("ping -c 1 %s", host));
    }

    public Process inlineArray(String archive) throws IOException {
        // ruleid: freshet-java-runtime-exec-nonliteral
        return Runtime.getRuntime().exec(new String[] {"tar", "xzf", archive});
    }

    public Process fixedCommand() throws IOException {
        // ok: freshet-java-runtime-exec-nonliteral
        return Runtime.getRuntime().exec("uptime");
    }

    public Process fixedArray() throws IOException {
        // ok: freshet-java-runtime-exec-nonliteral
        return Runtime.getRuntime().exec(new String[] {"df", "-h", "/"});
    }

    public Process processBuilder(String archive) throws IOException {
        // ok: freshet-java-runtime-exec-nonliteral
        return new ProcessBuilder("tar", "xzf", archive).start();
    }
}
