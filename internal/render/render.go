// Package render executes a set of text templates with one function map,
// strictly: a missing key is an error, and no function can read the clock,
// the environment, the network or a random source. The same data always
// renders to the same bytes.
package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// A Renderer holds the parsed templates of one file set.
type Renderer struct {
	t *template.Template
}

// New parses every "*.tmpl" file in fsys. Templates are named by their
// path in fsys and may call one another by that name.
func New(fsys fs.FS) (*Renderer, error) {
	r := &Renderer{t: template.New("").Funcs(FuncMap()).Option("missingkey=error")}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".tmpl" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if _, err := r.t.New(p).Parse(string(data)); err != nil {
			return fmt.Errorf("parsing template: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading templates: %w", err)
	}
	return r, nil
}

// Render executes the template name with data.
func (r *Renderer) Render(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := r.t.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// unrepeatable are sprig functions whose result depends on the clock or a
// random source, beyond the ones sprig's hermetic map already drops.
var unrepeatable = []string{
	"ago", "bcrypt", "htpasswd", "derivePassword", "encryptAES", "decryptAES",
	"genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
	"genSignedCert", "genSignedCertWithKey", "randInt", "shuffle", "uuidv4",
}

var (
	wordRE  = lazyre.New(`^[A-Za-z0-9._/:@+=,*%~?\[\]-]*$`)
	envRE   = lazyre.New(`^[A-Za-z0-9._/:@+=,*%~?\[\]|-]*$`)
	wordsRE = lazyre.New(`^[A-Za-z0-9._/:@+=,*%~?\[\]-]+( [A-Za-z0-9._/:@+=,*%~?\[\]-]+)*$`)
)

// FuncMap is sprig's hermetic function map without its unrepeatable
// functions, plus:
//
//   - word: its argument, or an error if it holds anything but letters,
//     digits and ._/:@+=,*%~?[]- — a last guard for values placed in a
//     Makefile, Dockerfile or shell line;
//   - words: the same for space-separated words;
//   - envWord: a word that may also hold |, for a Makefile variable that
//     only reaches commands through their environment (GOPROXY's "|"
//     separates proxies to fall back on);
//   - goString: a Go string literal;
//   - pkg: the placeholder by which generated Go code refers to a package
//     it imports for its own use, named once the file's imports are known
//     ([importname.Placeholder]);
//   - comment: text as Go line comments.
func FuncMap() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	for _, name := range unrepeatable {
		delete(m, name)
	}
	m["word"] = func(s string) (string, error) {
		if !wordRE.MatchString(s) {
			return "", fmt.Errorf("unsafe value %q", s)
		}
		return s, nil
	}
	m["envWord"] = func(s string) (string, error) {
		if !envRE.MatchString(s) {
			return "", fmt.Errorf("unsafe value %q", s)
		}
		return s, nil
	}
	m["words"] = func(s string) (string, error) {
		if !wordsRE.MatchString(s) {
			return "", fmt.Errorf("unsafe value %q", s)
		}
		return s, nil
	}
	m["goString"] = strconv.Quote
	m["pkg"] = importname.Placeholder
	m["comment"] = Comment
	return m
}

// Comment returns text as Go line comments, one for each of its lines,
// with no trailing space on an empty one.
func Comment(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("// "+l, " ")
	}
	return strings.Join(lines, "\n")
}
