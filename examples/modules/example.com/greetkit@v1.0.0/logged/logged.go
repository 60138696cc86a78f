// Package logged writes greetings as log lines, with logkit's prefix: a
// plugin that imports it compiles logkit.
package logged

import (
	"example.com/greetkit"
	"example.com/logkit"
)

// Hello greets name on a log line of program.
func Hello(program, name string) string {
	return logkit.Prefix(program) + greetkit.Hello(name)
}
