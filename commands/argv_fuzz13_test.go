package commands

import (
	"slices"
	"testing"
)

// checkReorderKeeps (fuzz13): reorder only moves words (and adds or
// keeps a "--" before positional arguments that start with "-"): what it
// returns is the words given, the same number of each but "--", the
// program name first; and reordering its own output changes nothing.
func checkReorderKeeps(t *testing.T, args []string) {
	t.Helper()
	app := newApp(&runEnv{})
	out, err := reorder(app, args)
	if err != nil {
		return
	}
	if len(out) == 0 || out[0] != args[0] {
		t.Fatalf("reorder(%q) = %q", args, out)
	}
	if a, b := wordsBut(args, "--"), wordsBut(out, "--"); !slices.Equal(a, b) {
		t.Fatalf("reorder(%q) = %q: not the same words", args, out)
	}
	again, err := reorder(newApp(&runEnv{}), out)
	if err != nil || !slices.Equal(again, out) {
		t.Fatalf("reorder(%q) = %q, and again %q (%v)", args, out, again, err)
	}
}

// wordsBut is ws sorted, without the words skip.
func wordsBut(ws []string, skip string) []string {
	var out []string
	for _, w := range ws {
		if w != skip {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}
