package tools

import (
	"context"
	"fmt"
	"os/exec"
)

func Ping(host string) ([]byte, error) {
	// ruleid: freshet-go-exec-command-injection
	return exec.Command("sh", "-c", fmt.Sprintf("ping -c 1 %s", host)).Output()
}

func Grep(ctx context.Context, pattern, file string) ([]byte, error) {
	line := "grep -n " + pattern + " " + file
	// ruleid: freshet-go-exec-command-injection
	cmd := exec.CommandContext(ctx, "bash", "-c", line)
	return cmd.Output()
}

func RunTool(name string) error {
	// ruleid: freshet-go-exec-command-injection
	return exec.Command("/opt/tools/" + name).Run()
}

func Archive(dir string) error {
	var script string
	script = fmt.Sprintf("tar czf /backup/out.tgz %s", dir)
	// ruleid: freshet-go-exec-command-injection
	return exec.Command("/bin/sh", "-c", script).Run()
}

func ListDir(dir string) ([]byte, error) {
	// ok: freshet-go-exec-command-injection
	return exec.Command("ls", "-la", dir).Output()
}

func Uptime() ([]byte, error) {
	// ok: freshet-go-exec-command-injection
	return exec.Command("uptime").Output()
}

func Describe(host string) string {
	// ok: freshet-go-exec-command-injection
	return fmt.Sprintf("ping %s", host)
}
