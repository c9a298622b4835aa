package commands

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// needArgs is checkArgs for a command whose positional arguments are
// names, in order, the first min of them required: the error names only
// those that are missing ("missing SERVICE" when the URL is there).
func needArgs(c *cli.Context, min, max int, names ...string) error {
	missing := ""
	if n := c.NArg(); n < min && min <= len(names) {
		missing = strings.Join(names[n:min], " and ")
	}
	return checkArgs(c, min, max, missing)
}
