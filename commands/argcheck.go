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

// isGatewayArg reports whether the first positional argument arg is the
// gateway URL. Without a default (AMFCALL_URL unset) anything with a / or
// : is taken as one, so that a URL written without its scheme gets a clear
// error. With a default, a Flex destination or a target may hold / or :
// ("chat/room", "ns:Service.method"): only a URL with a scheme
// (http://...) or a HOST:PORT start (localhost:8000/gateway) is taken.
func isGatewayArg(arg string, haveDefault bool) bool {
	if !haveDefault {
		return strings.ContainsAny(arg, "/:")
	}
	if strings.Contains(arg, "://") {
		return true
	}
	host, rest, ok := strings.Cut(arg, ":")
	if !ok || host == "" || strings.ContainsAny(host, "/") {
		return false
	}
	port, _, _ := strings.Cut(rest, "/")
	if port == "" {
		return false
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
