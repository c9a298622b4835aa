package commands

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A proxy that fails is named in the error (not only the gateway), with
// its password hidden; -v says once that a proxy is used. The gateway
// URL's host (gw.invalid) is never looked up: an HTTP proxy gets the
// whole URL, and here the proxy is amfcall's own gateway on 127.0.0.1,
// which answers a request for an absolute URL as any other (with
// gw.invalid among its allowed hosts, as serve --allow-host gw.invalid).
func TestProxyNamed(t *testing.T) {
	t.Parallel()
	const gw = "http://gw.invalid/gateway"
	closed := "http://bob:s3cret@" + closedPort(t)
	stdout, stderr, code := run(t, []string{"call", "--proxy", closed, gw, "echo.echo", "1"}, "", nil, false)
	want := "amfcall: error: connection refused (" + gw + "): through the proxy http://bob:xxxxx@" + strings.TrimPrefix(closed, "http://bob:s3cret@") +
		"; is the proxy running? check its host and port\n" +
		"amfcall: hint: the proxy is --proxy's, else HTTPS_PROXY's or HTTP_PROXY's (NO_PROXY lists the hosts reached directly)\n"
	if code != exitNetwork || stdout != "" || stderr != want {
		t.Errorf("closed proxy: exit %d\nstderr %q\nwant   %q", code, stderr, want)
	}
	_, stderr, code = run(t, []string{"bench", "-n", "2", "--proxy", closed, gw, "echo.echo", "1"}, "", nil, false)
	if code != exitNetwork || strings.Contains(stderr, "s3cret") {
		t.Errorf("bench, closed proxy: exit %d\n%s", code, stderr)
	}

	_, proxy := startGateway(t, gateway.Options{AllowHosts: []string{"gw.invalid"}})
	proxy = strings.Replace(strings.TrimSuffix(proxy, "/"), "http://", "http://bob:s3cret@", 1)
	for _, args := range [][]string{
		{"call", "-vv", "--proxy", proxy, gw, "echo.echo", "1"},
		{"bench", "-v", "-n", "5", "--proxy", proxy, gw, "echo.echo", "1"},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		line := "* the requests go through the proxy " + strings.Replace(proxy, "s3cret", "xxxxx", 1) + "\n"
		if code != 0 || !strings.HasPrefix(stderr, line) || strings.Count(stderr, "through the proxy") != 1 || strings.Contains(stdout+stderr, "s3cret") {
			t.Errorf("%q: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
	// Without -v nothing is said.
	if _, stderr, code := run(t, []string{"call", "--proxy", proxy, gw, "echo.echo", "1"}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("without -v: %d %q", code, stderr)
	}
}

// A proxy variable that is no proxy URL is a usage error naming it (exit
// 2), before anything is sent, not a network error about a host nobody
// wrote; --proxy overrides it.
func TestProxyEnvMalformed(t *testing.T) {
	t.Parallel()
	const gw = "http://127.0.0.1:1/"
	hint := "amfcall: hint: write it as http://HOST:PORT (or https://, socks5://), or unset it; --proxy URL overrides it for one run\n"
	for _, tc := range []struct {
		name, value, why string
	}{
		{"HTTP_PROXY", "http//proxy:3128", "it has a / but no :// after a scheme"},
		{"HTTP_PROXY", "htp://proxy:3128", `the scheme "htp" is not http, https or socks5`},
		{"HTTP_PROXY", "http://:3128", "no host"},
		{"HTTP_PROXY", "http://proxy:port", `invalid port ":port" after host`},
		{"HTTP_PROXY", "http://proxy:99999", `the port "99999" is not a port number`},
		{"HTTP_PROXY", "proxy host:3128", `invalid character " " in host name`},
		{"http_proxy", "http://proxy:3128/path", "a proxy URL has no path"},
		{"HTTPS_PROXY", "ftp://proxy:21", `the scheme "ftp" is not http, https or socks5`},
		{"https_proxy", "http://bob:s3cret@proxy:bad", `invalid port ":bad" after host`},
	} {
		env := map[string]string{"NO_COLOR": "1", tc.name: tc.value}
		stdout, stderr, code := run(t, []string{"call", gw, "echo.echo"}, "", env, false)
		want := "amfcall: error: " + tc.name + `="` + strings.Replace(tc.value, "s3cret", "xxxxx", 1) + `" is not a proxy URL: ` + tc.why + "\n" + hint
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("%s=%s: exit %d\nstderr %q\nwant   %q", tc.name, tc.value, code, stderr, want)
		}
		// --proxy overrides it: the usage error is gone (the closed
		// port's refusal, through the given proxy, instead).
		_, stderr, code = run(t, []string{"call", "--proxy", "http://" + closedPort(t), "http://gw.invalid/", "echo.echo"}, "", env, false)
		if code != exitNetwork || !strings.Contains(stderr, "through the proxy") {
			t.Errorf("%s=%s with --proxy: exit %d %s", tc.name, tc.value, code, stderr)
		}
	}
	// Well-formed values pass, HOST:PORT without a scheme included (the
	// transport takes it as http://).
	for _, v := range []string{"127.0.0.1:3128", "http://proxy:3128", "https://u:p@proxy", "socks5://127.0.0.1:1080", "http://[::1]:3128/"} {
		if why := badProxyURL(v); why != "" {
			t.Errorf("%s: %s", v, why)
		}
	}
}

// HTTP_PROXY as the environment gives it (Go's transport reads it once
// per process: a child process) is named when it fails.
func TestProxyEnvNamedChild(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	cmd := exec.Command(os.Args[0], "call", "http://gw.invalid/", "echo.echo")
	cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=", "HTTP_PROXY=http://"+addr, "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	ee, _ := err.(*exec.ExitError)
	if ee == nil || ee.ExitCode() != exitNetwork || !strings.Contains(string(out), "connection refused (http://gw.invalid/): through the proxy http://"+addr+"; is the proxy running?") {
		t.Errorf("%v\n%s", err, out)
	}
}
