package gitignore

import "testing"

func TestIgnored(t *testing.T) {
	var r Rules
	r.Add("", []byte(`# Build output.
/dist/
*.so
/.run/
build
!keep.so
docs/**/*.html
logs/**
\#hash
trailing\ 
tmp[0-9]
x[!a]y
*.gen.go
!/important.gen.go
a/*/c
lone/
!
`))
	r.Add("sub", []byte("local.txt\n/anchored.go\n!*.so\r\n"))
	for _, tc := range []struct {
		path string
		dir  bool
		want bool
	}{
		{"dist", true, true},
		{"dist", false, false}, // a file named dist: /dist/ is for directories
		{"sub/dist", true, false},
		{"plugin.so", false, true},
		{"deep/down/plugin.so", false, true},
		{"keep.so", false, false},
		{".run", true, true},
		{"build", false, true},
		{"x/build", true, true},
		{"builds", false, false},
		{"docs/a.html", false, true},
		{"docs/x/y/a.html", false, true},
		{"docs/a.md", false, false},
		{"logs", true, false},
		{"logs/a/b", false, true},
		{"#hash", false, true},
		{"trailing ", false, true},
		{"trailing", false, false},
		{"tmp1", false, true},
		{"tmpa", false, false},
		{"xby", false, true},
		{"xay", false, false},
		{"x/y", false, false}, // no class matches a separator
		{"plugin.go", false, false},
		{"api.gen.go", false, true},
		{"important.gen.go", false, false},
		{"pkg/important.gen.go", false, true},
		{"a/b/c", false, true},
		{"a/b/d/c", false, false},
		{"lone", true, true},
		{"lone", false, false},
		{"sub/local.txt", false, true},
		{"sub/deeper/local.txt", false, true},
		{"local.txt", false, false},
		{"sub/anchored.go", false, true},
		{"sub/deeper/anchored.go", false, false},
		{"sub/plugin.so", false, false}, // the deeper file's ! comes last
		{"plugin.go", true, false},
	} {
		if got := r.Ignored(tc.path, tc.dir); got != tc.want {
			t.Errorf("Ignored(%q, dir %v) = %v, want %v", tc.path, tc.dir, got, tc.want)
		}
	}
}

// TestNoRules: with no .gitignore, nothing is ignored.
func TestNoRules(t *testing.T) {
	var r Rules
	if r.Ignored("dist", true) {
		t.Error("dist ignored without rules")
	}
}
