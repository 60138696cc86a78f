// Package log is the sieve's request log: what a plugin logs through a
// Logger is printed with the request it was logged for.
package log

import "fmt"

// A Logger collects the lines logged for one request. The zero Logger
// is ready to use.
type Logger struct {
	// RequestID names the request in each line.
	RequestID string
	lines     []string
}

// Printf logs a line.
func (l *Logger) Printf(format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// Lines returns the lines logged so far, each after the request's ID.
func (l *Logger) Lines() []string {
	out := make([]string, len(l.lines))
	for i, line := range l.lines {
		out[i] = l.RequestID + ": " + line
	}
	return out
}
