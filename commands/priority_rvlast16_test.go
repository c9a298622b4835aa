package commands

import (
	"strings"
	"testing"
)

// publish --help said "--priority N ... (default: 0)": with no --priority
// no DSPriority is sent (the gateway's default, a Producer's 4), and 0 is
// the lowest priority.
func TestPriorityHelpDefaultRvlast16(t *testing.T) {
	t.Parallel()
	stdout, _, _ := run(t, []string{"publish", "--help"}, "", nil, false)
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, "--priority N") {
			if strings.Contains(l, "(default: 0)") || !strings.Contains(l, "(default: none sent") {
				t.Errorf("help line %q", l)
			}
			return
		}
	}
	t.Errorf("no --priority in publish --help:\n%s", stdout)
}
