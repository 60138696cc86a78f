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
	"reflect"
	"strings"

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
		failType("Plugin", sym, reflect.TypeOf((**sdk.Plugin)(nil)).Elem(), "*sdk.Plugin")
	}
	say("ok: Plugin is a sdk.Plugin variable")
	impl := *ptr
	if impl == nil {
		failf("Plugin is a nil sdk.Plugin: the host would have no plugin to call")
	}
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

// failType fails because the value v of the symbol name is not of the
// type want, which the host writes as typ. Where v's type reads like want
// all the same, as a host package named log reads like the standard log,
// the message names the packages of both.
func failType(name string, v any, want reflect.Type, typ string) {
	got := fmt.Sprintf("%T", v)
	if got == want.String() {
		got += " (of " + strings.Join(pkgPaths(reflect.TypeOf(v), nil), ", ") + ")"
		typ += " (of " + strings.Join(pkgPaths(want, nil), ", ") + ")"
	}
	failf("symbol %s is %s, not %s", name, got, typ)
}

// pkgPaths appends to paths the import path of each package whose named
// types t is made of, once each.
func pkgPaths(t reflect.Type, paths []string) []string {
	if t.Name() != "" {
		for _, p := range paths {
			if p == t.PkgPath() {
				return paths
			}
		}
		if t.PkgPath() != "" {
			paths = append(paths, t.PkgPath())
		}
		return paths
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		paths = pkgPaths(t.Elem(), paths)
	case reflect.Map:
		paths = pkgPaths(t.Elem(), pkgPaths(t.Key(), paths))
	case reflect.Func:
		for i := 0; i < t.NumIn(); i++ {
			paths = pkgPaths(t.In(i), paths)
		}
		for i := 0; i < t.NumOut(); i++ {
			paths = pkgPaths(t.Out(i), paths)
		}
	}
	return paths
}
