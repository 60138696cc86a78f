package filetree

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A change of several files is committed through a journal, so that a
// process killed at any moment leaves a repository the next run can put
// back as it was.
//
//  1. Every new content is staged in the journal directory, .scaffold-txn
//     at the repository's root, and flushed to disk.
//  2. The journal, the list of steps, is written beside it (a temporary
//     name, then renamed): from here on the tree may change.
//  3. Each step moves the file it replaces or removes into the journal
//     directory, then the staged file into place.
//  4. The journal directory is renamed .scaffold-txn-done: the commit
//     point. Then it is removed.
//
// Recovery, at the start of the next run that would write: a done
// directory is removed (the change had completed); a journal directory
// without a journal is removed (the tree was not touched); one with a
// journal is rolled back step by step, which gives the old tree back.
const (
	txnDir      = ".scaffold-txn"
	doneDir     = ".scaffold-txn-done"
	journalName = txnDir + "/journal"
)

// FailPoint, when set, is called at each step of a commit and of a
// recovery with the step's name. Only tests set it, to kill the process
// there and see that the next run recovers.
var FailPoint func(name string)

func failPoint(name string) {
	if FailPoint != nil {
		FailPoint(name)
	}
}

// A journal lists the steps of one change.
type journal struct {
	// Op says what the change was, for the message of a recovery.
	Op    string  `json:"op"`
	Steps []jstep `json:"steps"`
	// Dirs are the directories the change makes, outermost first.
	Dirs []string `json:"dirs,omitempty"`
	// Git is set when a new repository's staged tree holds its .git,
	// made by git in the staging directory: it is moved into place after
	// the commit point, by the run or by the recovery that finds the
	// change finished, so that a repository is whole or not there.
	Git bool `json:"git,omitempty"`
}

// A jstep replaces, adds or removes the entry at Path.
type jstep struct {
	Path string `json:"path"`
	// Staged is the new entry's name in the journal directory; "" for a
	// removal.
	Staged string `json:"staged,omitempty"`
	// Old is set when Path existed; it is moved to old-N.
	Old bool `json:"old,omitempty"`
	// Sum is the SHA-256 of the staged entry ([Root.entrySum]): a
	// rollback takes back only what this change put in place, never a
	// file a journal planted in a repository names.
	Sum string `json:"sum,omitempty"`
}

func oldName(i int) string { return txnDir + "/old-" + strconv.Itoa(i) }

// A Recovery says what became of a change an earlier run left unfinished.
type Recovery struct {
	// Op is what the earlier run was doing ("upgrade", "new").
	Op string
	// Completed is set when the change had been made in full; otherwise
	// the tree was restored as it was before it.
	Completed bool
}

func (rc *Recovery) String() string {
	if rc.Completed {
		return fmt.Sprintf("an interrupted %s had finished: removed what it left behind", rc.Op)
	}
	return fmt.Sprintf("an interrupted %s was rolled back: every file is as it was before it", rc.Op)
}

// Pending tells whether an earlier run left a change unfinished: true
// when there is a journal to recover. A run that writes nothing still
// must not read such a tree as the author's.
func (r *Root) Pending() bool {
	return r.exists(txnDir) || r.exists(doneDir)
}

// Recover finishes or rolls back what an interrupted run left, and says
// which to report, when it is not nil; it returns nil, nil when nothing
// was left. The root must be locked.
func (r *Root) Recover(report func(*Recovery)) (*Recovery, error) {
	rc, err := r.recover()
	if rc != nil && report != nil {
		report(rc)
	}
	if rc != nil {
		failPoint("recovered")
	}
	return rc, err
}

func (r *Root) recover() (*Recovery, error) {
	if r.lock == nil {
		return nil, errors.New("recovering an unlocked repository")
	}
	if r.exists(doneDir) {
		rc := &Recovery{Op: "change", Completed: true}
		if j, err := r.readJournal(doneDir + "/journal"); err == nil {
			rc.Op = j.Op
		}
		if j, err := r.readJournal(doneDir + "/journal"); err == nil {
			if err := r.placeGit(j, doneDir); err != nil {
				return nil, err
			}
		}
		if err := r.removeAll(doneDir); err != nil {
			return nil, fmt.Errorf("removing %s: %w", doneDir, err)
		}
		return rc, nil
	}
	if !r.exists(txnDir) {
		return nil, nil
	}
	j, err := r.readJournal(journalName)
	if errors.Is(err, fs.ErrNotExist) {
		// Staged only: the tree itself was never touched.
		rc := &Recovery{Op: "change"}
		// A kill may have cut the op file short.
		if data, err := r.readRegular(txnDir + "/op"); err == nil && len(data) > 0 {
			rc.Op = string(data)
		}
		if err := r.removeAll(txnDir); err != nil {
			return nil, fmt.Errorf("removing %s: %w", txnDir, err)
		}
		return rc, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w; the files it lists are in %s", journalName, err, txnDir)
	}
	if err := r.rollback(j); err != nil {
		return nil, fmt.Errorf("rolling back an interrupted %s: %w; the files it had moved are in %s", j.Op, err, txnDir)
	}
	if err := r.removeAll(txnDir); err != nil {
		return nil, fmt.Errorf("removing %s: %w", txnDir, err)
	}
	return &Recovery{Op: j.Op}, nil
}

func (r *Root) readJournal(name string) (*journal, error) {
	data, err := r.readRegular(name)
	if err != nil {
		return nil, err
	}
	var j journal
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("damaged: %w", err)
	}
	for _, s := range j.Steps {
		if err := CheckPath(s.Path); err != nil {
			return nil, fmt.Errorf("damaged: %w", err)
		}
		if s.Staged != "" && s.Sum == "" {
			return nil, fmt.Errorf("damaged: %s has no digest", s.Path)
		}
	}
	for _, d := range j.Dirs {
		if err := CheckPath(d); err != nil {
			return nil, fmt.Errorf("damaged: %w", err)
		}
	}
	return &j, nil
}

// rollback undoes the steps of j, last first. Each step is in one of a
// few states, told apart by what is left in the journal directory; each
// undo is a rename or a removal, so a rollback itself killed half way is
// rolled back again by the next run.
func (r *Root) rollback(j *journal) error {
	for i := len(j.Steps) - 1; i >= 0; i-- {
		s := j.Steps[i]
		staged := s.Staged != "" && r.exists(txnDir+"/"+s.Staged)
		old := oldName(i)
		hasOld := r.exists(old)
		switch {
		case staged || s.Staged == "":
			// The new entry was not put in place: at most the old one
			// was moved aside.
			if hasOld {
				if r.exists(s.Path) {
					return fmt.Errorf("%s exists, and its earlier content is in %s", s.Path, old)
				}
				if err := r.rename(old, s.Path); err != nil {
					return err
				}
			}
		case s.Old:
			if hasOld {
				if err := r.checkPlaced(s); err != nil {
					return fmt.Errorf("%w; its earlier content is in %s", err, old)
				}
				if err := r.rename(old, s.Path); err != nil {
					return err
				}
			} else if !r.exists(s.Path) {
				return fmt.Errorf("%s: neither the new nor the earlier content is left", s.Path)
			}
		default:
			// A new entry, in place: it goes.
			if err := r.checkPlaced(s); err != nil {
				return err
			}
			if err := r.removeAll(s.Path); err != nil {
				return err
			}
		}
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		// Only when empty: anything else in it is not the change's.
		_ = r.r.Remove(j.Dirs[i])
	}
	return nil
}

// placeGit moves the .git that a finished new left in the journal
// directory dir into place. Only a new repository's own .git, a directory
// made with its staged tree, is moved, and only where there is none: an
// existing .git is never replaced.
func (r *Root) placeGit(j *journal, dir string) error {
	if !j.Git || j.Op != "new" {
		return nil
	}
	src := dir + "/tree/.git"
	fi, err := r.r.Lstat(filepath.FromSlash(src))
	if err != nil || !fi.IsDir() || r.exists(".git") {
		return nil
	}
	if err := r.rename(src, ".git"); err != nil {
		return fmt.Errorf("moving the new repository's .git into place: %w", err)
	}
	failPoint("git")
	return r.syncDir(".")
}

// checkPlaced refuses to take back the entry at s.Path unless it is the
// one the change put there, or is missing.
func (r *Root) checkPlaced(s jstep) error {
	if err := r.checkNoLinks(s.Path); err != nil {
		return err
	}
	if !r.exists(s.Path) {
		return nil
	}
	got, err := r.entrySum(s.Path)
	if err != nil {
		return err
	}
	if got != s.Sum {
		return fmt.Errorf("%s is not what the interrupted change wrote: it is left as it is", s.Path)
	}
	return nil
}

// entrySum is the SHA-256 of the file p, or of the directory p's tree:
// every path under it with its kind and content.
func (r *Root) entrySum(p string) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(r.r.FS(), p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(q, p), "/")
		switch {
		case d.IsDir():
			fmt.Fprintf(h, "d %q\n", rel)
		case d.Type().IsRegular():
			data, err := r.r.ReadFile(filepath.FromSlash(q))
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "f %q %s\n", rel, sum(data))
		default:
			fmt.Fprintf(h, "%v %q\n", d.Type(), rel)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkNoLinks refuses a path with a link on the way.
func (r *Root) checkNoLinks(p string) error {
	_, err := r.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// A Change is a change of a repository being made through the journal.
type Change struct {
	r     *Root
	j     journal
	n     int
	begun bool
}

// Begin starts a change of the locked root: it makes the journal
// directory, which must not exist ([Root.Recover] first).
func (r *Root) Begin(op string) (*Change, error) {
	if r.lock == nil {
		return nil, errors.New("changing an unlocked repository")
	}
	if err := r.r.Mkdir(txnDir, 0o700); err != nil {
		return nil, fmt.Errorf("making %s: %w", txnDir, err)
	}
	c := &Change{r: r, j: journal{Op: op}}
	if err := r.writeFile(txnDir+"/op", []byte(op), 0o600); err != nil {
		c.Abort()
		return nil, err
	}
	failPoint("begun")
	return c, nil
}

// StageDir is the journal directory's subdirectory name for a tree the
// caller builds itself (running commands in it), as a path relative to
// the root; [Change.AddStagedTree] then moves its entries into place.
func (c *Change) StageDir() (string, error) {
	p := txnDir + "/tree"
	if !c.r.exists(p) {
		if err := c.r.r.Mkdir(p, 0o755); err != nil {
			return "", err
		}
	}
	return p, nil
}

// AddStagedTree adds a step for each entry of the StageDir tree: each is
// put in place at the root, which must not have it.
func (c *Change) AddStagedTree() error {
	entries, err := fs.ReadDir(c.r.r.FS(), txnDir+"/tree")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == ".git" && e.IsDir() && !c.r.exists(".git") {
			// git's own, made in the staging tree: it goes in after the
			// commit point, the journal never touches it.
			c.j.Git = true
			continue
		}
		if err := checkElems(e.Name()); err != nil {
			return err
		}
		if c.r.exists(e.Name()) {
			return fmt.Errorf("%s exists", e.Name())
		}
		staged := "tree/" + e.Name()
		sum, err := c.r.entrySum(txnDir + "/" + staged)
		if err != nil {
			return err
		}
		c.j.Steps = append(c.j.Steps, jstep{Path: e.Name(), Staged: staged, Sum: sum})
	}
	return nil
}

// Write stages data as the new content of the file p. A file replaced
// keeps its permissions; a new one gets perm.
func (c *Change) Write(p string, data []byte, perm fs.FileMode) error {
	fi, err := c.r.regular(p)
	if err != nil {
		return err
	}
	if fi != nil {
		perm = fi.Mode().Perm()
	}
	staged := strconv.Itoa(c.n)
	c.n++
	if err := c.r.writeFile(txnDir+"/"+staged, data, perm); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	for _, d := range parents(p) {
		if _, err := c.r.Lstat(d); errors.Is(err, fs.ErrNotExist) && !slices.Contains(c.j.Dirs, d) {
			c.j.Dirs = append(c.j.Dirs, d)
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	c.j.Steps = append(c.j.Steps, jstep{Path: p, Staged: staged, Old: fi != nil, Sum: fileSum(data)})
	return nil
}

// Remove adds the removal of the file p; a missing one is no step.
func (c *Change) Remove(p string) error {
	fi, err := c.r.regular(p)
	if err != nil || fi == nil {
		return err
	}
	c.j.Steps = append(c.j.Steps, jstep{Path: p, Old: true})
	return nil
}

// Apply writes the journal and makes its steps. An error before the
// commit point rolls the change back; the tree is then as it was.
func (c *Change) Apply() error {
	data, err := json.MarshalIndent(&c.j, "", "  ")
	if err != nil {
		return err
	}
	if err := c.r.writeFile(journalName+".tmp", data, 0o600); err != nil {
		return c.fail(err)
	}
	failPoint("staged")
	if err := c.r.rename(journalName+".tmp", journalName); err != nil {
		return c.fail(err)
	}
	if err := c.r.syncDir(txnDir); err != nil {
		return c.fail(err)
	}
	c.begun = true
	failPoint("journaled")
	if err := c.steps(); err != nil {
		return c.fail(err)
	}
	if err := c.r.syncDir("."); err != nil {
		return c.fail(err)
	}
	failPoint("applied")
	if err := c.r.rename(txnDir, doneDir); err != nil {
		return c.fail(err)
	}
	failPoint("committed")
	// The change is made; what is left is finishing and cleaning up,
	// which the next run does if this one cannot.
	if err := c.r.placeGit(&c.j, doneDir); err != nil {
		return nil
	}
	_ = c.r.removeAll(doneDir)
	return nil
}

func (c *Change) steps() error {
	for _, d := range c.j.Dirs {
		if err := c.r.r.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	failPoint("dirs")
	for i, s := range c.j.Steps {
		if s.Old {
			// Checked again just before it moves: a link that appeared
			// since staging is not followed.
			if _, err := c.r.regular(s.Path); err != nil {
				return err
			}
			if err := c.r.rename(s.Path, oldName(i)); err != nil {
				return err
			}
			failPoint("aside")
		}
		if s.Staged != "" {
			if err := c.r.checkNoLinks(s.Path); err != nil {
				return err
			}
			if err := c.r.rename(txnDir+"/"+s.Staged, s.Path); err != nil {
				return err
			}
			failPoint("placed")
		}
	}
	return nil
}

// fail undoes what Apply did and returns err.
func (c *Change) fail(err error) error {
	if !c.begun {
		c.Abort()
		return err
	}
	if rerr := c.r.rollback(&c.j); rerr != nil {
		return fmt.Errorf("%w; rolling back: %v (the next run rolls back from %s)", err, rerr, journalName)
	}
	_ = c.r.removeAll(txnDir)
	return err
}

// Abort drops a change not yet applied: the tree was not touched.
func (c *Change) Abort() {
	if !c.begun {
		_ = c.r.removeAll(txnDir)
	}
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// fileSum is [Root.entrySum] of a file holding data.
func fileSum(data []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "f %q %s\n", "", sum(data))
	return hex.EncodeToString(h.Sum(nil))
}
