package commands

// The HTTP flags that call, upload and snapshots share, read into one
// client.Config in one place.

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/convert"
)

// httpFlags are the flags of every command that talks to a gateway. Each
// command picks those it has (pickFlags); httpConfig reads whichever are
// there.
var httpFlags = []cli.Flag{
	&repeatFlag{cli.StringFlag{Name: "header", Aliases: []string{"H"}, Category: catHTTP,
		Usage: "send the HTTP header `'NAME: VALUE'` (repeatable); only to the gateway's own host, unless --location-trusted"}},
	&cli.StringFlag{Name: "user-agent", Category: catHTTP, DefaultText: "amfcall/VERSION",
		Usage: "the User-Agent `STRING`"},
	&cli.StringFlag{Name: "referer", Category: catHTTP,
		Usage: "send Referer: `URL` (some gateways want the SWF's URL)"},
	&cli.StringFlag{Name: "timeout", Category: catHTTP, Value: "30s",
		Usage: "give up on an exchange after `DURATION` (30s, 2m; a plain number is seconds; 0 is no limit)"},
	&cli.StringFlag{Name: "connect-timeout", Category: catHTTP, DefaultText: "bounded by --timeout",
		Usage: "give up connecting after `DURATION`"},
	&cli.StringFlag{Name: "idle-timeout", Category: catHTTP, Value: "60s",
		Usage: "give up when no byte has moved either way for `DURATION`, even with no --timeout (0 is no limit)"},
	&cli.BoolFlag{Name: "insecure", Aliases: []string{"k"}, Category: catHTTP, DisableDefaultText: true,
		Usage: "do not verify the server's TLS certificate"},
	&cli.StringFlag{Name: "cacert", Category: catHTTP, TakesFile: true,
		Usage: "trust the CA certificates in PEM `FILE` too"},
	&cli.StringFlag{Name: "proxy", Category: catHTTP, DefaultText: "from HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
		Usage: "send the requests through the proxy at `URL` (http://, https:// or socks5://)"},
	&cli.BoolFlag{Name: "location-trusted", Category: catHTTP, DisableDefaultText: true,
		Usage: "send -u credentials and -H headers to other hosts too: along a redirect, or to where the gateway's download links point"},
	&cli.StringFlag{Name: "max-response-size", Category: catHTTP, Value: "64M",
		Usage: "refuse replies larger than `SIZE` bytes (K, M, G suffixes), or whose values would take more than 8 times that once decoded"},
}

// httpFlag returns the shared HTTP flag of that name.
func httpFlag(name string) cli.Flag { return pickFlags(httpFlags, name)[0] }

// has reports whether the command of c has a flag of that name.
func has(c *cli.Context, name string) bool {
	return c.Command != nil && findFlag(c.Command.Flags, name) != nil
}

// httpConfig reads the shared HTTP flags the command has into a client
// configuration: the only place they are read, the CA file included.
func httpConfig(c *cli.Context) (client.Config, error) {
	var cfg client.Config
	cfg.Insecure = c.Bool("insecure")
	cfg.LocationTrusted = c.Bool("location-trusted")
	cfg.UserAgent = c.String("user-agent")
	if cfg.UserAgent == "" {
		cfg.UserAgent = "amfcall/" + version()
	}
	cfg.Referer = c.String("referer")
	for _, f := range []struct{ flag, value string }{{"--user-agent", c.String("user-agent")}, {"--referer", cfg.Referer}} {
		if why := badHeaderValue(f.value); why != "" {
			return cfg, usageErrorf("%s %q: the value %s", f.flag, f.value, why).hint("an HTTP header value is one line of text")
		}
	}
	var err error
	if has(c, "timeout") {
		d, err := parseDuration(c.String("timeout"))
		if err != nil {
			return cfg, usageErrorf("--timeout: %v", err).hint("give a duration such as 30s, 2m or 90")
		}
		cfg.Timeout = d
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = -1 // no overall limit; the idle timeout still holds
	}
	if v := c.String("connect-timeout"); v != "" {
		if cfg.ConnectTimeout, err = parseDuration(v); err != nil {
			return cfg, usageErrorf("--connect-timeout: %v", err).hint("give a duration such as 5s")
		}
	}
	if has(c, "idle-timeout") {
		d, err := parseDuration(c.String("idle-timeout"))
		if err != nil {
			return cfg, usageErrorf("--idle-timeout: %v", err).hint("give a duration such as 60s or 5m")
		}
		cfg.IdleTimeout = d
		if d == 0 {
			cfg.IdleTimeout = -1
		}
	}
	if has(c, "max-response-size") {
		if cfg.MaxResponseSize, err = parseSize(c.String("max-response-size")); err != nil {
			return cfg, usageErrorf("--max-response-size: %v", err).hint("give a byte count such as 1048576, 100M or 1G")
		}
	}
	for _, h := range repeated(c, "header") {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
			return cfg, usageErrorf("-H %q: want 'Name: value'", h).hint(`for example -H 'Authorization: Bearer TOKEN'`)
		}
		if why := badHeaderName(name); why != "" {
			return cfg, usageErrorf("-H %q: the name %q %s", h, name, why).hint(`for example -H 'Authorization: Bearer TOKEN'`)
		}
		value = strings.TrimSpace(value)
		if why := badHeaderValue(value); why != "" {
			return cfg, usageErrorf("-H %q: the value %s", h, why).hint("an HTTP header value is one line of text; give each header its own -H")
		}
		if cfg.Header == nil {
			cfg.Header = http.Header{}
		}
		cfg.Header.Add(name, value)
	}
	if p := c.String("proxy"); p != "" {
		u, err := url.Parse(p)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
			return cfg, usageErrorf("--proxy %q: want http://HOST:PORT, https://HOST:PORT or socks5://HOST:PORT", redactURL(p))
		}
		cfg.Proxy = http.ProxyURL(u)
	} else if err := checkEnvProxy(envOf(c).getenv); err != nil {
		return cfg, err
	}
	if f := c.String("cacert"); f != "" {
		pem, err := readSmallFile(c, "--cacert", f)
		var big *exitError
		if errors.As(err, &big) {
			return cfg, err
		}
		if err != nil {
			return cfg, withCode(exitUsage, fmt.Errorf("--cacert: %w", err)).hint("give a PEM file of CA certificates")
		}
		if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			// The client would say so without naming the file.
			return cfg, usageErrorf("--cacert %s: no PEM certificate found in it", f).hint("give a PEM file of CA certificates")
		}
		cfg.CACerts = pem
	}
	// A fault's texts as the command's JSON output reads its strings:
	// with --charset, or its default where the command has none
	// (publish, login...).
	charset := convert.DefaultCharset
	if has(c, "charset") {
		charset = c.String("charset")
	}
	if dec, err := convert.NameDecoder(charset); err == nil {
		cfg.DecodeText = dec
	}
	return cfg, nil
}

// badHeaderName says why name cannot be an HTTP header field name (it
// must be a token, RFC 9110 5.1), or "" when it can. Go's client would
// refuse it only when sending, as a failed connection.
func badHeaderName(name string) string {
	for _, r := range name {
		if r >= 0x80 || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return fmt.Sprintf("holds %q, which a header name can't", r)
		}
	}
	return ""
}

// badHeaderValue says why v cannot be an HTTP header field value (a line
// break, or another control character than tab: RFC 9110 5.5), or "".
func badHeaderValue(v string) string {
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case b == '\r' || b == '\n':
			return "holds a line break"
		case b < 0x20 && b != '\t' || b == 0x7f:
			return fmt.Sprintf("holds the control character \\x%02x", b)
		}
	}
	return ""
}

// checkEnvProxy refuses a proxy variable that Go's transport would read
// (HTTPS_PROXY, else https_proxy; HTTP_PROXY, else http_proxy) and that
// is no proxy URL: a usage error (exit 2) naming the variable, where the
// transport would take "http//proxy:3128" as the host "http" and fail
// later with a network error about a host the user never wrote. As the
// transport reads them, a value without a scheme is http:// (HOST:PORT).
func checkEnvProxy(getenv func(string) string) error {
	for _, pair := range [][2]string{{"HTTPS_PROXY", "https_proxy"}, {"HTTP_PROXY", "http_proxy"}} {
		name, v := pair[0], getenv(pair[0])
		if v == "" {
			name, v = pair[1], getenv(pair[1])
		}
		if v == "" {
			continue
		}
		if why := badProxyURL(v); why != "" {
			return usageErrorf("%s=%q is not a proxy URL: %s", name, redactURL(v), why).
				hint("write it as http://HOST:PORT (or https://, socks5://), or unset it; --proxy URL overrides it for one run")
		}
	}
	return nil
}

// badProxyURL says what is wrong with a proxy URL as the environment
// gives it, or "" when it is one.
func badProxyURL(v string) string {
	s := v
	if !strings.Contains(s, "://") {
		if strings.Contains(s, "/") {
			return "it has a / but no :// after a scheme"
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may hold a password
		}
		return err.Error()
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5" && u.Scheme != "socks5h":
		return fmt.Sprintf("the scheme %q is not http, https or socks5", u.Scheme)
	case u.Hostname() == "":
		return "no host"
	case u.Port() != "" && !validPort(u.Port()):
		return fmt.Sprintf("the port %q is not a port number", u.Port())
	case strings.Contains(u.Host, ":") && u.Port() == "" && !strings.HasSuffix(u.Host, "]"):
		return "no port after the colon"
	case u.Path != "" && u.Path != "/" || u.RawQuery != "":
		return "a proxy URL has no path"
	}
	return ""
}

// newGatewayClient makes the client for the gateway URL.
func newGatewayClient(gateway string, cfg client.Config) (*client.Client, error) {
	cl, err := client.New(gateway, cfg)
	if err != nil {
		return nil, newClientError(err, gateway)
	}
	return cl, nil
}

// gatewayURLError is newClientError, or, when the URL that is not one
// is AMFCALL_URL's (the user typed none), the error named after the
// variable, as call gives it: list, describe, probe, bench and the Flex
// commands said "write the gateway URL with its scheme: ..." of a URL
// the user had not written on the line.
func gatewayURLError(c *cli.Context, err error, gateway string) error {
	if gateway != "" && gateway == envOf(c).getenv("AMFCALL_URL") && !slices.Contains(c.Args().Slice(), gateway) &&
		errors.As(err, new(*client.URLError)) {
		return usageErrorf("AMFCALL_URL: %w", err).hint("set AMFCALL_URL to the gateway URL, e.g. http://localhost:8000/gateway, or give the URL first")
	}
	return newClientError(err, gateway)
}

// newClientError is the usage error of a client that cannot be made: a
// --cacert file with no certificate in it, or a URL that is not one.
//
// gateway is the URL given: one without a scheme ("127.0.0.1:8000/gw",
// as curl takes it) gets the hint with its own URL written out, http://
// in front, rather than an example.
func newClientError(err error, gateway string) *exitError {
	if errors.Is(err, client.ErrNoPEM) {
		return usageErrorf("--cacert: %v", err).hint("give a PEM file of CA certificates")
	}
	var ue *client.URLError
	errors.As(err, &ue)
	if ue != nil && ue.Why == client.URLPort {
		return withCode(exitUsage, err).hint("check the port in the gateway URL")
	}
	if gateway != "" && ue != nil {
		if fixed := misspeltScheme(gateway); fixed != "" {
			// http//host/gw, http:/host/gw, htp://host/gw: the hint
			// said http://http//host/gw, or gave an example.
			shown := redactURL(fixed)
			h := "the scheme is mistyped: write " + shellWord(shown)
			if shown != fixed {
				h += " (with the password in place of xxxxx)"
			}
			return withCode(exitUsage, err).hint(h)
		}
	}
	if ue != nil && ue.Why == client.URLNoHost {
		// "http://", "http:///gw": the example URL said nothing of the
		// host, the part that is missing.
		scheme, rest, _ := strings.Cut(gateway, "://")
		if scheme == "" {
			scheme = "http"
		}
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[i:] // past a "user@" with no host after it
		} else {
			rest = "/gateway"
		}
		return withCode(exitUsage, err).hint("the URL has no host: write the host (and port) after " + scheme + "://, e.g. " + shellWord(strings.ToLower(scheme)+"://localhost:8000"+rest))
	}
	if scheme, rest, ok := strings.Cut(gateway, "://"); ok && ue != nil && ue.Why == client.URLScheme {
		host, _, _ := strings.Cut(rest, "/")
		switch strings.ToLower(scheme) {
		case "socket", "tcp":
			// An AMF Socket server's address: "want an http:// URL"
			// and an example said nothing of the command that talks
			// to it.
			return withCode(exitUsage, err).hint("that is the address of an AMF Socket server: amfcall socket call " + shellWord(host) + " COMMAND [PARAMS] talks to it")
		case "rtmp", "rtmps", "rtmpt", "rtmpte", "rtmpe":
			return withCode(exitUsage, err).hint("amfcall speaks AMF over HTTP(S) (Flash remoting) and AMF Socket, not RTMP: give the gateway's http:// or https:// URL")
		}
	}
	if gateway != "" && !strings.Contains(gateway, "://") && ue != nil && ue.Why == client.URLScheme {
		shown := redactURL("http://" + gateway)
		h := "write the gateway URL with its scheme: " + shellWord(shown) + " (or https://"
		if shown != "http://"+gateway {
			h += "; with the password in place of xxxxx"
		}
		return withCode(exitUsage, err).hint(h + ")")
	}
	return withCode(exitUsage, err).hint("write the gateway URL with its scheme, e.g. http://localhost:8000/gateway")
}

// misspeltScheme is gateway with its scheme written right when it is
// http or https misspelt (http//host, http:/host, htp://host, hhtps://),
// "" otherwise.
func misspeltScheme(gateway string) string {
	low := strings.ToLower(gateway)
	for _, p := range []string{"https//", "http//", "https:/", "http:/"} {
		if strings.HasPrefix(low, p) && !strings.HasPrefix(low, p[:len(p)-1]+"//") {
			return strings.TrimRight(p, ":/") + "://" + gateway[len(p):]
		}
	}
	scheme, rest, ok := strings.Cut(gateway, "://")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/.@") {
		return ""
	}
	if s := suggest(strings.ToLower(scheme), []string{"http", "https"}); s != "" && !strings.EqualFold(s, scheme) {
		return s + "://" + rest
	}
	return ""
}

// passwordEnv is the environment variable -u USER takes its password
// from when none follows the name: the password then stays out of ps and
// shell history, also where there is no terminal to ask on.
const passwordEnv = "AMFCALL_PASSWORD"

// readUser reads -u USER[:PASSWORD]; nil when it is not given. With no
// ":PASSWORD", the password is $AMFCALL_PASSWORD when that is set, else
// it is asked for on the terminal (the console on Windows), without
// echo, as curl does; with no terminal either, -u USER is a usage error.
func readUser(c *cli.Context) (*[2]string, error) {
	if !c.IsSet("user") {
		return nil, nil
	}
	name, pass, ok := strings.Cut(c.String("user"), ":")
	if name == "" {
		return nil, usageErrorf("-u/--user wants USER or USER:PASSWORD, not %q", c.String("user")).hint("for example -u alice, which asks for the password")
	}
	if ok {
		return &[2]string{name, pass}, nil
	}
	e := envOf(c)
	if pass := e.getenv(passwordEnv); pass != "" {
		return &[2]string{name, pass}, nil
	}
	pass, err := askPassword(e.openTTY, name)
	if err != nil {
		return nil, err
	}
	return &[2]string{name, pass}, nil
}

// passwordTTY is what the password is asked on, as messages name it.
var passwordTTY = map[bool]string{false: "terminal", true: "console"}[runtime.GOOS == "windows"]

// openControllingTTY opens the process's terminal, whatever stdin and
// stderr are (a request body may come on stdin, a log may take stderr):
// /dev/tty, or on Windows the console's input, CONIN$ (read and write:
// its mode is set to turn echo off). A process with no terminal or no
// console (a service, a scheduled task, a detached process) gets an
// error.
func openControllingTTY() (*os.File, error) {
	if runtime.GOOS == "windows" {
		return os.OpenFile("CONIN$", os.O_RDWR, 0)
	}
	return os.OpenFile("/dev/tty", os.O_RDWR, 0)
}

// promptOutput is where the prompt is written for the terminal tty:
// tty itself, or on Windows the console's screen, CONOUT$, which close
// closes (CONIN$ reads the keys only).
func promptOutput(tty *os.File) (out *os.File, close func(), err error) {
	if runtime.GOOS != "windows" {
		return tty, func() {}, nil
	}
	// Read and write: with read access Go finds it is a console and
	// writes UTF-16 to it (a user's name need not be ASCII).
	out, err = os.OpenFile("CONOUT$", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	return out, func() { out.Close() }, nil
}

// askPassword asks for user's password on the terminal open gives, with
// echo off. No terminal is a usage error whose hint names the other ways.
func askPassword(open func() (*os.File, error), user string) (string, error) {
	var tty *os.File
	if open != nil {
		tty, _ = open()
	}
	var out *os.File
	closeOut := func() {}
	if tty != nil && term.IsTerminal(int(tty.Fd())) {
		var err error
		if out, closeOut, err = promptOutput(tty); err != nil {
			out = nil
		}
	}
	if out == nil {
		if tty != nil {
			tty.Close()
		}
		return "", usageErrorf("-u %s has no password, and there is no %s to ask for it on", user, passwordTTY).
			hint("set " + passwordEnv + " to the password, or give -u " + user + ":PASSWORD")
	}
	defer tty.Close()
	defer closeOut()
	// Echo is off while the password is read: a Ctrl-C then must put it
	// back before the signal ends the process.
	state, err := term.GetState(int(tty.Fd()))
	if err != nil {
		return "", fmt.Errorf("reading the password from the %s: %w", passwordTTY, err)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(sigs)
		close(done)
	}()
	go func() {
		select {
		case sig := <-sigs:
			term.Restore(int(tty.Fd()), state)
			fmt.Fprintln(out)
			signal.Stop(sigs)
			if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
				return // the signal ends the process
			}
			// Where a process cannot signal itself (Windows), exit as a
			// shell reports a death by that signal.
			code := exitInterrupted
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	fmt.Fprintf(out, "Enter password for user '%s': ", user)
	pass, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(out) // the Enter that echo did not show
	if err != nil {
		return "", fmt.Errorf("reading the password from the %s: %w", passwordTTY, err)
	}
	return string(pass), nil
}
