package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/upgrade"
	"github.com/scaffold-dev/scaffold/templates"
)

// manifestExts are the file extensions shells complete for a manifest.
var manifestExts = []string{"yaml", "yml", "json"}

// registerCompletions teaches the shell completion (scaffold completion
// SHELL) what each flag takes: manifests by extension, and the values of
// --libc, --hooks and --handlers from the manifest already on the command
// line, never file names.
func registerCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "new":
			must(c.RegisterFlagCompletionFunc("manifest", filesWithExt(manifestExts...)))
			must(c.RegisterFlagCompletionFunc("libc", listFromManifest(func(m *manifest.Manifest) []string { return m.Libc.Families() })))
			must(c.RegisterFlagCompletionFunc("hooks", listFromManifest(func(m *manifest.Manifest) []string { return m.Contract.Optional() })))
			must(c.RegisterFlagCompletionFunc("handlers", noFiles))
			must(c.RegisterFlagCompletionFunc("module", noFiles))
			must(c.RegisterFlagCompletionFunc("out", dirsOnly))
			must(c.RegisterFlagCompletionFunc("license", cobra.FixedCompletions(generator.Licenses(templates.FS()), cobra.ShellCompDirectiveNoFileComp)))
			must(c.RegisterFlagCompletionFunc("from-lock", filesWithExt("lock")))
		case "upgrade":
			must(c.RegisterFlagCompletionFunc("manifest", filesWithExt(manifestExts...)))
			must(c.RegisterFlagCompletionFunc("set", setCompletions))
		case "check":
			must(c.RegisterFlagCompletionFunc("manifest", filesWithExt(append(slices.Clone(manifestExts), "lock")...)))
			c.ValidArgsFunction = filesWithExt("so")
		case "sbom":
			c.ValidArgsFunction = filesWithExt("so")
		case "manifest":
			must(c.RegisterFlagCompletionFunc("base", filesWithExt(manifestExts...)))
		}
	}
}

func must(err error) {
	if err != nil {
		panic(err) // a flag named above is missing: a programming error
	}
}

type completeFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

func filesWithExt(exts ...string) completeFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

func noFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

func dirsOnly(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// listFromManifest completes a comma-separated list flag with the values
// the manifest given by --manifest offers, leaving out those already in the
// list. Without a readable manifest there is nothing to offer, and no file
// is a value either.
func listFromManifest(values func(*manifest.Manifest) []string) completeFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		// new takes --manifest once per release: the last one given is
		// completed from.
		file := ""
		if f := cmd.Flags().Lookup("manifest"); f != nil {
			if list, ok := f.Value.(pflag.SliceValue); ok {
				if values := list.GetSlice(); len(values) > 0 {
					file = values[len(values)-1]
				}
			} else {
				file = f.Value.String()
			}
		}
		if file == "" {
			cobra.CompDebugln("no --manifest to complete from", false)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		m, err := manifest.Load(file)
		if err != nil {
			cobra.CompDebugln(err.Error(), false)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		i := strings.LastIndex(toComplete, ",")
		done, prefix := strings.Split(toComplete[:i+1], ","), toComplete[:i+1]
		var out []string
		for _, v := range values(m) {
			if !slices.Contains(done, v) && strings.HasPrefix(prefix+v, toComplete) {
				out = append(out, prefix+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// setCompletions offers the answers --set changes, as name=.
func setCompletions(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, name := range upgrade.Settable {
		if strings.HasPrefix(name+"=", toComplete) {
			out = append(out, name+"=")
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}
