// Package gitrepo makes a freshly generated directory a git repository with
// one commit holding every generated file, so that the author's first diff
// shows their own changes and a later upgrade's changes stand apart.
//
// It runs the git command: a repository is the user's, made with the git
// they use, and the first commit is theirs when git knows who they are.
package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Fallback is the identity of the first commit when git has none
// configured, so that a new repository gets its commit on a fresh machine
// or in CI too; the note [Init] returns says so.
const (
	FallbackName  = "scaffold"
	FallbackEmail = "scaffold@localhost"
)

// Init runs git init in dir, adds every file and commits them with
// message. It returns a note for the user when it did less than that or
// used the fallback identity: git not installed, or dir already inside a
// work tree (whose own repository then holds the files). Notes name the
// directory as shown: dir may be where the repository is staged before
// it is moved into place.
//
// On an error, dir may hold a partial .git: the caller removes it.
func Init(ctx context.Context, dir, shown, message string) (note string, err error) {
	if _, err := exec.LookPath("git"); err != nil {
		return "git not found: the repository was not put under version control (git init, then commit)", nil
	}
	if out, err := git(ctx, dir, "rev-parse", "--show-toplevel"); err == nil {
		return "not running git init: " + shown + " is inside the git work tree " + strings.TrimSpace(out), nil
	}
	if _, err := git(ctx, dir, "init", "--quiet"); err != nil {
		return "", err
	}
	var id []string
	if out, _ := git(ctx, dir, "config", "user.email"); strings.TrimSpace(out) == "" {
		id = []string{"-c", "user.name=" + FallbackName, "-c", "user.email=" + FallbackEmail}
		note = "git knows no user.email: the first commit's author is " + FallbackName + " <" + FallbackEmail + ">"
	}
	if _, err := git(ctx, dir, "add", "--all"); err != nil {
		return "", err
	}
	// No hooks: a global pre-commit hook has no business judging
	// generated files, and the commit must not wait on one.
	args := append(id, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message)
	if _, err := git(ctx, dir, args...); err != nil {
		return "", err
	}
	return note, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	// A git left running by a killed scaffold would go on writing into a
	// staging directory the next run removes.
	cmd.SysProcAttr = dieWithParent()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		name := "git " + strings.Join(args, " ")
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("%s: %s", name, firstLine(msg))
	}
	return stdout.String(), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
