// Package greetkit writes greetings. Its go.mod requires
// example.com/logkit, which only package greetkit/logged imports: a
// plugin that imports greetkit alone compiles no package of logkit, and
// logkit is in its module graph only.
package greetkit

// Hello greets name.
func Hello(name string) string {
	return "hello, " + name
}
