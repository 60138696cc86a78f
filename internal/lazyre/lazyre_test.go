package lazyre

import (
	"strings"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	bad := New(`(`) // made without panicking: nothing is compiled yet
	re := New(`^sha256=([0-9a-f]{4})$`)
	if !re.MatchString("sha256=00ff") || re.MatchString("sha256=00fg") {
		t.Error("MatchString does not match as the pattern says")
	}
	if m := re.FindStringSubmatch("sha256=abcd"); len(m) != 2 || m[1] != "abcd" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	if _, err := Check(); err == nil || !strings.Contains(err.Error(), `"("`) {
		t.Errorf("Check: got %v, want an error naming the pattern \"(\"", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("an invalid pattern did not panic at its first use")
		}
	}()
	bad.MatchString("x")
}

func TestSubmatches(t *testing.T) {
	re := New(`\{(?P<field>[a-z]+)\}`)
	all := re.FindAllStringSubmatch("{a}_{bc}.so", -1)
	if len(all) != 2 || all[0][1] != "a" || all[1][1] != "bc" {
		t.Errorf("FindAllStringSubmatch = %q", all)
	}
	if got := re.SubexpIndex("field"); got != 1 {
		t.Errorf("SubexpIndex = %d, want 1", got)
	}
}
