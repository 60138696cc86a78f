// Package gocmd runs the go command as a plugin build must see it: the
// host's exact toolchain and the module settings of the host's manifest.
package gocmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Runner runs go commands in Dir with Env.
type Runner struct {
	Dir string
	Env []string
}

// ForManifest returns a runner whose environment is base with the
// manifest's toolchain and proxy settings. Pattern lists are added to the
// ones base holds, so a user's own GOPRIVATE keeps working.
func ForManifest(dir string, base []string, m *manifest.Manifest) *Runner {
	env := Setenv(base, "GOTOOLCHAIN", m.Go)
	env = Setenv(env, "CGO_ENABLED", "1")
	return &Runner{Dir: dir, Env: ProxyEnv(env, m.Proxy)}
}

// ProxyEnv returns base with the module download settings of p.
func ProxyEnv(base []string, p manifest.Proxy) []string {
	env := base
	if p.GOPROXY != "" {
		env = Setenv(env, "GOPROXY", p.GOPROXY)
	}
	env = appendList(env, "GONOSUMDB", p.GONOSUMDB)
	env = appendList(env, "GOPRIVATE", p.GOPRIVATE)
	return appendList(env, "GONOPROXY", p.GONOPROXY)
}

// Run runs go with args and returns its standard output. The error carries
// the command and what it printed to standard error.
func (r *Runner) Run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.Dir
	cmd.Env = r.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			// go mod download -json reports on standard output.
			msg = jsonError(stdout.Bytes())
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("go %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

// Getenv returns the last value of key in env.
func Getenv(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Setenv returns env with key set to value, replacing earlier settings.
func Setenv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}

func appendList(env []string, key string, patterns []string) []string {
	if len(patterns) == 0 {
		return env
	}
	list := patterns
	if old := Getenv(env, key); old != "" {
		list = append([]string{old}, patterns...)
	}
	return Setenv(env, key, strings.Join(list, ","))
}

// jsonError returns the Error field of a -json report, or "".
func jsonError(out []byte) string {
	var report struct{ Error string }
	if json.Unmarshal(out, &report) != nil {
		return ""
	}
	return report.Error
}
