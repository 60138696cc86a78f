// Command loadtest opens a built hello-world plugin the way gateway v1.0.0 does:
// plugin.Open, then the same lookups and type assertions, then a call of
// each hook with sample input. The Makefile builds it with the host's
// toolchain, flags and module versions, so the packages it shares with the
// plugin are compiled exactly as in the host: a plugin it opens, the host
// opens too.
//
// Usage:
//
//	loadtest PLUGIN.so
package main

import (
	"context"
	"fmt"
	"os"
	"plugin"

	"example.com/gateway/sdk"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest PLUGIN.so")
		os.Exit(2)
	}
	p, err := plugin.Open(os.Args[1])
	if err != nil {
		fail(err)
	}
	say("ok: plugin.Open")
	sym := lookup(p, "Plugin")
	ptr, ok := sym.(*sdk.Plugin)
	if !ok {
		failf("symbol Plugin is %T, not *sdk.Plugin", sym)
	}
	say("ok: Plugin is a sdk.Plugin variable")
	impl := *ptr
	func() {
		defer func() {
			if r := recover(); r != nil {
				failf("calling Name: panic: %v", r)
			}
		}()
		r0 := impl.Name()
		say("call: Name returned", r0)
	}()
	func() {
		defer func() {
			if r := recover(); r != nil {
				failf("calling OnRequest: panic: %v", r)
			}
		}()
		ctx := context.Background()
		req := new(sdk.Request)
		r0, r1 := impl.OnRequest(ctx, req)
		say("call: OnRequest returned", r0, r1)
	}()

	say("PASS")
}

// lookup finds a symbol the host requires.
func lookup(p *plugin.Plugin, name string) plugin.Symbol {
	sym, err := p.Lookup(name)
	if err != nil {
		fail(err)
	}
	return sym
}

// say prints one line of the report.
func say(a ...any) {
	fmt.Println(a...)
}

func fail(err error) {
	say("FAIL:", err)
	os.Exit(1)
}

// failf fails with a formatted error.
func failf(format string, a ...any) {
	fail(fmt.Errorf(format, a...))
}
