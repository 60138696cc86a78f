// Package prompt asks a person at a terminal for the answers a command was
// not given, with a default for each and a check that runs on every answer
// before it is taken.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"

	"github.com/scaffold-dev/scaffold/internal/printable"
)

// ErrInterrupted is returned when the person ends the prompt with Ctrl-C,
// or with Ctrl-D (end of input), which a terminal user expects to cancel
// as well.
var ErrInterrupted = errors.New("interrupted")

// An Asker asks questions at a terminal.
type Asker struct {
	in  terminal.FileReader
	out terminal.FileWriter
	err io.Writer
}

// New returns an asker on the given terminal files. When ctx is done (an
// interrupt signal sent to the process while it waits for an answer), the
// question is cancelled as by Ctrl-C, and the terminal is left as it was.
func New(ctx context.Context, in terminal.FileReader, out terminal.FileWriter, errw io.Writer) *Asker {
	return &Asker{in: eotReader{in, ctx.Done()}, out: out, err: errw}
}

// An eotReader turns Ctrl-D into Ctrl-C: the survey library takes Ctrl-D
// for Enter, and would check an empty answer and ask again. The end of
// the input, which is what Ctrl-D gives before the terminal leaves line
// mode, is a Ctrl-C too: survey would read on after it forever. So is
// done: the terminal is in raw mode while a question waits, so a signal
// does not end the read.
type eotReader struct {
	terminal.FileReader
	done <-chan struct{}
}

func (r eotReader) Read(p []byte) (int, error) {
	type result struct {
		n   int
		err error
	}
	buf := make([]byte, len(p))
	ch := make(chan result, 1)
	go func() {
		n, err := r.FileReader.Read(buf)
		ch <- result{n, err}
	}()
	var n int
	var err error
	select {
	case res := <-ch:
		n, err = copy(p, buf[:res.n]), res.err
	case <-r.done:
		// The read goes on until the process ends, which it is about to.
		n, err = 0, io.EOF
	}
	if n == 0 && errors.Is(err, io.EOF) && len(p) > 0 {
		p[0] = terminal.KeyInterrupt
		return 1, nil
	}
	for i := range p[:n] {
		if p[i] == terminal.KeyEndTransmission {
			p[i] = terminal.KeyInterrupt
		}
	}
	return n, err
}

// IsTerminal tells whether f is a terminal a person could answer at.
func IsTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

func (a *Asker) opts(validate func(string) error) []survey.AskOpt {
	opts := []survey.AskOpt{survey.WithStdio(a.in, a.out, a.err)}
	if validate != nil {
		opts = append(opts, survey.WithValidator(func(ans any) error {
			s, _ := ans.(string)
			if err := validate(s); err != nil {
				// Shown at the terminal: what it would act on is escaped.
				return errors.New(printable.Message(err.Error()))
			}
			return nil
		}))
	}
	return opts
}

// Input asks for one line, offering def; validate runs on each answer and
// its error is shown until an answer passes.
func (a *Asker) Input(msg, help, def string, validate func(string) error) (string, error) {
	var ans string
	q := &survey.Input{Message: msg, Default: def, Help: help}
	if err := survey.AskOne(q, &ans, a.opts(validate)...); err != nil {
		return "", wrap(msg, err)
	}
	return ans, nil
}

// MultiSelect asks for one or more of options, with defs selected.
func (a *Asker) MultiSelect(msg, help string, options, defs []string) ([]string, error) {
	var ans []string
	q := &survey.MultiSelect{Message: msg, Options: options, Default: defs, Help: help}
	opts := append(a.opts(nil), survey.WithValidator(survey.MinItems(1)))
	if err := survey.AskOne(q, &ans, opts...); err != nil {
		return nil, wrap(msg, err)
	}
	return ans, nil
}

// Confirm asks a yes-or-no question, offering def.
func (a *Asker) Confirm(msg, help string, def bool) (bool, error) {
	ans := def
	q := &survey.Confirm{Message: msg, Default: def, Help: help}
	if err := survey.AskOne(q, &ans, a.opts(nil)...); err != nil {
		return false, wrap(msg, err)
	}
	return ans, nil
}

func wrap(msg string, err error) error {
	// The end of the input (Ctrl-D before the terminal is in raw mode, or
	// a closed terminal) cancels too.
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, io.EOF) {
		return ErrInterrupted
	}
	return fmt.Errorf("asking %q: %w", msg, err)
}
