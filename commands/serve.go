package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client/gateway"
)

var serveCommand = &cli.Command{
	Name:      "serve",
	Usage:     "run a local AMF gateway (the ByteArray example, echo, secure) to try the client on",
	ArgsUsage: " ",
	Description: `Runs an AMF gateway until Ctrl-C (or SIGTERM), written with amfcall's own
codec; the requests under way then get 5s to end (a second Ctrl-C stops
at once, removing the hidden .upload-*.part files of the uploads it cuts
off; on Unix, those a serve killed left are removed, and logged, when serve
starts with no other serve on the folder). It answers as the PyAMF
ByteArray example's gateway does:

  getSnapshots                      [base_url, ["jpg", "png"], ArrayCollection of {name}]
  ByteArray.saveSnapshot(bytes, type)   saves a jpg or png, returns {url, name}
  echo.echo(value)                  returns its argument (several come back as an array)
  echo.fail(message)                answers a fault (code Echo.Failure)
  secure.whoami, secure.echo        need the Credentials header when --user is set
  amfcall.discover                  lists these (read by amfcall list and describe)
  login(user, password)             starts a session: sets the cookie AMFSESSIONID and asks
                                    (RequestPersistentHeader) for a SessionToken AMF header
  session.whoami, logout            the session's user (from the cookie or the header); ends it

The saved images are served at GET /images/NAME. Both plain remoting (AMF0
and AMF3 packets) and Flex RemoteObject (target "null": RemotingMessage;
CommandMessage ping, login, logout) are answered. A POST to any path other
than /images/ is a remoting call. Flex RemoteObject calls route by
destination, or by source when the message has one (as AMFPHP does).

Any name is a Flex messaging destination: what one "amfcall publish" sends
to it (and its subtopic) every "amfcall subscribe" to it receives, in
order. Subtopics are hierarchical, as BlazeDS's: --subtopic 'news.*' gets
news.sports and news.sports.uk, 'news.*.uk' gets news.sports.uk, '*'
every subtopic. Queues are bounded (1000 messages or 4 MiB per
subscription, the oldest dropped; 64 MiB in all; 256 subscriptions,
one not polled for 5 minutes ended, for 1 minute when all are taken;
1 MiB per message, its body and headers); a message counts as the memory
its values take decoded, more than its bytes for many small values. A
poll is charged to --max-memory for the messages it takes (twice that);
those it finds no room for wait for the next poll.
Selectors are evaluated as Adobe's BlazeDS does: a JMS message selector
(SQL-92 subset) over each message's headers, an unknown header NULL
(subscribe --selector "prio > 5" gets publish --message-header prio=9, not
prio=1); one that does not parse is refused at subscribe
(Client.Error.Subscribe, with the position where it fails).

Its first line on stdout is the gateway's URL alone (http://127.0.0.1:PORT/,
the port that --addr 127.0.0.1:0 got), for a script that starts it in the
background; nothing else goes to stdout. Each call is logged on stderr
(time, client, target, result or fault, duration), with whatever the
client chose escaped and cut (a packet's first 20 calls, the rest counted
in its summary line); -v also logs every request and reply packet as
typed JSON. A request that does not decode gets
an HTTP 400 with the reason. A packet with the amf_server_debug header gets
debug events (a "trace" and a "log" event per call) in /N/onDebugEvents
bodies, as Flash Remoting's gateways sent them (see call --debug-events).

Only requests for this host are answered: a Host header other than
localhost, an IP address, the --addr name or an --allow-host NAME gets a
403 (a web page can reach a local gateway through a DNS name it points
at 127.0.0.1), and a remoting POST needs Content-Type application/x-amf
(a 415 otherwise: a page of any site may post text/plain or untyped
bodies without the browser asking the gateway first). amfcall's own
commands and Flash, Flex and PyAMF clients send that type.

Every request passes the same limits: the memory budget of bodies in flight
(--max-memory; a request over it waits up to 5s, then gets a 503 with
Retry-After), the body timeout, minimum rate and longest body time
(--body-timeout, --min-body-rate, --max-body-time: a body that stalls,
falls behind the rate, or has not come whole 10m after its request head,
however steadily it comes, gets a 408 and loses its connection), the
write timeout (--write-timeout) and the connection limit (--max-conns; one
more is answered 503, after its request head, and closed). An image over
--max-upload gets a 413, as does any other request body the budget cannot
hold three times over (it is read whole, decoded and answered: over 85.3 MiB
with the default --max-memory; only saveSnapshot images are streamed to
disk) or, for an echo.echo call alone in its packet (answered with its own
bytes), 1.25 times over and 4 MiB (over about 201 MiB), and an image that would take the images folder over
--max-stored (those there at start count) the fault Snapshot.StorageFull.
A reply is charged as it is built, each call's answer encoded as it
comes (a packet of several calls holds 1 KiB a call ahead, a getSnapshots
call its list): a call whose answer finds no room is the fault
Server.ResourceLimit naming the budget (Server.Busy when it waited 5s),
and so is each call after it in the packet, not run.

The AMF Socket server (--socket) shares the memory budget: each frame is
charged three times its size, its first 256 KiB from its header on and
the rest as it arrives (as an HTTP body), and a frame that finds no room
within 5s drops its connection. It
keeps at most --socket-max-conns connections (one more is closed at once,
and logged, unless one has had nothing but pings for 30s: the one idle
longest then makes room) and closes one on which nothing but pings has
gone for --socket-idle-timeout.

Examples:

  amfcall serve                                  # http://127.0.0.1:8000/
  amfcall serve --addr 127.0.0.1:0 --images ./shots --user alice:wonderland
  amfcall call http://127.0.0.1:8000/ echo.echo '{"a": 1}'
  amfcall call --destination echo http://127.0.0.1:8000/ echo '"hi"'
  amfcall subscribe http://127.0.0.1:8000/ chat      # in one shell
  amfcall publish http://127.0.0.1:8000/ chat '{"text": "hello"}'   # in another
  amfcall serve --socket 127.0.0.1:9001          # also an AMF Socket server

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
			Usage: "largest image saveSnapshot accepts, `SIZE` in bytes (K, M, G suffixes), at most 256M (268435455, the AMF3 ByteArray limit)"},
		&cli.StringFlag{Name: "max-stored", Category: catLimits, Value: "1G",
			Usage: "keep at most `SIZE` bytes of images in the --images folder, those there at start included (and at most 10000 images); saveSnapshot then answers the fault Snapshot.StorageFull (0: no limit of size)"},
		&cli.StringFlag{Name: "max-memory", Category: catLimits, Value: "256M",
			Usage: "memory budget, `SIZE` in bytes (K, M, G), of the request bodies in flight (and what they decode to); a request over it waits up to 5s, then gets 503"},
		&cli.StringFlag{Name: "body-timeout", Category: catLimits, Value: "10s",
			Usage: "drop a request whose body stalls for `DURATION` (also the grace before --min-body-rate applies)"},
		&cli.StringFlag{Name: "min-body-rate", Category: catLimits, Value: "1K",
			Usage: "drop a request whose body arrives slower than `SIZE` bytes per second on average (0: no minimum)"},
		&cli.StringFlag{Name: "max-body-time", Category: catLimits, Value: "10m",
			Usage: "drop a request whose whole body (or an AMF Socket frame, with --socket: the connection) takes longer than `DURATION` to arrive, however steadily it comes (0: no limit)"},
		&cli.StringFlag{Name: "write-timeout", Category: catLimits, Value: "30s",
			Usage: "drop a connection when one write of a reply takes `DURATION` (a client that stops reading)"},
		&cli.IntFlag{Name: "max-conns", Category: catLimits, Value: gateway.DefaultMaxConns,
			Usage: "keep at most `N` connections open; more are answered 503 and closed"},
		&repeatFlag{cli.StringFlag{Name: "allow-host", Category: catMisc,
			Usage: "also answer requests whose Host is `NAME` (besides localhost, IP addresses and the --addr name); repeatable"}},
		verboseFlag("also log each request and reply packet as typed JSON"),
		socketServeFlag,
		socketLimitFlags[0],
		socketLimitFlags[1],
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
	e.stderr = newSyncWriter(e.stderr) // the gateway and the socket server log from their goroutines
	opt.Log = e.stderr
	opt.Verbose = verbosity(c) > 0
	g, err := gateway.New(opt)
	if err != nil {
		return withCode(exitUsage, err).hint("choose another folder with --images DIR")
	}
	defer g.Close()
	// Let the garbage collector keep the heap near the budget.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(g.MaxMemory() + 24<<20))

	addr := c.String("addr")
	if _, port, err := net.SplitHostPort(addr); err != nil || !validPort(port) {
		// A malformed --addr is the user's typo, not a network failure.
		return addrError(addr, err == nil)
	}
	if err := checkSocketAddr(c); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return withCode(exitNetwork, fmt.Errorf("cannot listen on %s: %w", addr, unwrapNetErr(err))).
			hint("choose another address with --addr HOST:PORT (port 0 picks a free port)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var second struct {
		sync.Mutex
		release func(last func())
		ended   bool
	}
	defer func() {
		second.Lock()
		defer second.Unlock()
		second.ended = true
		if second.release != nil {
			second.release(nil)
		}
	}()
	go func() {
		// A second Ctrl-C, while the gateway waits for the requests
		// under way, stops serve at once (the signal's default action:
		// exit 130) rather than being caught and ignored. The partial
		// files of the uploads it cuts off are removed first: they
		// stayed in the images folder, hidden, as large as what had come.
		<-ctx.Done()
		second.Lock()
		defer second.Unlock()
		if !second.ended {
			second.release = dropOnSignal(func() { g.RemoveParts() })
		}
		stop()
	}()
	socketDone, err := serveSocket(ctx, c, g.Budget())
	if err != nil {
		ln.Close()
		return err
	}
	defer func() { stop(); _ = socketDone() }()
	at, where := reachable(ln.Addr())
	base := "http://" + at + "/"
	// The URL alone, first on stdout, for a script that starts serve in
	// the background (--addr 127.0.0.1:0: the port it got); the prose
	// stays on stderr.
	fmt.Fprintln(e.stdout, base)
	infof(c, "gateway at %s (images in %s, served at %simages/); Ctrl-C stops it", base, opt.ImagesDir, base)
	if where != "" {
		warnf(c, "listening on %s: anyone who can reach it can upload files", where)
		if len(opt.AllowHosts) == 0 {
			infof(c, "hint: clients that name this host by a DNS name (not its IP address) need --allow-host NAME")
		}
	}
	if n, size, full := g.Stored(); full {
		// Said at start: the first sign was each client's fault.
		limit := "at or over --max-stored " + c.String("max-stored")
		if n >= gateway.MaxImages {
			limit = fmt.Sprintf("the %d images the gateway keeps at most", gateway.MaxImages)
		}
		images := fmt.Sprintf("%d images", n)
		if n == 1 {
			images = "1 image"
		}
		warnf(c, "%s already holds %s (%s), %s: every saveSnapshot will be answered Snapshot.StorageFull", opt.ImagesDir, images, fmtBytes(size), limit)
		infof(c, "hint: remove images from it, raise --max-stored (0: no limit of size), or choose another folder with --images DIR")
	}
	if whole := g.MaxWholeBody(); g.MaxUpload() > whole {
		// Said at start: an echo of a large file was answered with a
		// 413 naming a budget the operator may not have thought of.
		echo := fmt.Sprintf(", but an echo.echo call alone in its packet (answered with its own bytes) up to %s", fmtBytes(g.MaxEchoBody()))
		if g.MaxEchoBody() >= g.MaxUpload() {
			echo = ", but not an echo.echo call alone in its packet (answered with its own bytes)"
		}
		infof(c, "saveSnapshot images up to --max-upload %s are streamed to disk; other requests are read whole, and over %s (a third of --max-memory %s) get a 413%s",
			c.String("max-upload"), fmtBytes(whole), c.String("max-memory"), echo)
	}
	if opt.User != "" {
		infof(c, "the secure service needs the user %s", opt.User)
	}
	if serveStarted != nil {
		serveStarted(at, stop)
	}
	var cut *gateway.ShutdownError
	if err := g.Serve(ctx, ln); errors.As(err, &cut) {
		// Stopped as asked (Ctrl-C, SIGTERM): the requests it could
		// not wait for are said, not an error of serve's (it was
		// "gateway: shutdown: context deadline exceeded", exit 3).
		warnf(c, "%s", strings.TrimPrefix(cut.Error(), "gateway: "))
	} else if err != nil {
		return withCode(exitNetwork, err)
	}
	infof(c, "gateway stopped")
	return nil
}

// gatewayOptions reads --images, --user, --max-upload, --max-stored, the limits and
// --allow-host.
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
	if n == gateway.MaxByteArray+1 {
		// "256M", the round value a user types for "as large as AMF3
		// carries", is one byte over that limit (256 MiB - 1); it was
		// refused with a hint that said only "such as 64M".
		n = gateway.MaxByteArray
	}
	if err != nil || n > gateway.MaxByteArray {
		return opt, usageErrorf("invalid --max-upload %q", c.String("max-upload")).
			hint(fmt.Sprintf("give a size from 1 to 256M (%d bytes, the AMF3 ByteArray limit), such as 64M", gateway.MaxByteArray))
	}
	opt.MaxUpload = n
	// 0 is no limit of size, as --help says; parseSize refuses it (it
	// refused "--max-stored 0", with a hint to give 0).
	if v := strings.TrimSpace(c.String("max-stored")); v == "0" {
		opt.MaxStored = -1
	} else if opt.MaxStored, err = parseSize(v); err != nil {
		return opt, usageErrorf("invalid --max-stored %q", c.String("max-stored")).hint("give a size such as 1G or 500M, or 0 for no limit")
	}
	if err := limitOptions(c, &opt); err != nil {
		return opt, err
	}
	if opt.AllowHosts, err = allowHosts(c); err != nil {
		return opt, err
	}
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

// allowHosts reads --allow-host, with the host name of --addr (when it
// is a name), into the host names the gateway answers besides localhost
// and IP addresses.
func allowHosts(c *cli.Context) ([]string, error) {
	var names []string
	for _, h := range repeated(c, "allow-host") {
		if h == "" || strings.ContainsAny(h, ":/ []@") {
			return nil, usageErrorf("invalid --allow-host %q: want a host name", h).hint("for example --allow-host myhost.local (no port)")
		}
		names = append(names, h)
	}
	if host, _, err := net.SplitHostPort(c.String("addr")); err == nil && host != "" && net.ParseIP(host) == nil {
		names = append(names, host)
	}
	return names, nil
}

// addrError is the usage error of an --addr that is not HOST:PORT,
// with a hint of the address it may have meant: a bare port
// ("--addr 8000"), a URL (pasted from the line serve prints) or a host
// without a port were all told "for example --addr 127.0.0.1:8000",
// whatever port or host they named. badPort: it splits as HOST:PORT,
// but PORT is no port number.
func addrError(addr string, badPort bool) error {
	what := "want HOST:PORT"
	if badPort && !strings.Contains(addr, "://") {
		what += ", PORT from 0 to 65535"
	}
	e := usageErrorf("invalid --addr %q: %s", addr, what)
	fix := ""
	switch rest, isURL := strings.CutPrefix(strings.TrimPrefix(addr, "https://"), "http://"); {
	case validPort(addr):
		fix = net.JoinHostPort("127.0.0.1", addr)
	case isURL || strings.HasPrefix(addr, "https://"):
		rest, _, _ = strings.Cut(rest, "/")
		if _, port, err := net.SplitHostPort(rest); err == nil && validPort(port) {
			fix = rest
		}
	case !badPort && net.ParseIP(strings.Trim(addr, "[]")) != nil || addr == "localhost":
		fix = net.JoinHostPort(strings.Trim(addr, "[]"), "8000")
	}
	if fix != "" && !strings.HasPrefix(fix, "-") {
		return e.hint(fmt.Sprintf("did you mean --addr %s? (--addr 127.0.0.1:0 picks a free port)", fix))
	}
	return e.hint("for example --addr 127.0.0.1:8000, or --addr 127.0.0.1:0 for a free port")
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

// catLimits is the flag category of serve's request limits.
const catLimits = "LIMITS"

// limitOptions reads --max-memory, --body-timeout, --min-body-rate,
// --max-body-time, --write-timeout and --max-conns.
func limitOptions(c *cli.Context, opt *gateway.Options) error {
	n, err := parseSize(c.String("max-memory"))
	if err != nil || n < 1<<20 {
		return usageErrorf("invalid --max-memory %q", c.String("max-memory")).hint("give a size of at least 1M, such as 256M or 1G")
	}
	opt.MaxMemory = n
	for _, f := range []struct {
		name string
		d    *time.Duration
	}{{"body-timeout", &opt.BodyTimeout}, {"write-timeout", &opt.WriteTimeout}} {
		d, err := parseDuration(c.String(f.name))
		if err != nil || d <= 0 {
			return usageErrorf("invalid --%s %q", f.name, c.String(f.name)).hint("give a duration such as 10s or 1m")
		}
		*f.d = d
	}
	rate := int64(0)
	if v := strings.TrimSpace(c.String("min-body-rate")); v != "0" {
		rate, err = parseSize(v)
	}
	if err != nil {
		return usageErrorf("invalid --min-body-rate %q", c.String("min-body-rate")).hint("give bytes per second, such as 1K; 0 turns the minimum off")
	}
	opt.MinBodyRate = rate
	if rate == 0 {
		opt.MinBodyRate = -1
	}
	if opt.MaxBodyTime, err = parseDuration(c.String("max-body-time")); err != nil {
		return usageErrorf("invalid --max-body-time %q", c.String("max-body-time")).hint("give a duration such as 10m or 1h; 0 turns the limit off")
	}
	if opt.MaxBodyTime == 0 {
		opt.MaxBodyTime = -1 // no limit, as --help says
	}
	if opt.MaxConns = c.Int("max-conns"); opt.MaxConns < 1 {
		return usageErrorf("invalid --max-conns %d: want at least 1", opt.MaxConns)
	}
	return nil
}

// reachable returns the address a user on this host can paste to reach
// a listener: the wildcard addresses 0.0.0.0 and [::] are not ones to
// dial, so they become 127.0.0.1 with the same port. where says, for a
// listener not on loopback, where it listens in words ("all interfaces
// (port 8000)", "192.0.2.1:8000"); it is empty on loopback.
func reachable(a net.Addr) (addr, where string) {
	addr = a.String()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, addr
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return addr, addr
	case ip.IsUnspecified():
		return net.JoinHostPort("127.0.0.1", port), "all interfaces (port " + port + ")"
	case ip.IsLoopback():
		return addr, ""
	}
	return addr, addr
}
