package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client/gateway"
)

var serveCommand = &cli.Command{
	Name:      "serve",
	Usage:     "run a local AMF gateway (the ByteArray example, echo, secure) to try the client on",
	ArgsUsage: " ",
	Description: `Runs an AMF gateway until Ctrl-C (or SIGTERM), written with amfcall's own
codec. It answers as the PyAMF ByteArray example's gateway does:

  getSnapshots                      [base_url, ["jpg", "png"], ArrayCollection of {name}]
  ByteArray.saveSnapshot(bytes, type)   saves a jpg or png, returns {url, name}
  echo.echo(value)                  returns its argument (several come back as an array)
  echo.fail(message)                answers a fault (code Echo.Failure)
  secure.whoami, secure.echo        need the Credentials header when --user is set
  login(user, password)             starts a session: sets the cookie AMFSESSIONID and asks
                                    (RequestPersistentHeader) for a SessionToken AMF header
  session.whoami, logout            the session's user (from the cookie or the header); ends it

The saved images are served at GET /images/NAME. Both plain remoting (AMF0
and AMF3 packets) and Flex RemoteObject (target "null": RemotingMessage;
CommandMessage ping, login, logout) are answered. A POST to any path other
than /images/ is a remoting call.

Each call is logged on stderr (time, client, target, result or fault,
duration); -v also logs every request and reply packet as typed JSON.
A request that does not decode gets an HTTP 400 with the reason.

Examples:

  amfcall serve                                  # http://127.0.0.1:8000/
  amfcall serve --addr 127.0.0.1:0 --images ./shots --user alice:wonderland
  amfcall call http://127.0.0.1:8000/ echo.echo '{"a": 1}'
  amfcall call --session s.json http://127.0.0.1:8000/ login '"bob"' '"secret"'
  amfcall call --session s.json http://127.0.0.1:8000/ session.whoami`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8000", Category: catMisc,
			Usage: "listen on `HOST:PORT` (port 0 picks a free one); binding beyond loopback lets the network upload files"},
		&cli.StringFlag{Name: "images", Category: catMisc, TakesFile: true, DefaultText: "amfcall/images in the user's cache folder",
			Usage: "keep saved snapshots in `DIR` (created if missing)"},
		&cli.StringFlag{Name: "user", Aliases: []string{"u"}, Category: catMisc,
			Usage: "protect the secure service: calls need the Credentials header with `NAME:PASSWORD`"},
		&cli.StringFlag{Name: "max-upload", Category: catMisc, Value: "64M",
			Usage: "largest image saveSnapshot accepts, `SIZE` in bytes (K, M, G suffixes), at most 268435455 (the AMF3 ByteArray limit)"},
		verboseFlag("also log each request and reply packet as typed JSON"),
	},
	Action: runServe,
}

// serveStarted, when set (by tests), is told the address the gateway
// listens on and given a function that stops it, as Ctrl-C does.
var serveStarted func(addr string, stop context.CancelFunc)

func runServe(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 0, ""); err != nil {
		return err
	}
	opt, err := gatewayOptions(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	opt.Log = e.stderr
	opt.Verbose = verbosity(c) > 0
	g, err := gateway.New(opt)
	if err != nil {
		return withCode(exitUsage, err).hint("choose another folder with --images DIR")
	}
	defer g.Close()

	addr := c.String("addr")
	if _, port, err := net.SplitHostPort(addr); err != nil || !validPort(port) {
		// A malformed --addr is the user's typo, not a network failure.
		return usageErrorf("invalid --addr %q: want HOST:PORT", addr).
			hint("for example --addr 127.0.0.1:8000, or --addr 127.0.0.1:0 for a free port")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return withCode(exitNetwork, fmt.Errorf("cannot listen on %s: %w", addr, unwrapNetErr(err))).
			hint("choose another address with --addr HOST:PORT (port 0 picks a free port)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	base := "http://" + ln.Addr().String() + "/"
	infof(c, "gateway at %s (images in %s, served at %simages/); Ctrl-C stops it", base, opt.ImagesDir, base)
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		warnf(c, "listening on %s: anyone who can reach it can upload files", ln.Addr())
	}
	if opt.User != "" {
		infof(c, "the secure service needs the user %s", opt.User)
	}
	if serveStarted != nil {
		serveStarted(ln.Addr().String(), stop)
	}
	if err := g.Serve(ctx, ln); err != nil {
		return withCode(exitNetwork, err)
	}
	infof(c, "gateway stopped")
	return nil
}

// gatewayOptions reads --images, --user and --max-upload.
func gatewayOptions(c *cli.Context) (gateway.Options, error) {
	var opt gateway.Options
	if u := c.String("user"); u != "" {
		name, pass, ok := strings.Cut(u, ":")
		if !ok || name == "" {
			return opt, usageErrorf("--user wants NAME:PASSWORD, got %q", u).hint("for example --user alice:wonderland")
		}
		opt.User, opt.Password = name, pass
	}
	n, err := parseSize(c.String("max-upload"))
	if err != nil || n > gateway.MaxByteArray {
		return opt, usageErrorf("invalid --max-upload %q", c.String("max-upload")).
			hint(fmt.Sprintf("give a size from 1 to %d bytes (the AMF3 ByteArray limit), such as 64M", gateway.MaxByteArray))
	}
	opt.MaxUpload = n
	opt.ImagesDir = c.String("images")
	if opt.ImagesDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return opt, usageErrorf("no user cache folder for the images: %v", err).hint("choose a folder with --images DIR")
		}
		opt.ImagesDir = filepath.Join(dir, "amfcall", "images")
	}
	return opt, nil
}

// unwrapNetErr drops the "listen tcp ADDR:" prefix the message already
// says.
func unwrapNetErr(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// validPort reports whether port is a port number, 0 to 65535.
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}
