// Package progress shows a person at a terminal that a slow step is still
// running: what it is, and how long it has taken so far, on one line that
// is rewritten every second and cleared when the step ends. Nothing is
// written for a step that ends within the first second, and nothing at all
// when the writer is not a terminal, so logs and scripts see no
// carriage returns.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// A Meter writes progress lines to a terminal.
type Meter struct {
	w io.Writer
}

// ForTerminal returns a meter on f when f is a terminal, else nil, which
// shows nothing.
func ForTerminal(f *os.File) *Meter {
	if f == nil || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &Meter{w: f}
}

// Start shows what as running until the returned function is called.
// On a nil meter it does nothing.
func (m *Meter) Start(what string) (stop func()) {
	if m == nil {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					// Back to the line's start, and clear it.
					fmt.Fprint(m.w, "\r\x1b[K")
				}
				return
			case <-tick.C:
				fmt.Fprintf(m.w, "\r\x1b[K%s: %s", what, time.Since(start).Round(time.Second))
				shown = true
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}
