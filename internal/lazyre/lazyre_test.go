package lazyre

import "testing"

func TestCompiledOnFirstUse(t *testing.T) {
	bad := New(`(`) // made without panicking: nothing is compiled yet
	re := New(`^sha256=([0-9a-f]{4})$`)
	if !re.MatchString("sha256=00ff") || re.MatchString("sha256=00fg") {
		t.Error("MatchString does not match as the pattern says")
	}
	if m := re.FindStringSubmatch("sha256=abcd"); len(m) != 2 || m[1] != "abcd" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	defer func() {
		if recover() == nil {
			t.Error("an invalid pattern did not panic at its first use")
		}
	}()
	bad.MatchString("x")
}
